import Foundation
import Logging
import SwitchboardAdapterKit

/// Reads Account Activity API event POSTs into the same envelopes polling produces: mentions and
/// replies public, DMs private, our own posts and sends skipped.
///
/// Payloads (https://docs.x.com/x-api/account-activity/introduction, "Payload examples"):
/// `{for_user_id, tweet_create_events: [<v1.1 Tweet object>], direct_message_events:
/// [{type: "message_create", id, created_timestamp, message_create: {target: {recipient_id},
/// sender_id, message_data: {text}}}], users: {<id>: {name, screen_name}}}`. Other event kinds
/// (likes, follows, typing, reads) are acknowledged and ignored.
///
/// v1.1 posts carry no `conversation_id`; for replies it is looked up with
/// `GET /2/tweets?ids=…&tweet.fields=conversation_id`, so a thread stays one conversation (if the
/// lookup fails the parent post id stands in, with a parse warning).
struct XAccountActivity: Sendable {
    let inbound: XInbound
    let api: XAPI
    let dms: Bool
    let logger: Logger

    func envelopes(from body: [UInt8], receivedAt: Date) async throws(WebhookRequestError) -> [InboundEnvelope] {
        guard let payload = (try? JSONSerialization.jsonObject(with: Data(body))) as? XAPI.Object else {
            throw WebhookRequestError("the body is not a JSON object; X posts Account Activity events as JSON")
        }
        if let forUser = payload["for_user_id"] as? String, !inbound.isOurs(forUser) {
            // Another account subscribed to the same webhook: not this channel's business.
            return []
        }
        var posts = (payload["tweet_create_events"] as? [XAPI.Object] ?? []).compactMap(Self.post)
            .filter { !inbound.isOurs($0.author.id) }
        var warnings: [String: String] = [:]
        let replies = posts.filter { $0.repliedTo != nil }.map(\.id)
        if !replies.isEmpty {
            let found = await conversationIDs(of: replies)
            for index in posts.indices where posts[index].repliedTo != nil {
                if let conversation = found[posts[index].id] {
                    posts[index].conversationID = conversation
                } else {
                    posts[index].conversationID = posts[index].repliedTo
                    warnings[posts[index].id] =
                        "X did not tell which conversation this reply belongs to; it is filed under the post it answers"
                }
            }
        }
        var envelopes: [InboundEnvelope] = []
        do {
            for post in posts {
                var envelope = try inbound.envelope(for: post, receivedAt: receivedAt)
                if let warning = warnings[post.id] { envelope.parseWarnings.append(warning) }
                envelopes.append(envelope)
            }
            guard dms else { return envelopes }
            let users = payload["users"] as? XAPI.Object ?? [:]
            for event in payload["direct_message_events"] as? [XAPI.Object] ?? [] {
                guard let message = Self.directMessage(event, users: users), !inbound.isOurs(message.sender.id) else {
                    continue
                }
                envelopes.append(try inbound.envelope(for: message, receivedAt: receivedAt))
            }
        } catch {
            throw WebhookRequestError("an event names an author that is not an X user id: \(error)")
        }
        return envelopes
    }

    /// `conversation_id` of each post, from one lookup; empty when X cannot be asked.
    private func conversationIDs(of ids: [String]) async -> [String: String] {
        do {
            let answer = try await api.get(
                "/2/tweets", query: [("ids", ids.joined(separator: ",")), ("tweet.fields", "conversation_id")],
                action: "looking up the conversation of a reply")
            var found: [String: String] = [:]
            for object in answer["data"] as? [XAPI.Object] ?? [] {
                if let id = object["id"] as? String, let conversation = object["conversation_id"] as? String {
                    found[id] = conversation
                }
            }
            return found
        } catch {
            logger.warning("could not look up conversation ids", metadata: ["error": "\(error.message)"])
            return [:]
        }
    }

    /// A v1.1 Tweet object (https://docs.x.com/x-api/fundamentals/data-dictionary#tweet, v1.1 format).
    /// Retweets are skipped: they repeat someone else's words and ask nothing.
    static func post(_ object: XAPI.Object) -> XInbound.Post? {
        guard object["retweeted_status"] == nil, let id = object["id_str"] as? String,
            let user = object["user"] as? XAPI.Object, let userID = user["id_str"] as? String
        else { return nil }
        let extended = object["extended_tweet"] as? XAPI.Object
        let text = extended?["full_text"] as? String ?? object["full_text"] as? String ?? object["text"] as? String
        let repliedTo = object["in_reply_to_status_id_str"] as? String
        return XInbound.Post(
            id: id, text: text ?? "",
            author: XInbound.Author(
                id: userID, name: user["name"] as? String, username: user["screen_name"] as? String),
            conversationID: repliedTo == nil ? id : nil, repliedTo: repliedTo,
            createdAt: XDates.milliseconds(object["timestamp_ms"] as? String)
                ?? (object["created_at"] as? String).flatMap(XDates.legacy),
            raw: RawPayload.json(object).bytes)
    }

    /// A `message_create` event, with its sender from the payload's `users`.
    static func directMessage(_ event: XAPI.Object, users: XAPI.Object) -> XInbound.DirectMessage? {
        guard event["type"] as? String == "message_create", let id = event["id"] as? String,
            let create = event["message_create"] as? XAPI.Object, let senderID = create["sender_id"] as? String
        else { return nil }
        let data = create["message_data"] as? XAPI.Object
        let user = users[senderID] as? XAPI.Object
        return XInbound.DirectMessage(
            id: id, text: data?["text"] as? String ?? "",
            sender: XInbound.Author(
                id: senderID, name: user?["name"] as? String, username: user?["screen_name"] as? String),
            createdAt: XDates.milliseconds(event["created_timestamp"] as? String),
            mediaCount: data?["attachment"] == nil ? 0 : 1, raw: RawPayload.json(event).bytes)
    }
}
