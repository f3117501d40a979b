import Foundation

/// One message as a channel adapter received it, already verified and parsed, in the hub's terms.
///
/// The router turns an envelope into a stored message: it dedups on (``channel``, ``externalID``),
/// resolves ``from`` to a customer, and files the message into the conversation named by
/// ``threadKey``. New fields always get defaults, so adapters keep compiling as the envelope grows.
public struct InboundEnvelope: Sendable, Hashable {
    /// The channel instance that received it.
    public var channel: ChannelID
    /// The channel's own id for the message: the dedup key, unique per channel instance.
    public var externalID: String
    /// Who wrote it.
    public var from: Address
    /// Which of our addresses it was sent to, where the channel says.
    public var to: Address?
    /// The thread this message belongs to on the channel (email thread root, number pair, chat id).
    /// Messages with the same key from the same customer on the same instance share a conversation.
    public var threadKey: String
    public var visibility: Visibility
    public var subject: String?
    public var text: String
    public var html: String?
    public var attachments: [Attachment]
    /// The channel's id of the message this one answers, if any.
    public var inReplyTo: String?
    /// When the channel says the message was sent.
    public var sentAt: Date
    /// The payload as received, kept for audits and re-parsing.
    public var raw: RawPayload?
    /// What the channel told us about the sender besides the address.
    public var hints: IdentityHints
    /// The channel marked it as automatic (auto-reply, bounce, no-reply sender): never auto-answered.
    public var isAutomatic: Bool
    /// An id the same message carries on every instance of this channel kind, prefixed with the
    /// kind (`email:<Message-ID>#<body hash>`), where the channel has one: a message that reaches
    /// two of our inboxes is then stored once. Nil for channels whose ids are per instance.
    public var globalID: String?
    /// Problems the adapter worked around while reading the message (a broken attachment, an
    /// unknown charset). Kept with the message, for agents and audits.
    public var parseWarnings: [String]
    /// The channel's id (``externalID``) of the message this envelope is a new version of: an
    /// edited Telegram message, a Matrix `m.replace`. The store updates that message's text and
    /// keeps the earlier text in its edit history; ``externalID`` then names the edit itself (it
    /// deduplicates redelivered edits). If the original was never stored, the edit is stored as
    /// the message, under the original's id, so nothing is lost and later edits still find it.
    public var replaces: String?
    /// Tags a new conversation starts with (`listening` for public posts found by a search).
    public var tags: [String]

    public init(
        channel: ChannelID, externalID: String, from: Address, to: Address? = nil, threadKey: String,
        visibility: Visibility = .private, subject: String? = nil, text: String, html: String? = nil,
        attachments: [Attachment] = [], inReplyTo: String? = nil, sentAt: Date, raw: RawPayload? = nil,
        hints: IdentityHints = .init(), isAutomatic: Bool = false, globalID: String? = nil,
        parseWarnings: [String] = [],
        replaces: String? = nil, tags: [String] = []
    ) {
        self.channel = channel
        self.externalID = externalID
        self.from = from
        self.to = to
        self.threadKey = threadKey
        self.visibility = visibility
        self.subject = subject
        self.text = text
        self.html = html
        self.attachments = attachments
        self.inReplyTo = inReplyTo
        self.sentAt = sentAt
        self.raw = raw
        self.hints = hints
        self.isAutomatic = isAutomatic
        self.globalID = globalID
        self.parseWarnings = parseWarnings
        self.replaces = replaces
        self.tags = tags
    }
}

/// What a channel says about the sender besides the address it wrote from.
public struct IdentityHints: Sendable, Hashable, Codable {
    /// The name the channel shows for the sender.
    public var displayName: String?
    /// BCP 47 language tag, if known.
    public var locale: String?
    /// Other addresses the channel vouches for (a phone a chat platform verified, an email a visitor
    /// typed and confirmed). Strong identifiers among them can link or merge profiles.
    public var verifiedAddresses: [Address]
    /// The sender's handle as the channel wrote it, before normalisation (`0612345678`,
    /// `whatsapp:+5511…`), where it differs from the address: kept beside the identity, so an agent
    /// can see what the channel said and a normalisation rule can be checked later.
    public var rawHandle: String?
    /// Other addresses of the very same account on this channel, as the payload states them: a
    /// WhatsApp user's phone number beside their business-scoped id. The hub files the message
    /// under whichever profile already has one of them and links the rest to it. Only for ids the
    /// channel itself pairs in the payload, never for something a customer typed.
    public var aliases: [Address]

    public init(
        displayName: String? = nil, locale: String? = nil, verifiedAddresses: [Address] = [], rawHandle: String? = nil,
        aliases: [Address] = []
    ) {
        self.displayName = displayName
        self.locale = locale
        self.verifiedAddresses = verifiedAddresses
        self.rawHandle = rawHandle
        self.aliases = aliases
    }
}

/// Metadata of a file that came with a message; the bytes live in blob storage or at `url`.
public struct Attachment: Sendable, Hashable, Codable {
    public var filename: String?
    public var contentType: String
    public var size: Int?
    /// Where the bytes can be fetched (a channel media URL or a blob reference).
    public var url: String?

    public init(filename: String? = nil, contentType: String, size: Int? = nil, url: String? = nil) {
        self.filename = filename
        self.contentType = contentType
        self.size = size
        self.url = url
    }
}

/// The original bytes of an inbound payload and their content type.
public struct RawPayload: Sendable, Hashable {
    public var contentType: String
    public var bytes: [UInt8]

    public init(contentType: String, bytes: [UInt8]) {
        self.contentType = contentType
        self.bytes = bytes
    }

    /// One item of a parsed JSON payload as its own raw payload (keys sorted). A batch's messages
    /// each keep their own JSON this way, not the whole body: storing the body with every message
    /// would store it once per message, other senders' text included.
    public static func json(_ item: Any) -> RawPayload {
        let data = try? JSONSerialization.data(withJSONObject: item, options: [.sortedKeys, .fragmentsAllowed])
        return RawPayload(contentType: "application/json", bytes: Array(data ?? Data()))
    }
}
