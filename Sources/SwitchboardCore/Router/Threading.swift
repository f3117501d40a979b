import Foundation
import SwitchboardAdapterKit

/// Where an inbound message goes, decided from the customer's latest conversation with the same
/// thread key on the same channel instance.
public enum ConversationDecision: Sendable, Hashable {
    /// Add to this open (or pending, or snoozed) conversation.
    case append(conversationID: String)
    /// The conversation was resolved recently: reopen it and add the message.
    case reopen(conversationID: String)
    /// Start a new conversation.
    case open
}

/// The threading rule of the router, as a pure function.
public enum Threading {
    /// - Parameters:
    ///   - latest: the newest conversation of this customer with this thread key on this channel.
    ///   - at: when the new message was sent.
    ///   - reopenWindow: how long after resolution a new message reopens rather than starts anew.
    public static func decide(latest: Conversation?, at: Date, reopenWindow: Duration) -> ConversationDecision {
        guard let latest else { return .open }
        guard latest.status == .resolved else { return .append(conversationID: latest.id) }
        let resolvedAt = latest.resolvedAt ?? latest.lastMessageAt
        return at.timeIntervalSince(resolvedAt) <= reopenWindow.timeInterval
            ? .reopen(conversationID: latest.id) : .open
    }
}
