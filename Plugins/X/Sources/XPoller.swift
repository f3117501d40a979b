import Foundation
import Logging
import SwitchboardAdapterKit

/// Reads what is new on X (mentions of the brand account, DMs to it, posts matching the `listen`
/// queries) and hands it to the hub, advancing each source's position only after the hub says the
/// batch is durable: a restart neither loses nor repeats.
///
/// Positions live in ``AdapterContext/cursor``: the newest mention id (`since_id`), the newest DM
/// event id, and per listen query the newest post id. On the very first poll of a source only its
/// newest page is read, so a new channel does not import months of history. A poll reads at most
/// ``maxPages`` pages; what it leaves unread is an ``XPollGap``, filled on the next polls before the
/// position moves on.
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

        /// Where the unread part of a capped poll is remembered (see ``XPollGap``).
        var gapKey: String {
            switch self {
            case .mentions: "mentions:gap"
            case .directMessages: "dm_events:gap"
            case .listening(let query): "listen:\(query):gap"
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
        try await pollPosts(
            .mentions, path: "/2/users/\(inbound.accountID)/mentions", extra: [], pageParameter: "pagination_token",
            tags: [], action: "reading the mentions timeline")
    }

    /// `GET /2/tweets/search/recent` for one listen query since its stored id:
    /// https://docs.x.com/x-api/posts/search-recent-posts
    func pollListening(_ query: String) async throws -> Report {
        let search = query.contains("is:retweet") ? query : "(\(query)) -is:retweet"
        return try await pollPosts(
            .listening(query), path: "/2/tweets/search/recent", extra: [("query", search)], pageParameter: "next_token",
            tags: ["listening"], action: "searching recent posts for '\(query)'")
    }

    /// Posts newer than the stored id; while a gap is open (an earlier poll hit the page cap), only
    /// the gap (`until_id` = the oldest post already delivered) until it is closed.
    private func pollPosts(
        _ source: Source, path: String, extra: [(name: String, value: String)], pageParameter: String,
        tags: [String], action: String
    ) async throws -> Report {
        let since = try await cursor.value(for: source.cursorKey)
        let gap = try await XPollGap.stored(in: cursor, key: source.gapKey, position: since)
        let (posts, capped) = try await readPosts(
            path: path, extra: extra, since: since, until: gap?.oldest, pageParameter: pageParameter, action: action)
        return try await deliver(posts, capped: capped, tags: tags, since: since, gap: gap, source: source)
    }

    /// Every page newest to oldest, up to ``maxPages``; `capped` when X had more.
    private func readPosts(
        path: String, extra: [(name: String, value: String)], since: String?, until: String?, pageParameter: String,
        action: String
    ) async throws -> (posts: [XInbound.Post], capped: Bool) {
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
            if let until { query.append(("until_id", until)) }
            if let token { query.append((pageParameter, token)) }
            let page = try await api.get(path, query: query, action: action)
            let users = XInbound.users(in: page)
            posts += (page["data"] as? [XAPI.Object] ?? []).compactMap { XInbound.post($0, users: users) }
            token = (page["meta"] as? XAPI.Object)?["next_token"] as? String
            pages += 1
        } while token != nil && since != nil && pages < Self.maxPages
        return (posts, token != nil && since != nil)
    }

    /// `GET /2/dm_events`, newest first, until the stored newest event; delivered oldest first:
    /// https://docs.x.com/x-api/direct-messages/get-dm-events. The endpoint has no `since_id` or
    /// `until_id`, so a gap left by the page cap is resumed from its `pagination_token`.
    func pollDirectMessages() async throws -> Report {
        let key = Source.directMessages.cursorKey
        let stored = try await cursor.value(for: key)
        let gap = try await XPollGap.stored(in: cursor, key: Source.directMessages.gapKey, position: stored)
        var messages: [XInbound.DirectMessage] = []
        var newestRead: String?
        var oldestRead: String?
        var token = gap?.nextToken
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
                // Delivered already, by the poll that opened the gap.
                if let gap, !XIDs.isNewer(gap.oldest, than: id) { continue }
                newestRead = XIDs.newest([id], current: newestRead)
                if oldestRead.map({ XIDs.isNewer($0, than: id) }) ?? true { oldestRead = id }
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
        let capped = !reachedStored && token != nil && stored != nil
        try await advance(
            .directMessages, position: stored, gap: gap, newestRead: newestRead,
            openGap: capped ? oldestRead.map { (oldest: $0, nextToken: token) } : nil)
        return report
    }

    /// Hands new posts over oldest first (our own skipped), then moves the position or the gap.
    private func deliver(
        _ posts: [XInbound.Post], capped: Bool, tags: [String], since: String?, gap: XPollGap?, source: Source
    ) async throws -> Report {
        var report = Report(fetched: posts.count)
        var seen = Set<String>()
        let until = gap?.oldest
        let fresh = posts.filter { post in
            XIDs.isNewer(post.id, than: since) && (until.map { XIDs.isNewer($0, than: post.id) } ?? true)
                && seen.insert(post.id).inserted
        }
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
        try await advance(
            source, position: since, gap: gap, newestRead: fresh.last?.id,
            openGap: capped ? fresh.first.map { (oldest: $0.id, nextToken: nil) } : nil)
        return report
    }

    /// After the hub stored a batch: when the page cap left older items unread (`openGap`: the
    /// oldest id read, and the token of the next page), the gap is remembered and the position
    /// stays; otherwise the gap is closed and the position moves to the newest id delivered.
    private func advance(
        _ source: Source, position: String?, gap: XPollGap?, newestRead: String?,
        openGap: (oldest: String, nextToken: String?)?
    ) async throws {
        let newest = XIDs.newest(newestRead.map { [$0] } ?? [], current: gap?.newest ?? position)
        if let openGap, let newest {
            logger.info(
                "X has more \(source) than one poll reads; the rest follows on the next polls",
                metadata: ["older_than": "\(openGap.oldest)"])
            try await XPollGap(newest: newest, oldest: openGap.oldest, nextToken: openGap.nextToken)
                .store(in: cursor, key: source.gapKey)
        } else {
            try await XPollGap.close(
                at: newest, previous: position, in: cursor, positionKey: source.cursorKey, gapKey: source.gapKey)
        }
    }

    /// Delivers a batch; a refusal stops the source here (its position is not advanced).
    private func hand(_ envelopes: [InboundEnvelope], source: Source) async throws -> Int {
        do {
            _ = try await sink.deliverAll(envelopes)
        } catch let refused as DeliveryRefused {
            throw PollError("the hub refused \(source) item \(refused.externalID): \(refused.reason)")
        } catch let incomplete as DeliveryIncomplete {
            throw PollError(
                "the hub returned \(incomplete.outcomes) outcomes for \(incomplete.envelopes) \(source) items")
        }
        return envelopes.count
    }
}

/// A poll stopped at an item the hub would not store; the message says which and why.
struct PollError: Error, Sendable, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
