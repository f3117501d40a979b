import Foundation
import SwitchboardAdapterKit

/// One stored message, inbound from a customer or outbound from an agent.
public struct Message: Sendable, Hashable, Codable {
    /// From the customer (inbound) or from an agent (outbound).
    public enum Direction: String, Sendable, Hashable, Codable { case inbound, outbound }

    /// Time-sortable id (`msg_…`).
    public var id: String
    public var conversationID: String
    public var customerID: String
    public var channel: ChannelID
    public var direction: Direction
    public var visibility: Visibility
    /// The customer's address (inbound) or the agent's name (outbound).
    public var author: String
    public var subject: String?
    public var text: String
    public var html: String?
    public var attachments: [Attachment]
    /// The channel's own id: unique per channel instance. `nil` for an outbound message not yet sent.
    public var externalID: String?
    public var inReplyTo: String?
    /// When the channel says it was sent (inbound) or when the agent wrote it (outbound).
    public var sentAt: Date
    public var receivedAt: Date
    public var isAutomatic: Bool
    /// The latest delivery status (outbound), `nil` for inbound messages.
    public var deliveryStatus: String?
    public var statusHistory: [StatusEntry]
    /// What the channel adapter had to work around while reading it (inbound only).
    public var parseWarnings: [String]

    public init(
        id: String, conversationID: String, customerID: String, channel: ChannelID, direction: Direction,
        visibility: Visibility, author: String, subject: String?, text: String, html: String?,
        attachments: [Attachment], externalID: String?, inReplyTo: String?, sentAt: Date, receivedAt: Date,
        isAutomatic: Bool, deliveryStatus: String?, statusHistory: [StatusEntry] = [], parseWarnings: [String] = []
    ) {
        self.id = id
        self.conversationID = conversationID
        self.customerID = customerID
        self.channel = channel
        self.direction = direction
        self.visibility = visibility
        self.author = author
        self.subject = subject
        self.text = text
        self.html = html
        self.attachments = attachments
        self.externalID = externalID
        self.inReplyTo = inReplyTo
        self.sentAt = sentAt
        self.receivedAt = receivedAt
        self.isAutomatic = isAutomatic
        self.deliveryStatus = deliveryStatus
        self.statusHistory = statusHistory
        self.parseWarnings = parseWarnings
    }
}

/// One step in a message's delivery history.
public struct StatusEntry: Sendable, Hashable, Codable {
    public var status: String
    public var at: Date
    public var detail: String?

    public init(status: String, at: Date, detail: String? = nil) {
        self.status = status
        self.at = at
        self.detail = detail
    }
}
