import Foundation

/// A channel's report on a message we sent: queued, sent, delivered, read or failed.
public struct StatusUpdate: Sendable, Hashable {
    public var channel: ChannelID
    /// The channel's id of the message, as returned in ``SendReceipt/externalID``.
    public var externalID: String
    public var status: DeliveryStatus
    public var at: Date

    public init(channel: ChannelID, externalID: String, status: DeliveryStatus, at: Date) {
        self.channel = channel
        self.externalID = externalID
        self.status = status
        self.at = at
    }
}

/// Where a message stands on its way to the customer.
public enum DeliveryStatus: Sendable, Hashable, Codable {
    case queued
    case sent
    case delivered
    case read
    case failed(reason: String)

    /// The name stored in the status history.
    public var name: String {
        switch self {
        case .queued: "queued"
        case .sent: "sent"
        case .delivered: "delivered"
        case .read: "read"
        case .failed: "failed"
        }
    }

    /// The failure reason, if any.
    public var reason: String? {
        if case .failed(let reason) = self { return reason }
        return nil
    }

    public init?(name: String, reason: String? = nil) {
        switch name {
        case "queued": self = .queued
        case "sent": self = .sent
        case "delivered": self = .delivered
        case "read": self = .read
        case "failed": self = .failed(reason: reason ?? "the channel reported a failure")
        default: return nil
        }
    }
}
