import Foundation
import Logging
import SwitchboardAdapterKit

/// Answers the first message of a new conversation with the channel's `acknowledge:` text (“we
/// got your message”), queued through the outbox like any reply and marked automatic.
///
/// Never answers a message that is itself automatic (an out-of-office reply, a bounce, list
/// mail): that is how two auto-responders are kept from answering each other for ever.
public struct Acknowledger: Sendable {
    /// The acknowledgement text per channel instance; channels without one are not acknowledged.
    public let texts: [ChannelID: String]
    let outbox: any OutboxStore
    let queued: @Sendable () -> Void

    /// - Parameter queued: called after an acknowledgement is queued (wakes the dispatcher).
    public init(texts: [ChannelID: String], outbox: any OutboxStore, queued: @escaping @Sendable () -> Void) {
        self.texts = texts
        self.outbox = outbox
        self.queued = queued
    }

    /// Messages written longer ago than this are history being imported (a mailbox read for the
    /// first time), not someone waiting for an answer.
    public static let maxAge: Duration = .seconds(24 * 3600)

    /// Whether `message`, just stored, gets an acknowledgement: it opened a conversation, a person
    /// wrote it, it is recent, and its sender is a real address (not an `.invalid` stand-in for
    /// one the adapter could not read).
    public func shouldAcknowledge(_ stored: StoredMessage, now: Date = Date()) -> Bool {
        // Never on a public post (a mention, a listening hit): an automatic answer there is seen by all.
        stored.newConversation && !stored.message.isAutomatic && texts[stored.message.channel] != nil
            && stored.message.visibility == .private
            && now.timeIntervalSince(stored.message.sentAt) < Double(Self.maxAge.components.seconds)
            && !stored.conversation.customerAddress.value.lowercased().hasSuffix(".invalid")
    }

    /// Queues the acknowledgement for a message ``shouldAcknowledge(_:now:)`` accepted; a failure
    /// is logged, never passed on (the message is stored).
    func acknowledge(_ stored: StoredMessage, logger: Logger) async {
        guard let text = texts[stored.message.channel] else { return }
        do {
            _ = try await outbox.enqueueReply(
                ReplyRequest(
                    conversationID: stored.conversation.id, text: text, author: "auto-acknowledge", isAutomatic: true))
            queued()
        } catch {
            logger.error(
                "could not queue the acknowledgement",
                metadata: ["conversation": "\(stored.conversation.id)", "error": "\(error)"])
        }
    }
}
