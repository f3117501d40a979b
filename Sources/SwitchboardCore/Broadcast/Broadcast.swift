import Foundation
import SwitchboardAdapterKit

/// A notice to many customers at once (an outage, a delay), each on the channel they last wrote
/// on, queued through the outbox so every channel's send rate paces it, and written into each
/// customer's timeline like any reply.
///
/// It exists because the alternative — agents pasting the same text into hundreds of
/// conversations — is slow, misses people and texts those who said STOP. A broadcast has an id
/// chosen by the sender: sending the same request again (a retry) queues nothing twice and answers
/// what the first did; the same id with another text or other customers is refused.
public struct BroadcastRequest: Sendable, Hashable {
    /// The sender's key for this broadcast: letters, digits, `-`, `_`, `.`, 1 to 64.
    public var id: String
    public var text: String
    /// The customers to reach, by id (a merged-away id reaches the customer it was merged into).
    public var customerIDs: [String]
    /// Approved templates per channel, for channels that allow free text only within a window of
    /// the customer's last message (WhatsApp): used there for customers outside it.
    public var templates: [ChannelID: MessageTemplate]
    /// Who sends it, shown in the timeline.
    public var author: String

    public init(
        id: String, text: String, customerIDs: [String], templates: [ChannelID: MessageTemplate] = [:],
        author: String
    ) {
        self.id = id
        self.text = text
        self.customerIDs = customerIDs
        self.templates = templates
        self.author = author
    }

    /// What makes two requests the same broadcast: the text, the templates and the customers, in order.
    public var fingerprint: String {
        let templateText = templates.sorted { $0.key.rawValue < $1.key.rawValue }.map { channel, template in
            "\(channel)=\(template.name)/\(template.language)/\(template.parameters.joined(separator: "\u{1F}"))"
        }
        let parts = [text, templateText.joined(separator: "\u{1E}"), customerIDs.joined(separator: "\u{1E}")]
        return HMACSignature.sha256Hex(Array(parts.joined(separator: "\u{1D}").utf8))
    }

    /// The most customers one broadcast may name.
    public static let maxCustomers = 10_000

    /// Throws `invalid` naming what is wrong with the request.
    public func validate() throws {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
        guard (1...64).contains(id.count), id.unicodeScalars.allSatisfy({ allowed.contains($0) && $0.isASCII }) else {
            throw StoreError(.invalid, "a broadcast id is 1 to 64 letters, digits, '-', '_' or '.'")
        }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw StoreError(.invalid, "the broadcast text is empty")
        }
        guard !customerIDs.isEmpty else { throw StoreError(.invalid, "name at least one customer in customer_ids") }
        for (channel, template) in templates where template.name.isEmpty || template.language.isEmpty {
            throw StoreError(.invalid, "the template for channel '\(channel)' needs a name and a language")
        }
        guard customerIDs.count <= Self.maxCustomers else {
            throw StoreError(
                .invalid, "a broadcast names at most \(Self.maxCustomers) customers; split it into several")
        }
    }
}

/// The channel facts a broadcast needs: which channels the hub sends on now, and whether free text
/// is allowed only within a window of the customer's last message (then a template is needed
/// outside it).
public struct BroadcastChannelRules: Sendable, Hashable {
    public var replyWindows: [ChannelID: Duration]
    /// The channels that send; nil: any (in tests without a hub).
    public var sending: Set<ChannelID>?

    public init(replyWindows: [ChannelID: Duration] = [:], sending: Set<ChannelID>? = nil) {
        self.replyWindows = replyWindows
        self.sending = sending
    }

    /// From the running adapters' capabilities.
    public init(capabilities: [ChannelID: ChannelCapabilities]) {
        replyWindows = capabilities.compactMapValues(\.replyWindow)
        sending = Set(capabilities.filter { $0.value.canSend }.keys)
    }
}

/// What a broadcast did for each customer, in the order the request named them.
public struct BroadcastResult: Sendable, Hashable, Codable {
    /// One customer's outcome.
    public struct Recipient: Sendable, Hashable, Codable {
        public var customerID: String
        /// The channel it goes out on; nil when skipped before a channel was chosen.
        public var channel: ChannelID?
        public var conversationID: String?
        /// The queued message; nil when skipped.
        public var messageID: String?
        /// Why nobody was sent anything (opted out, never wrote in, needs a template, unknown).
        public var skipped: String?

        public init(
            customerID: String, channel: ChannelID? = nil, conversationID: String? = nil, messageID: String? = nil,
            skipped: String? = nil
        ) {
            self.customerID = customerID
            self.channel = channel
            self.conversationID = conversationID
            self.messageID = messageID
            self.skipped = skipped
        }

        enum CodingKeys: String, CodingKey {
            case customerID = "customer_id"
            case channel
            case conversationID = "conversation_id"
            case messageID = "message_id"
            case skipped
        }
    }

    public var id: String
    public var recipients: [Recipient]

    public init(id: String, recipients: [Recipient]) {
        self.id = id
        self.recipients = recipients
    }

    /// Messages queued (a customer named twice has one).
    public var queued: Int { Set(recipients.compactMap(\.messageID)).count }
    /// Customers named who get nothing.
    public var skipped: Int { recipients.filter { $0.messageID == nil }.count }

    /// How to send to one customer whose latest inbound message is known: free text, a template,
    /// or a reason to skip.
    public static func plan(
        _ request: BroadcastRequest, channel: ChannelID, lastInboundAt: Date, optedOut: Bool,
        rules: BroadcastChannelRules, now: Date
    ) -> Result<MessageTemplate?, Skip> {
        if let sending = rules.sending, !sending.contains(channel) {
            return .failure(Skip("channel '\(channel)', where they last wrote, is not running or cannot send"))
        }
        if optedOut { return .failure(Skip("opted out (texted STOP) on this number")) }
        guard let window = rules.replyWindows[channel],
            now.timeIntervalSince(lastInboundAt) > Double(window.components.seconds)
        else { return .success(nil) }
        guard let template = request.templates[channel] else {
            return .failure(
                Skip(
                    "channel '\(channel)' allows free text only within \(window.components.seconds / 3600) hours of the "
                        + "customer's last message; give an approved template for it in templates"))
        }
        return .success(template)
    }

    /// A reason a customer gets nothing.
    public struct Skip: Error, Sendable, Hashable {
        public var reason: String
        public init(_ reason: String) { self.reason = reason }
    }
}

/// Queues broadcasts; closed, like the other store protocols: only the built-in backends conform.
public protocol BroadcastStore: Sendable {
    /// Queues `request` for each customer it names (skipping those it may not reach, saying why),
    /// or answers what an earlier request with the same id did for the customers it named.
    func broadcast(_ request: BroadcastRequest, rules: BroadcastChannelRules, now: Date) async throws
        -> BroadcastResult
}
