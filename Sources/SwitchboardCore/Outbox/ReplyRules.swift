import Foundation
import SwitchboardAdapterKit

/// The channel rules a reply must meet before an adapter is asked to send it: that the channel
/// sends at all, its length limit and attachments, visibility, templates, and the customer-service
/// window of channels that have one (WhatsApp, Messenger,
/// Instagram: free-form replies only within 24 hours of the customer's last message). A reply that
/// breaks one fails for good, with the rule named, instead of being sent to be refused.
public enum ReplyRules {
    /// Throws a permanent ``SendError`` naming the rule `message` breaks on a channel with
    /// `capabilities`, at `now`; returns when it may be sent.
    public static func check(_ message: OutboundMessage, capabilities: ChannelCapabilities, now: Date)
        throws(SendError)
    {
        let channel = message.channel
        guard capabilities.canSend else { throw SendError(.permanent, "channel '\(channel)' cannot send messages") }
        if let limit = capabilities.maxTextLength, message.text.count > limit {
            throw SendError(
                .permanent, "the reply has \(message.text.count) characters; channel '\(channel)' allows \(limit)")
        }
        if !message.attachments.isEmpty && !capabilities.supportsAttachments {
            throw SendError(.permanent, "channel '\(channel)' does not carry attachments")
        }
        guard capabilities.visibilities.contains(message.visibility) else {
            throw SendError(
                .permanent,
                "channel '\(channel)' has no \(message.visibility) replies; send it as "
                    + capabilities.visibilities.map(\.rawValue).sorted().joined(separator: " or "))
        }
        if let template = message.template {
            guard capabilities.templates else {
                throw SendError(
                    .permanent,
                    "channel '\(channel)' has no message templates; '\(template.name)' cannot be sent there, write the reply instead"
                )
            }
            return
        }
        // The window is on direct messages; a public reply (under a comment) has none.
        guard let window = capabilities.replyWindow, message.visibility == .private else { return }
        let hours = window.components.seconds / 3600
        guard let last = message.lastInboundAt else {
            throw SendError(
                .permanent,
                "channel '\(channel)' allows free-form messages only within \(hours) hours of the customer's last "
                    + "message, and this customer has not written in this conversation; send an approved template instead"
            )
        }
        let elapsed = now.timeIntervalSince(last)
        if elapsed > Double(window.components.seconds) {
            throw SendError(
                .permanent,
                "outside the \(hours)-hour customer-service window of channel '\(channel)': the customer last wrote "
                    + "\(Int(elapsed / 3600)) hours ago, and free-form replies are allowed only within \(hours) hours of "
                    + "their last message; send an approved template instead (switchboard reply --template NAME)")
        }
    }
}
