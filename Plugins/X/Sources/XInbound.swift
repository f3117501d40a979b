import Foundation
import SwitchboardAdapterKit

/// Turns X API v2 posts and DM events into the hub's envelopes, the same way for polling and
/// webhooks: posts are public (thread `post:<conversation_id>`, dedup key the post id), DMs private
/// (thread `dm:<sender id>`, one DM thread per person, dedup key `dm:<event id>`), and both come
/// from `x:<author user id>`, so one person's mentions and DMs belong to one customer.
///
/// Object formats: https://docs.x.com/x-api/fundamentals/data-dictionary (Post, User, DM event)
/// and https://docs.x.com/x-api/fundamentals/conversation-id.
struct XInbound: Sendable {
    let channel: ChannelID
    let accountID: String

    /// Who an X user is, as far as a payload says.
    struct Author: Sendable, Hashable {
        var id: String
        var name: String?
        var username: String?
    }

    /// One public post as the hub needs it; built from a v2 post or a v1.1 webhook post.
    struct Post: Sendable, Hashable {
        var id: String
        var text: String
        var author: Author
        var conversationID: String?
        var repliedTo: String?
        var createdAt: Date?
        var raw: [UInt8]
    }

    /// One DM; built from a v2 DM event or an Account Activity `message_create` event.
    struct DirectMessage: Sendable, Hashable {
        var id: String
        var text: String
        var sender: Author
        var createdAt: Date?
        var mediaCount: Int
        var raw: [UInt8]
    }

    var ourAddress: Address? { try? Address(kind: .x, value: accountID) }

    func isOurs(_ userID: String) -> Bool { XConfiguration.numericID(userID) == accountID }

    /// The envelope for a public post: a mention, a reply, or a post found by listening (`tags`).
    func envelope(for post: Post, tags: [String] = [], receivedAt: Date) throws -> InboundEnvelope {
        let sent = XDates.sentAt(post.createdAt, receivedAt: receivedAt)
        return InboundEnvelope(
            channel: channel, externalID: post.id, from: try address(of: post.author), to: ourAddress,
            threadKey: "post:" + (post.conversationID ?? post.id), visibility: .public, text: post.text,
            inReplyTo: post.repliedTo, sentAt: sent.date,
            raw: RawPayload(contentType: "application/json", bytes: post.raw), hints: hints(post.author),
            parseWarnings: sent.warning.map { [$0] } ?? [], tags: tags)
    }

    /// The envelope for a DM to the brand account.
    func envelope(for message: DirectMessage, receivedAt: Date) throws -> InboundEnvelope {
        var warnings =
            message.mediaCount > 0
            ? ["the DM carried \(message.mediaCount) media attachment(s); open the conversation on X to see them"] : []
        let sent = XDates.sentAt(message.createdAt, receivedAt: receivedAt)
        if let warning = sent.warning { warnings.append(warning) }
        return InboundEnvelope(
            channel: channel, externalID: "dm:" + message.id, from: try address(of: message.sender), to: ourAddress,
            threadKey: "dm:" + message.sender.id, visibility: .private, text: message.text,
            sentAt: sent.date,
            raw: RawPayload(contentType: "application/json", bytes: message.raw), hints: hints(message.sender),
            parseWarnings: warnings)
    }

    private func address(of author: Author) throws(InboundError) -> Address {
        do {
            return try Address(kind: .x, value: author.id)
        } catch {
            throw InboundError("the author id '\(author.id)' is not a numeric X user id: \(error.message)")
        }
    }

    private func hints(_ author: Author) -> IdentityHints {
        IdentityHints(displayName: author.name, rawHandle: author.username.map { "@" + $0 })
    }

    // MARK: - X API v2 objects

    /// A v2 post (`data[]` of the mentions timeline or recent search), with its author from
    /// `includes.users`.
    static func post(_ object: XAPI.Object, users: [String: Author]) -> Post? {
        guard let id = object["id"] as? String, let authorID = object["author_id"] as? String else { return nil }
        let replied = (object["referenced_tweets"] as? [XAPI.Object])?.first { $0["type"] as? String == "replied_to" }
        return Post(
            id: id, text: object["text"] as? String ?? "", author: users[authorID] ?? Author(id: authorID),
            conversationID: object["conversation_id"] as? String, repliedTo: replied?["id"] as? String,
            createdAt: (object["created_at"] as? String).flatMap(XDates.iso8601), raw: RawPayload.json(object).bytes)
    }

    /// A v2 `MessageCreate` DM event, with its sender from `includes.users`.
    static func directMessage(_ object: XAPI.Object, users: [String: Author]) -> DirectMessage? {
        guard object["event_type"] as? String ?? "MessageCreate" == "MessageCreate",
            let id = object["id"] as? String, let senderID = object["sender_id"] as? String
        else { return nil }
        let media = ((object["attachments"] as? XAPI.Object)?["media_keys"] as? [Any])?.count ?? 0
        return DirectMessage(
            id: id, text: object["text"] as? String ?? "", sender: users[senderID] ?? Author(id: senderID),
            createdAt: (object["created_at"] as? String).flatMap(XDates.iso8601), mediaCount: media,
            raw: RawPayload.json(object).bytes)
    }

    /// `includes.users` by id.
    static func users(in response: XAPI.Object) -> [String: Author] {
        let list = (response["includes"] as? XAPI.Object)?["users"] as? [XAPI.Object] ?? []
        var users: [String: Author] = [:]
        for user in list {
            guard let id = user["id"] as? String else { continue }
            users[id] = Author(id: id, name: user["name"] as? String, username: user["username"] as? String)
        }
        return users
    }
}

/// A payload item that cannot become an envelope (an author id that is not numeric).
struct InboundError: Error, Sendable, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// X's timestamps and ids, read the way X writes them.
enum XDates {
    /// `2024-01-15T10:30:00.000Z` (v2), with or without fractional seconds.
    static func iso8601(_ text: String) -> Date? {
        (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
            ?? (try? Date(text, strategy: Date.ISO8601FormatStyle()))
    }

    /// `Fri Sep 18 18:36:15 +0000 2020` (v1.1 posts in Account Activity events).
    static func legacy(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE MMM dd HH:mm:ss Z yyyy"
        return formatter.date(from: text)
    }

    /// A message's time, or when the hub received it (with a parse warning) when the payload's
    /// time is implausible.
    static func sentAt(_ date: Date?, receivedAt: Date) -> (date: Date, warning: String?) {
        guard let date else { return (receivedAt, nil) }
        let seconds = date.timeIntervalSince1970
        guard MessageTime.isPlausible(date) else {
            return (receivedAt, "X gave an impossible time (\(seconds) s since 1970); the time it arrived is shown")
        }
        return (date, nil)
    }

    /// Epoch milliseconds as a string (`created_timestamp`, `timestamp_ms`); an implausible value
    /// is kept as it is, for ``sentAt(_:receivedAt:)`` to replace with a warning.
    static func milliseconds(_ text: String?) -> Date? {
        guard let text, let millis = Double(text) else { return nil }
        return Date(timeIntervalSince1970: millis / 1000)
    }
}

/// X ids are 64-bit snowflakes, ordered by time; compared as numbers, never as strings.
enum XIDs {
    static func isNewer(_ id: String, than other: String?) -> Bool {
        guard let other else { return true }
        guard let lhs = UInt64(id), let rhs = UInt64(other) else { return id > other }
        return lhs > rhs
    }

    /// The newest of `ids` (and `current`).
    static func newest(_ ids: [String], current: String?) -> String? {
        ids.reduce(current) { best, id in isNewer(id, than: best) ? id : best }
    }

    /// Oldest first.
    static func ascending(_ lhs: String, _ rhs: String) -> Bool { isNewer(rhs, than: lhs) }
}
