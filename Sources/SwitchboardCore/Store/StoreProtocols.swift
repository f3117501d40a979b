import Foundation
import SwitchboardAdapterKit

/// Ingest and status updates: the write path of the router.
///
/// `ingest` handles a batch in one transaction (one savepoint per envelope, so a bad envelope never
/// takes its neighbours down) and returns once it is durable.
public protocol InboxStore: Sendable {
    func ingest(_ batch: [InboundEnvelope], policy: IngestPolicy) async throws -> [IngestOutcome]
    /// Appends channel status reports to message histories; returns those that matched a message
    /// of ours, with its id, in order.
    @discardableResult
    func apply(_ updates: [StatusUpdate]) async throws -> [AppliedStatus]
}

/// A channel's status report matched to the message it is about, so the hub can tell open screens.
public struct AppliedStatus: Sendable, Hashable {
    public var messageID: String
    public var status: DeliveryStatus

    public init(messageID: String, status: DeliveryStatus) {
        self.messageID = messageID
        self.status = status
    }
}

/// What ingest did with one envelope.
public enum IngestOutcome: Sendable, Hashable {
    case stored(StoredMessage)
    case duplicate(messageID: String)
    case rejected(reason: String)
    /// An edit (``InboundEnvelope/replaces``) changed the stored message.
    case edited(messageID: String, conversationID: String, customerID: String)
}

/// A message that was just stored, with what it changed.
public struct StoredMessage: Sendable, Hashable {
    public var message: Message
    public var conversation: Conversation
    public var newCustomer: Bool
    public var newConversation: Bool
    public var reopened: Bool
    /// A merge the envelope's verified identifiers triggered, if any.
    public var merge: MergeRecord?
    /// The opt-out keyword the message was (STOP, START), which the store recorded with it.
    public var optOut: OptOutPolicy.Action?
    /// The score (1 to 5) the message gave in answer to the satisfaction question.
    public var rating: Int?
    /// The text's sentiment, as the event log has it (nil: not scored).
    public var sentiment: Sentiment?

    public init(
        message: Message, conversation: Conversation, newCustomer: Bool, newConversation: Bool, reopened: Bool,
        merge: MergeRecord? = nil, optOut: OptOutPolicy.Action? = nil, rating: Int? = nil,
        sentiment: Sentiment? = nil
    ) {
        self.rating = rating
        self.sentiment = sentiment
        self.optOut = optOut
        self.message = message
        self.conversation = conversation
        self.newCustomer = newCustomer
        self.newConversation = newConversation
        self.reopened = reopened
        self.merge = merge
    }
}

/// Replies and their delivery: the message row and its outbox row are written in one transaction.
public protocol OutboxStore: Sendable {
    func enqueueReply(_ reply: ReplyRequest) async throws -> Message
    /// Queues `reply` (an automatic answer) unless its conversation had an automatic message
    /// (`message.out`, automatic, in the event log) after `since`, checked and written in one
    /// transaction, so two hub processes never both answer; nil when it had one.
    func enqueueAutomaticReply(_ reply: ReplyRequest, unlessAutomaticSince since: Date) async throws -> Message?
    /// Takes up to `limit` due items and leases them for `lease`, so no other dispatcher sends them.
    func claimDue(now: Date, limit: Int, lease: Duration) async throws -> [OutboxItem]
    func markSent(_ item: OutboxItem, receipt: SendReceipt) async throws
    /// Records a failed attempt (a rate-limited one counts apart, in ``OutboxItem/rateLimited``);
    /// `retryAt` nil dead-letters the item, visibly in the timeline.
    func markFailed(_ item: OutboxItem, error: SendError, retryAt: Date?) async throws
    /// Puts a claimed item back in the queue until `until` without counting an attempt (the
    /// channel's rate limit had no room for it).
    func postpone(_ item: OutboxItem, until: Date) async throws
    func deadLetters() async throws -> [OutboxItem]
    /// Frees every send and webhook delivery a dispatcher claimed and never finished (it was killed
    /// mid-send), so a restarted hub takes them up at once instead of after the lease; returns how
    /// many. Only the one process that dispatches may call it, when it starts.
    func releaseLeases() async throws -> Int
    /// Sends waiting (queued or retrying) and dead-lettered, per channel, for health and the API.
    func outboxCounts() async throws -> [ChannelID: OutboxCounts]
    /// Puts a dead-lettered reply back in the queue (an agent's retry); returns false if there is none.
    func retry(messageID: String) async throws -> Bool
    /// The opt-out in force for `address` (it texted STOP and not START since), if any.
    func optOut(for address: Address) async throws -> OptOut?
}

/// An agent's reply to a conversation.
public struct ReplyRequest: Sendable, Hashable {
    public var conversationID: String
    /// The text; may be empty when ``template`` is given.
    public var text: String
    /// The agent's name, shown in the timeline.
    public var author: String
    public var subject: String?
    /// Sent by the hub on its own (an acknowledgement), not typed by an agent.
    public var isAutomatic: Bool
    /// Public (a reply post, a comment) or private (a DM). `nil`: the same as the customer's latest
    /// message in the conversation, so a mention is answered publicly and a DM privately.
    public var visibility: Visibility?
    /// With ``visibility`` `.private` on a conversation whose latest message is public: the short
    /// public answer posted first ("We've sent you a DM"), so moving a public conversation to
    /// private is one action and the public thread is not left unanswered.
    public var publicNotice: String?
    /// An approved template to send instead of free text (WhatsApp outside its 24-hour window).
    public var template: MessageTemplate?

    public init(
        conversationID: String, text: String, author: String, subject: String? = nil, isAutomatic: Bool = false,
        visibility: Visibility? = nil, publicNotice: String? = nil, template: MessageTemplate? = nil
    ) {
        self.conversationID = conversationID
        self.text = text
        self.author = author
        self.subject = subject
        self.isAutomatic = isAutomatic
        self.visibility = visibility
        self.publicNotice = publicNotice
        self.template = template
    }
}

/// One queued send.
public struct OutboxItem: Sendable, Hashable {
    public var id: Int64
    public var message: OutboundMessage
    /// Attempts so far that failed for a reason other than a rate limit (or succeeded).
    public var attempts: Int
    /// Times the channel answered "slow down" to this send.
    public var rateLimited: Int
    public var lastError: String?

    public init(id: Int64, message: OutboundMessage, attempts: Int, rateLimited: Int = 0, lastError: String?) {
        self.id = id
        self.message = message
        self.attempts = attempts
        self.rateLimited = rateLimited
        self.lastError = lastError
    }
}

/// How many sends one channel has waiting and dead-lettered.
public struct OutboxCounts: Sendable, Hashable, Codable {
    /// Queued or waiting to be retried.
    public var waiting: Int
    /// Given up on, until an agent retries them.
    public var deadLettered: Int

    public init(waiting: Int = 0, deadLettered: Int = 0) {
        self.waiting = waiting
        self.deadLettered = deadLettered
    }
}

/// Profiles, identities and merges.
public protocol ProfileStore: Sendable {
    /// Live (not merged-away) customers, newest first.
    func customers(limit: Int, cursor: String?) async throws -> Page<Customer>
    func profile(id: String) async throws -> CustomerProfile?
    func customer(for address: Address) async throws -> Customer?
    /// Merges `source` into `target`; `source` becomes a tombstone.
    func merge(_ source: String, into target: String, actor: String, reason: String) async throws -> MergeRecord
    /// Undoes a merge: every identity and message that came from the source goes back to it.
    func unmerge(_ mergeID: String, actor: String) async throws -> MergeRecord
    /// The merge history of a customer (as source or target), newest first; all merges with `nil`.
    func merges(customerID: String?) async throws -> [MergeRecord]
    func mergeSuggestions() async throws -> [MergeSuggestion]
}

/// The read side: timelines and conversations.
public protocol TimelineReader: Sendable {
    /// Messages and system events of a customer across all conversations and channels, newest first.
    func timeline(customerID: String, limit: Int, cursor: String?) async throws -> Page<TimelineEntry>
    func conversation(id: String) async throws -> Conversation?
    func conversations(customerID: String) async throws -> [Conversation]
    /// The inbox: conversations that match `filter`, latest activity first, a page at a time.
    func conversations(matching filter: ConversationFilter, limit: Int, cursor: String?) async throws
        -> Page<Conversation>
    func messages(conversationID: String) async throws -> [Message]
    func message(id: String) async throws -> Message?
}

/// Which conversations the inbox lists; `nil` matches any.
public struct ConversationFilter: Sendable, Hashable {
    public var statuses: [Conversation.Status]
    public var channel: ChannelID?
    public var assignee: String?
    /// Conversations that carry this tag.
    public var tag: String?

    /// `statuses` empty matches every status.
    public init(
        statuses: [Conversation.Status] = [], channel: ChannelID? = nil, assignee: String? = nil, tag: String? = nil
    ) {
        self.statuses = statuses
        self.channel = channel
        self.assignee = assignee
        self.tag = tag
    }
}

/// Changes agents make to a conversation.
public protocol ConversationStore: Sendable {
    /// Sets the status (resolving stamps `resolved_at`; any other status clears it) and records a
    /// `status` event in the customer's timeline.
    func setStatus(conversationID: String, to status: Conversation.Status, actor: String) async throws -> Conversation
    /// Applies what `change` sets (assignee, tags, priority) and records an `assignment`, `tags` or
    /// `priority` event in the customer's timeline for each field that changed.
    func update(conversationID: String, _ change: ConversationChange, actor: String) async throws -> Conversation
    /// An internal note on the conversation: a `note` event in the customer's timeline, seen by
    /// agents only and never sent to the customer.
    func addNote(conversationID: String, text: String, author: String) async throws -> SystemEvent
}

/// The people who use the hub and their API tokens (stored hashed).
public protocol UserStore: Sendable {
    /// A new user; a name already taken is a conflict.
    func createUser(name: String, role: User.Role) async throws -> User
    /// Every user, oldest first.
    func users() async throws -> [User]
    func user(named name: String) async throws -> User?
    /// A new token for the user (who may hold several); the secret is in the result only.
    func issueToken(forUser userID: String) async throws -> IssuedToken
    /// Revokes a token by its id; revoking twice is fine.
    func revokeToken(id: String) async throws -> APIToken
    /// The user a token of that kind belongs to, if the token exists, is not revoked and has
    /// not expired.
    func user(forToken token: String, kind: APIToken.Kind) async throws -> User?
    /// A web session for the user: a token of kind `session` that ends at `expiresAt`.
    func issueSession(forUser userID: String, expiresAt: Date) async throws -> IssuedToken
    /// Ends a web session by its token (logout); an unknown token changes nothing.
    func revokeSession(token: String) async throws
    /// The users signed in to the web inbox at `now` (a session not revoked and not expired): the
    /// agents rules may hand conversations to. Oldest user first.
    func signedInUsers(now: Date) async throws -> [User]
    /// Stores a password's hash (``PasswordHash``) for the user.
    func setPasswordHash(_ hash: String, forUser userID: String) async throws
    /// A user by name with their password's hash, `nil` when they have none.
    func credentials(named name: String) async throws -> (user: User, passwordHash: String?)?
}

extension UserStore {
    /// The user an API token belongs to.
    public func user(forToken token: String) async throws -> User? {
        try await user(forToken: token, kind: .api)
    }
}

/// Poller positions for every channel instance.
public protocol CursorStoreProvider: Sendable {
    func cursorStore(for channel: ChannelID) -> any CursorStore
}

/// Which hub process runs each channel's background work (IMAP, Telegram and Matrix polling) when
/// several processes share one database: the holder of the channel's lease. A lease not renewed
/// by its end is free for another process.
public protocol ChannelLeaseStore: Sendable {
    /// Takes the lease on `channel` for `holder` until `until`, or renews it; returns whether
    /// `holder` holds it now (false: another holder's lease has not ended).
    func acquireChannelLease(_ channel: ChannelID, holder: String, now: Date, until: Date) async throws -> Bool
    /// Gives the lease up at once (a graceful stop), if `holder` holds it.
    func releaseChannelLease(_ channel: ChannelID, holder: String) async throws
}

/// Everything the hub needs from a backend. Closed: only the built-in backends conform.
public typealias SwitchboardStore = InboxStore & OutboxStore & ProfileStore & TimelineReader & ConversationStore
    & WebhookDeliveryStore & UserStore
    & CursorStoreProvider & ChannelLeaseStore & ActivityLogReader & BroadcastStore & SatisfactionStore

/// A store operation that could not be done; the message says why and what to do.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The class of failure: a struct around a private enum, so codes can be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        enum Value: String, Sendable { case notFound, conflict, invalid }
        let value: Value
        public static let notFound = Code(value: .notFound)
        public static let conflict = Code(value: .conflict)
        public static let invalid = Code(value: .invalid)
        public var description: String { value.rawValue }
    }

    public static let notFound = Code.notFound
    public static let conflict = Code.conflict
    public static let invalid = Code.invalid

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

extension StoreError.Code {
    /// Lets callers write `catch StoreError.notFound`.
    public static func ~= (code: StoreError.Code, error: any Error) -> Bool { (error as? StoreError)?.code == code }
}
