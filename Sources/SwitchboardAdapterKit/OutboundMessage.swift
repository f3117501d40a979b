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
    /// An approved template to send instead of free text (WhatsApp outside the customer-service
    /// window). ``text`` then holds the template as the timeline shows it.
    public var template: MessageTemplate?
    /// When the customer last wrote in this conversation (the channel's time of their latest
    /// message), for channels that allow free-form replies only for a while after it.
    public var lastInboundAt: Date?

    public init(
        messageID: String, conversationID: String, channel: ChannelID, to: Address, threadKey: String,
        subject: String? = nil, text: String, html: String? = nil, attachments: [Attachment] = [],
        inReplyTo: String? = nil, visibility: Visibility = .private, idempotencyKey: String, author: String? = nil,
        isAutomatic: Bool = false, template: MessageTemplate? = nil, lastInboundAt: Date? = nil
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
        self.template = template
        self.lastInboundAt = lastInboundAt
    }

    enum CodingKeys: String, CodingKey {
        case messageID, conversationID, channel, to, threadKey, subject, text, html, attachments, inReplyTo
        case visibility, idempotencyKey, author, isAutomatic, template, lastInboundAt
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
        template = try container.decodeIfPresent(MessageTemplate.self, forKey: .template)
        lastInboundAt = try container.decodeIfPresent(Date.self, forKey: .lastInboundAt)
    }
}

/// A message template the channel's owner approved in advance (WhatsApp's message templates), sent
/// with its parameters where free text is not allowed.
public struct MessageTemplate: Sendable, Hashable, Codable {
    /// The template's name as approved (`order_update`).
    public var name: String
    /// The language it was approved in (`en_US`).
    public var language: String
    /// The body's `{{1}}`, `{{2}}`, … in order.
    public var parameters: [String]

    public init(name: String, language: String, parameters: [String] = []) {
        self.name = name
        self.language = language
        self.parameters = parameters
    }

    enum CodingKeys: String, CodingKey { case name, language, parameters }

    /// `parameters` may be left out (a template without placeholders), but not null.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        language = try container.decode(String.self, forKey: .language)
        parameters = container.contains(.parameters) ? try container.decode([String].self, forKey: .parameters) : []
    }

    /// The template as the timeline shows it: `[template order_update (en_US): 123, Friday]`.
    public var summary: String {
        "[template \(name) (\(language))" + (parameters.isEmpty ? "" : ": " + parameters.joined(separator: ", ")) + "]"
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
