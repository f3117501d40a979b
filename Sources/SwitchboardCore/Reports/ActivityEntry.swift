import Foundation
import SwitchboardAdapterKit

/// One line of the event log: something that happened to a conversation (a message in or out, a
/// status change, an assignment, a merge, an automatic action). The store appends it in the same
/// transaction as the change, and never edits it; reports are computed from these lines alone, so
/// they never scan the tables agents work on.
public struct ActivityEntry: Sendable, Hashable, Codable {
    /// What happened.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// A conversation was opened by its first inbound message (`at` is that message's time).
        case conversationOpened = "conversation.opened"
        /// ``ActivityEntry/value`` is the text's ``Sentiment`` (positive, neutral or negative).
        case messageIn = "message.in"
        case messageOut = "message.out"
        /// The conversation's status changed; ``ActivityEntry/value`` is the new status.
        case status
        /// ``ActivityEntry/value`` is the new assignee, or nil for nobody.
        case assignment
        /// ``ActivityEntry/value`` is the conversation's tags after the change, comma-separated.
        case tags
        /// ``ActivityEntry/value`` is the new priority (0 to 3).
        case priority
        case merge, unmerge
        /// The satisfaction question was sent.
        case ratingAsked = "rating.asked"
        /// The customer rated the conversation; ``ActivityEntry/value`` is the score, 1 to 5.
        case rating
    }

    /// The order lines were appended in (ascending, unique per store).
    public var sequence: Int64
    public var at: Date
    public var kind: Kind
    public var conversationID: String?
    public var customerID: String?
    public var channel: ChannelID?
    /// An automatic message (an acknowledgement, an out-of-office reply); never counts as an answer.
    public var isAutomatic: Bool
    public var actor: String?
    public var value: String?

    public init(
        sequence: Int64 = 0, at: Date, kind: Kind, conversationID: String?, customerID: String?, channel: ChannelID?,
        isAutomatic: Bool = false, actor: String? = nil, value: String? = nil
    ) {
        self.sequence = sequence
        self.at = at
        self.kind = kind
        self.conversationID = conversationID
        self.customerID = customerID
        self.channel = channel
        self.isAutomatic = isAutomatic
        self.actor = actor
        self.value = value
    }
}

/// Reads the event log for reports and SLAs.
public protocol ActivityLogReader: Sendable {
    /// Every line of the conversations opened in `[from, to)`, in append order.
    func activity(ofConversationsOpenedFrom from: Date, to: Date) async throws -> [ActivityEntry]
    /// Every line of the given conversations, in append order.
    func activity(ofConversations ids: [String]) async throws -> [ActivityEntry]
    /// Message lines (in and out) and ratings written in `[from, to)`, in append order.
    func messageActivity(from: Date, to: Date) async throws -> [ActivityEntry]
}
