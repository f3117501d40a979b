import Foundation
import SwitchboardAdapterKit

/// Sends replies: a public reply becomes a post answering the customer's latest post
/// (`POST /2/tweets`), a private one a DM to the customer (`POST /2/dm_conversations/with/:id/messages`).
///
/// A private reply in a public conversation is how the hub's "move to private" works: the agent's
/// answer goes out as a DM to the same person, while the hub posts its public "we've sent you a DM"
/// notice as a separate public reply. Sources: https://docs.x.com/x-api/posts/create-post and
/// https://docs.x.com/x-api/direct-messages/create-dm-message-by-participant-id
struct XOutbound: Sendable {
    let api: XAPI

    /// X's limit for a post by an account without a premium subscription.
    static let maxPostLength = 280
    /// X's limit for one DM.
    static let maxDMLength = 10_000

    func send(_ message: OutboundMessage) async throws(SendError) -> SendReceipt {
        guard message.to.kind == .x else {
            throw SendError(.invalidRecipient, "X replies go to x: addresses, not to \(message.to.kind.rawValue)")
        }
        switch message.visibility {
        case .public: return try await post(message)
        case .private: return try await directMessage(message)
        }
    }

    private func post(_ message: OutboundMessage) async throws(SendError) -> SendReceipt {
        guard let parent = message.inReplyTo, XConfiguration.numericID(parent) != nil else {
            throw SendError(
                .permanent,
                "a public reply on X answers one of the customer's posts, and this conversation has none to answer"
                    + (message.inReplyTo.map { " (\($0) is a DM)" } ?? "")
                    + "; send it privately (as a DM) instead")
        }
        guard message.text.count <= Self.maxPostLength else {
            throw SendError(
                .permanent,
                "a public reply on X is at most \(Self.maxPostLength) characters and this one has \(message.text.count); "
                    + "shorten it or send it privately (DMs take up to \(Self.maxDMLength))")
        }
        let answer = try await api.post(
            "/2/tweets", json: ["text": message.text, "reply": ["in_reply_to_tweet_id": parent]],
            action: "posting the public reply")
        let id = (answer["data"] as? XAPI.Object)?["id"] as? String
        return try receipt(id, what: "the post")
    }

    private func directMessage(_ message: OutboundMessage) async throws(SendError) -> SendReceipt {
        guard message.text.count <= Self.maxDMLength else {
            throw SendError(.permanent, "a DM on X is at most \(Self.maxDMLength) characters; shorten it")
        }
        let answer = try await api.post(
            "/2/dm_conversations/with/\(message.to.value)/messages", json: ["text": message.text],
            action: "sending the DM")
        let id = (answer["data"] as? XAPI.Object)?["dm_event_id"] as? String
        return try receipt(id.map { "dm:" + $0 }, what: "the DM")
    }

    private func receipt(_ id: String?, what: String) throws(SendError) -> SendReceipt {
        guard let id, !id.isEmpty else {
            // Accepted, but without an id nothing can be matched to it: retrying would send it twice.
            throw SendError(
                .permanent,
                "X accepted \(what) but its answer had no id; it was probably sent: check the account on X before "
                    + "retrying")
        }
        return SendReceipt(externalID: id)
    }
}
