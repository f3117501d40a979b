import Foundation
import SwitchboardAdapterKit

/// A thread with one customer on one channel instance.
public struct Conversation: Sendable, Hashable, Codable {
    /// Where the conversation stands; an inbound message makes any status open again.
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        case open, pending, snoozed, resolved
    }

    public var id: String
    public var customerID: String
    public var channel: ChannelID
    /// The customer's address on the channel; replies go to it.
    public var customerAddress: Address
    /// The channel's thread key (email thread root, number pair, chat id, DM pair).
    public var threadKey: String
    public var subject: String?
    public var status: Status
    public var assignee: String?
    public var tags: [String]
    public var priority: Int
    public var createdAt: Date
    public var lastMessageAt: Date
    public var firstResponseAt: Date?
    public var resolvedAt: Date?

    public init(
        id: String, customerID: String, channel: ChannelID, customerAddress: Address, threadKey: String,
        subject: String?, status: Status, assignee: String? = nil, tags: [String] = [], priority: Int = 0,
        createdAt: Date, lastMessageAt: Date, firstResponseAt: Date? = nil, resolvedAt: Date? = nil
    ) {
        self.id = id
        self.customerID = customerID
        self.channel = channel
        self.customerAddress = customerAddress
        self.threadKey = threadKey
        self.subject = subject
        self.status = status
        self.assignee = assignee
        self.tags = tags
        self.priority = priority
        self.createdAt = createdAt
        self.lastMessageAt = lastMessageAt
        self.firstResponseAt = firstResponseAt
        self.resolvedAt = resolvedAt
    }
}
