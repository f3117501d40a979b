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

    public init(
        messageID: String, conversationID: String, channel: ChannelID, to: Address, threadKey: String,
        subject: String? = nil, text: String, html: String? = nil, attachments: [Attachment] = [],
        inReplyTo: String? = nil, visibility: Visibility = .private, idempotencyKey: String, author: String? = nil
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
