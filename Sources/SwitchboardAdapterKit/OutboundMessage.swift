import Foundation

/// One reply the hub asks an adapter to deliver. One struct so it can grow without breaking adapters.
public struct OutboundMessage: Sendable, Hashable, Codable {
    /// The hub's id of the message (also in the timeline).
    public var messageID: String
    /// The conversation the reply belongs to.
    public var conversationID: String
    /// The channel instance it leaves through.
    public var channel: ChannelID
    /// The customer's address on that channel.
    public var to: Address
    /// The conversation's thread key, as the adapter computed it for inbound messages.
    public var threadKey: String
    public var subject: String?
    public var text: String
    public var html: String?
    public var attachments: [Attachment]
    /// The channel's id of the message this replies to, for channels that thread.
    public var inReplyTo: String?
    public var visibility: Visibility
    /// The same for every attempt to send this message: pass it to the channel where the channel
    /// deduplicates on such a key, so a retried send is not delivered twice.
    public var idempotencyKey: String
    /// Who wrote it (an agent's name), for channels that show it.
    public var author: String?
    /// Sent by the hub on its own (an acknowledgement), not by an agent: channels that can say so
    /// (email's `Auto-Submitted`) do, so the other side never answers it automatically.
    public var isAutomatic: Bool

    public init(
        messageID: String, conversationID: String, channel: ChannelID, to: Address, threadKey: String,
        subject: String? = nil, text: String, html: String? = nil, attachments: [Attachment] = [],
        inReplyTo: String? = nil, visibility: Visibility = .private, idempotencyKey: String, author: String? = nil,
        isAutomatic: Bool = false
    ) {
        self.messageID = messageID
        self.conversationID = conversationID
        self.channel = channel
        self.to = to
        self.threadKey = threadKey
        self.subject = subject
        self.text = text
        self.html = html
        self.attachments = attachments
        self.inReplyTo = inReplyTo
        self.visibility = visibility
        self.idempotencyKey = idempotencyKey
        self.author = author
        self.isAutomatic = isAutomatic
    }

    enum CodingKeys: String, CodingKey {
        case messageID, conversationID, channel, to, threadKey, subject, text, html, attachments, inReplyTo
        case visibility, idempotencyKey, author, isAutomatic
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        messageID = try container.decode(String.self, forKey: .messageID)
        conversationID = try container.decode(String.self, forKey: .conversationID)
        channel = try container.decode(ChannelID.self, forKey: .channel)
        to = try container.decode(Address.self, forKey: .to)
        threadKey = try container.decode(String.self, forKey: .threadKey)
        subject = try container.decodeIfPresent(String.self, forKey: .subject)
        text = try container.decode(String.self, forKey: .text)
        html = try container.decodeIfPresent(String.self, forKey: .html)
        attachments = try container.decodeIfPresent([Attachment].self, forKey: .attachments) ?? []
        inReplyTo = try container.decodeIfPresent(String.self, forKey: .inReplyTo)
        visibility = try container.decode(Visibility.self, forKey: .visibility)
        idempotencyKey = try container.decode(String.self, forKey: .idempotencyKey)
        author = try container.decodeIfPresent(String.self, forKey: .author)
        // Outbox rows written before the field existed.
        isAutomatic = try container.decodeIfPresent(Bool.self, forKey: .isAutomatic) ?? false
    }
}

/// What a channel said when it accepted a message.
public struct SendReceipt: Sendable, Hashable {
    /// The channel's id for the sent message: status callbacks refer to it.
    public var externalID: String
    public var acceptedAt: Date

    public init(externalID: String, acceptedAt: Date = Date()) {
        self.externalID = externalID
        self.acceptedAt = acceptedAt
    }
}
