import Foundation
import Logging
import SwitchboardAdapterKit

/// Reads what is new on X (mentions of the brand account, DMs to it, posts matching the `listen`
/// queries) and hands it to the hub, advancing each source's position only after the hub says the
/// batch is durable: a restart neither loses nor repeats.
///
/// Positions live in ``AdapterContext/cursor``: the newest mention id (`since_id`), the newest DM
/// event id, and per listen query the newest post id. On the very first poll of a source only its
/// newest page is read, so a new channel does not import months of history.
struct XPoller: Sendable {
    /// One thing the poller reads; each has its own position and its own rate limit at X.
    enum Source: Sendable, Hashable, CustomStringConvertible {
        case mentions
        case directMessages
        case listening(String)

        var cursorKey: String {
            switch self {
            case .mentions: "mentions:since_id"
            case .directMessages: "dm_events:newest_id"
            case .listening(let query): "listen:\(query):since_id"
            }
        }

        var description: String {
            switch self {
            case .mentions: "mentions"
            case .directMessages: "direct messages"
            case .listening(let query): "listening '\(query)'"
            }
        }
    }

    /// What one poll of one source did.
    struct Report: Sendable, Hashable {
        var fetched = 0
        var delivered = 0
        var skippedOwn = 0
    }

    let api: XAPI
    let inbound: XInbound
    let cursor: any CursorStore
    let sink: any InboundSink
    let logger: Logger

    /// Pages read per poll at most, so a backlog is worked through over several polls of bounded size.
    static let maxPages = 20
    static let postFields = "created_at,conversation_id,in_reply_to_user_id,referenced_tweets,author_id"
    static let dmFields = "id,text,created_at,sender_id,dm_conversation_id,attachments,referenced_tweets"

    func poll(_ source: Source) async throws -> Report {
        switch source {
        case .mentions: return try await pollMentions()
        case .directMessages: return try await pollDirectMessages()
        case .listening(let query): return try await pollListening(query)
        }
    }

    /// `GET /2/users/:id/mentions` since the stored id, every page, delivered oldest first:
    /// https://docs.x.com/x-api/posts/user-mention-timeline-by-user-id
    func pollMentions() async throws -> Report {
        let since = try await cursor.value(for: Source.mentions.cursorKey)
        let posts = try await readPosts(
            path: "/2/users/\(inbound.accountID)/mentions", extra: [], since: since, pageParameter: "pagination_token",
            action: "reading the mentions timeline")
        return try await deliver(posts, tags: [], since: since, source: .mentions)
    }

    /// `GET /2/tweets/search/recent` for one listen query since its stored id:
    /// https://docs.x.com/x-api/posts/search-recent-posts
    func pollListening(_ query: String) async throws -> Report {
        let source = Source.listening(query)
        let since = try await cursor.value(for: source.cursorKey)
        let search = query.contains("is:retweet") ? query : "(\(query)) -is:retweet"
        let posts = try await readPosts(
            path: "/2/tweets/search/recent", extra: [("query", search)], since: since, pageParameter: "next_token",
            action: "searching recent posts for '\(query)'")
        return try await deliver(posts, tags: ["listening"], since: since, source: source)
    }

    private func readPosts(
        path: String, extra: [(name: String, value: String)], since: String?, pageParameter: String, action: String
    ) async throws -> [XInbound.Post] {
        var posts: [XInbound.Post] = []
        var token: String?
        var pages = 0
        repeat {
            var query =
                extra + [
                    ("tweet.fields", Self.postFields), ("expansions", "author_id"), ("user.fields", "username,name"),
                    ("max_results", "100"),
                ]
            if let since { query.append(("since_id", since)) }
            if let token { query.append((pageParameter, token)) }
            let page = try await api.get(path, query: query, action: action)
            let users = XInbound.users(in: page)
            posts += (page["data"] as? [XAPI.Object] ?? []).compactMap { XInbound.post($0, users: users) }
            token = (page["meta"] as? XAPI.Object)?["next_token"] as? String
            pages += 1
        } while token != nil && since != nil && pages < Self.maxPages
        return posts
    }

    /// `GET /2/dm_events`, newest first, until the stored newest event; delivered oldest first:
    /// https://docs.x.com/x-api/direct-messages/get-dm-events
    func pollDirectMessages() async throws -> Report {
        let key = Source.directMessages.cursorKey
        let stored = try await cursor.value(for: key)
        var messages: [XInbound.DirectMessage] = []
        var newest = stored
        var token: String?
        var reachedStored = false
        var pages = 0
        repeat {
            var query: [(name: String, value: String)] = [
                ("event_types", "MessageCreate"), ("dm_event.fields", Self.dmFields), ("expansions", "sender_id"),
                ("user.fields", "username,name"), ("max_results", "100"),
            ]
            if let token { query.append(("pagination_token", token)) }
            let page = try await api.get("/2/dm_events", query: query, action: "reading direct messages")
            let users = XInbound.users(in: page)
            for object in page["data"] as? [XAPI.Object] ?? [] {
                guard let id = object["id"] as? String else { continue }
                guard XIDs.isNewer(id, than: stored) else {
                    reachedStored = true
                    break
                }
                newest = XIDs.newest([id], current: newest)
                if let message = XInbound.directMessage(object, users: users) { messages.append(message) }
            }
            token = (page["meta"] as? XAPI.Object)?["next_token"] as? String
            pages += 1
        } while !reachedStored && token != nil && stored != nil && pages < Self.maxPages
        var report = Report(fetched: messages.count)
        let now = Date()
        var envelopes: [InboundEnvelope] = []
        for message in messages.sorted(by: { XIDs.ascending($0.id, $1.id) }) {
            if inbound.isOurs(message.sender.id) {
                report.skippedOwn += 1
                continue
            }
            do {
                envelopes.append(try inbound.envelope(for: message, receivedAt: now))
            } catch {
                logger.warning("skipped a DM X sent without a usable sender", metadata: ["error": "\(error)"])
            }
        }
        report.delivered = try await hand(envelopes, source: .directMessages)
        if let newest, newest != stored { try await cursor.setValue(newest, for: key) }
        return report
    }

    /// Hands new posts over oldest first (our own skipped), then stores the newest id seen.
    private func deliver(_ posts: [XInbound.Post], tags: [String], since: String?, source: Source) async throws
        -> Report
    {
        var report = Report(fetched: posts.count)
        var seen = Set<String>()
        let fresh = posts.filter { XIDs.isNewer($0.id, than: since) && seen.insert($0.id).inserted }
            .sorted { XIDs.ascending($0.id, $1.id) }
        let now = Date()
        var envelopes: [InboundEnvelope] = []
        for post in fresh {
            if inbound.isOurs(post.author.id) {
                report.skippedOwn += 1
                continue
            }
            do {
                envelopes.append(try inbound.envelope(for: post, tags: tags, receivedAt: now))
            } catch {
                logger.warning("skipped a post X sent without a usable author", metadata: ["error": "\(error)"])
            }
        }
        report.delivered = try await hand(envelopes, source: source)
        if let newest = XIDs.newest(fresh.map(\.id), current: since), newest != since {
            try await cursor.setValue(newest, for: source.cursorKey)
        }
        return report
    }

    /// Delivers a batch; a refusal stops the source here (its position is not advanced).
    private func hand(_ envelopes: [InboundEnvelope], source: Source) async throws -> Int {
        guard !envelopes.isEmpty else { return 0 }
        let outcomes = try await sink.deliver(envelopes)
        for (envelope, outcome) in zip(envelopes, outcomes) {
            if case .rejected(let reason) = outcome {
                throw PollError("the hub refused \(source) item \(envelope.externalID): \(reason)")
            }
        }
        guard outcomes.count == envelopes.count else {
            throw PollError("the hub returned \(outcomes.count) outcomes for \(envelopes.count) \(source) items")
        }
        return envelopes.count
    }
}

/// A poll stopped at an item the hub would not store; the message says which and why.
struct PollError: Error, Sendable, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
