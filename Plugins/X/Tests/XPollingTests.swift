import Foundation
import SwitchboardAdapterKit
import SwitchboardAdapterTesting
import Synchronization
import Testing

@testable import XAdapter

@Suite struct XPollingTests {
    @Test func mentionsBecomePublicEnvelopesOldestFirst() async throws {
        let http = fakeXAPI()
        http.answer(200, conversationThread)
        let sink = RecordingInboundSink()
        let cursor = MemoryCursorStore()
        let report = try await makeAdapter(http: http, sink: sink, cursor: cursor).poll(.mentions)
        #expect(report.delivered == 3)

        let request = try #require(http.requests.withLock { $0.first })
        #expect(request.method == "GET")
        #expect(path(request) == "/2/users/1111111111/mentions")
        let parameters = query(request)
        #expect(
            parameters["tweet.fields"] == "created_at,conversation_id,in_reply_to_user_id,referenced_tweets,author_id")
        #expect(parameters["expansions"] == "author_id")
        #expect(parameters["user.fields"] == "username,name")
        #expect(parameters["since_id"] == nil)
        #expect(request.headers.contains { $0.name == "Authorization" && $0.value == "Bearer \(accessToken)" })

        let envelopes = sink.envelopes.withLock { $0 }
        #expect(envelopes.map(\.externalID) == ["1234567891", "1234567892", "1234567893"])
        let first = try #require(envelopes.first)
        #expect(first.from == (try Address(kind: .x, value: "4444444444")))
        #expect(first.to == (try Address(kind: .x, value: "1111111111")))
        #expect(first.visibility == .public)
        #expect(first.threadKey == "post:1234567890")
        #expect(first.inReplyTo == "1234567890")
        #expect(first.text == "@user1 Great point!")
        #expect(first.sentAt == (try Date("2024-01-15T12:02:00Z", strategy: .iso8601)))
        #expect(first.tags.isEmpty)
        #expect(envelopes.last?.inReplyTo == "1234567892")
        #expect(cursor.values.withLock { $0["mentions:since_id"] } == "1234567893")
    }

    @Test func theCursorMovesOnlyAfterTheHubStoredTheBatch() async throws {
        let http = fakeXAPI()
        http.answer(200, conversationThread)
        let sink = RecordingInboundSink()
        let cursor = MemoryCursorStore()
        sink.failNext.withLock { $0 = TestError("database is locked") }
        let adapter = makeAdapter(http: http, sink: sink, cursor: cursor)
        await #expect(throws: TestError.self) { try await adapter.poll(.mentions) }
        #expect(cursor.values.withLock { $0.isEmpty })
        #expect(sink.storedIDs.isEmpty)

        http.answer(200, conversationThread)
        _ = try await adapter.poll(.mentions)
        #expect(sink.storedIDs == ["1234567891", "1234567892", "1234567893"])
        #expect(cursor.values.withLock { $0["mentions:since_id"] } == "1234567893")
    }

    @Test func aRefusedBatchStopsTheSourceWhereItIs() async throws {
        let http = fakeXAPI()
        http.answer(200, conversationThread)
        let cursor = MemoryCursorStore()
        let sink = RecordingInboundSink()
        sink.refusing.withLock { $0 = ["1234567891": "refused for the test"] }
        await #expect(throws: PollError.self) {
            try await makeAdapter(http: http, sink: sink, cursor: cursor).poll(.mentions)
        }
        #expect(cursor.values.withLock { $0.isEmpty })
    }

    @Test func aRestartContinuesFromTheStoredIDWithoutLossOrRepeat() async throws {
        let sink = RecordingInboundSink()
        let cursor = MemoryCursorStore()
        let firstHTTP = fakeXAPI()
        firstHTTP.answer(200, conversationThread)
        _ = try await makeAdapter(http: firstHTTP, sink: sink, cursor: cursor).poll(.mentions)

        // A new adapter instance (the hub restarted) with the same store: newer mentions only.
        let secondHTTP = fakeXAPI()
        secondHTTP.answer(200, mentionsQuickstartPage.replacingOccurrences(of: "\"next_token\"", with: "\"unused\""))
        _ = try await makeAdapter(http: secondHTTP, accountID: "1111111111", sink: sink, cursor: cursor)
            .poll(.mentions)
        let request = try #require(secondHTTP.requests.withLock { $0.first })
        #expect(query(request)["since_id"] == "1234567893")
        #expect(sink.envelopes.withLock { $0.count } == 8)
        #expect(Set(sink.storedIDs).count == 8)
        #expect(cursor.values.withLock { $0["mentions:since_id"] } == "1301573587187331074")

        // Another restart; should X send posts at or before the stored id, none is handed over twice.
        let thirdHTTP = fakeXAPI()
        thirdHTTP.answer(200, conversationThread)
        _ = try await makeAdapter(http: thirdHTTP, sink: sink, cursor: cursor).poll(.mentions)
        #expect(query(try #require(thirdHTTP.requests.withLock { $0.first }))["since_id"] == "1301573587187331074")
        #expect(sink.envelopes.withLock { $0.count } == 8)
        #expect(cursor.values.withLock { $0["mentions:since_id"] } == "1301573587187331074")
    }

    @Test func mentionsArePaginatedUntilXHasNoMore() async throws {
        let http = fakeXAPI()
        http.answer(200, mentionsQuickstartPage)
        http.answer(200, conversationThread)
        let sink = RecordingInboundSink()
        let cursor = MemoryCursorStore()
        try await cursor.setValue("1", for: "mentions:since_id")
        let report = try await makeAdapter(http: http, sink: sink, cursor: cursor).poll(.mentions)
        let requests = http.requests.withLock { $0 }
        #expect(requests.count == 2)
        #expect(query(requests[0])["pagination_token"] == nil)
        #expect(query(requests[1])["pagination_token"] == "t3buvdr5pujq9g7bggsnf3ep2ha28")
        #expect(query(requests[1])["since_id"] == "1")
        #expect(report.delivered == 8)
        let ids = sink.envelopes.withLock { $0.map(\.externalID) }
        #expect(ids.first == "1234567891")
        #expect(ids.last == "1301573587187331074")
        let dev = try #require(sink.envelopes.withLock { $0.last })
        #expect(dev.hints.displayName == "Twitter Dev")
        #expect(dev.hints.rawHandle == "@TwitterDev")
        #expect(dev.threadKey == "post:1301573587187331074")
        #expect(cursor.values.withLock { $0["mentions:since_id"] } == "1301573587187331074")
    }

    @Test func ourOwnPostsAreSkippedButPassed() async throws {
        let http = fakeXAPI()
        http.answer(200, mentionsQuickstartPage)
        let sink = RecordingInboundSink()
        let cursor = MemoryCursorStore()
        let report = try await makeAdapter(http: http, accountID: "2244994945", sink: sink, cursor: cursor)
            .poll(.mentions)
        #expect(report.skippedOwn == 5)
        #expect(sink.envelopes.withLock { $0.isEmpty })
        #expect(cursor.values.withLock { $0["mentions:since_id"] } == "1301573587187331074")
    }

    @Test func directMessagesBecomePrivateEnvelopes() async throws {
        let http = fakeXAPI()
        http.answer(200, dmEventsQuickstart)
        let sink = RecordingInboundSink()
        let cursor = MemoryCursorStore()
        _ = try await makeAdapter(http: http, sink: sink, cursor: cursor).poll(.directMessages)
        let requests = http.requests.withLock { $0 }
        // First poll: the newest page only, although X offers older ones.
        #expect(requests.count == 1)
        #expect(path(requests[0]) == "/2/dm_events")
        #expect(query(requests[0])["event_types"] == "MessageCreate")
        #expect(
            query(requests[0])["dm_event.fields"]
                == "id,text,created_at,sender_id,dm_conversation_id,attachments,referenced_tweets")
        let envelope = try #require(sink.envelopes.withLock { $0.first })
        #expect(envelope.externalID == "dm:1234567890")
        #expect(envelope.visibility == .private)
        #expect(envelope.threadKey == "dm:9876543210")
        #expect(envelope.from == (try Address(kind: .x, value: "9876543210")))
        #expect(envelope.text == "Hello! How are you?")
        #expect(envelope.sentAt == (try Date("2024-01-15T10:30:00Z", strategy: .iso8601)))
        #expect(cursor.values.withLock { $0["dm_events:newest_id"] } == "1234567890")

        // Next poll: newest first down to the stored event; only the new one is handed over.
        http.answer(200, combinedPage(dmEventIntegrate, dmEventsQuickstart))
        _ = try await makeAdapter(http: http, sink: sink, cursor: cursor).poll(.directMessages)
        #expect(sink.storedIDs == ["dm:1234567890", "dm:1582838499983564806"])
        #expect(sink.envelopes.withLock { $0.count } == 2)
        #expect(cursor.values.withLock { $0["dm_events:newest_id"] } == "1582838499983564806")
    }

    @Test func directMessagesArePagedUntilTheStoredEvent() async throws {
        let http = fakeXAPI()
        http.answer(200, dmEventsQuickstart)
        http.answer(200, dmEventsOlderPage)
        let sink = RecordingInboundSink()
        let cursor = MemoryCursorStore()
        try await cursor.setValue("100", for: "dm_events:newest_id")
        _ = try await makeAdapter(http: http, sink: sink, cursor: cursor).poll(.directMessages)
        let requests = http.requests.withLock { $0 }
        #expect(requests.count == 2)
        #expect(query(requests[1])["pagination_token"] == "abc123")
        #expect(sink.storedIDs == ["dm:1234567890"])
        #expect(cursor.values.withLock { $0["dm_events:newest_id"] } == "1234567890")
    }

    @Test func theSendersNameComesFromTheExpansion() async throws {
        let http = fakeXAPI()
        http.answer(200, dmEventsWithExpansion)
        let sink = RecordingInboundSink()
        _ = try await makeAdapter(http: http, sink: sink).poll(.directMessages)
        let envelope = try #require(sink.envelopes.withLock { $0.first })
        #expect(envelope.hints.rawHandle == "@example_user")
        #expect(envelope.text == "Hello!")
    }

    @Test func ourOwnDirectMessagesAreSkipped() async throws {
        let http = fakeXAPI()
        http.answer(200, dmEventIntegrate)
        let sink = RecordingInboundSink()
        let cursor = MemoryCursorStore()
        let report = try await makeAdapter(http: http, accountID: "944480690", sink: sink, cursor: cursor)
            .poll(.directMessages)
        #expect(report.skippedOwn == 1)
        #expect(sink.envelopes.withLock { $0.isEmpty })
        #expect(cursor.values.withLock { $0["dm_events:newest_id"] } == "1582838499983564806")
    }

    @Test func listeningPostsAreTaggedAndKeepTheirOwnPosition() async throws {
        let http = fakeXAPI()
        http.answer(200, recentSearchWithExpansions)
        let sink = RecordingInboundSink()
        let cursor = MemoryCursorStore()
        let adapter = makeAdapter(http: http, listen: ["Acme Rocket"], sink: sink, cursor: cursor)
        #expect(adapter.pollSources.contains(.listening("Acme Rocket")))
        _ = try await adapter.poll(.listening("Acme Rocket"))
        let request = try #require(http.requests.withLock { $0.first })
        #expect(path(request) == "/2/tweets/search/recent")
        #expect(query(request)["query"] == "(Acme Rocket) -is:retweet")
        let envelope = try #require(sink.envelopes.withLock { $0.first })
        #expect(envelope.tags == ["listening"])
        #expect(envelope.visibility == .public)
        #expect(envelope.hints.rawHandle == "@pythondev")
        #expect(envelope.threadKey == "post:1234567890123456789")
        #expect(cursor.values.withLock { $0["listen:Acme Rocket:since_id"] } == "1234567890123456789")
        #expect(cursor.values.withLock { $0["mentions:since_id"] } == nil)

        http.answer(200, #"{"meta": {"result_count": 0, "next_token": "b26v89c19zqg8o3fo7gesq314yb9l2l4ptqy"}}"#)
        _ = try await adapter.poll(.listening("Acme Rocket"))
        let requests = http.requests.withLock { $0 }
        #expect(query(requests[1])["since_id"] == "1234567890123456789")
        #expect(query(requests[2])["next_token"] == "b26v89c19zqg8o3fo7gesq314yb9l2l4ptqy")
    }

    @Test func aListenedPostAndADMFromOnePersonAreOneCustomer() async throws {
        let http = fakeXAPI()
        http.answer(200, recentSearchWithExpansions)
        http.answer(200, dmEventsQuickstart)
        let sink = RecordingInboundSink()
        let adapter = makeAdapter(http: http, listen: ["python"], sink: sink)
        _ = try await adapter.poll(.listening("python"))
        _ = try await adapter.poll(.directMessages)
        let envelopes = sink.envelopes.withLock { $0 }
        #expect(envelopes.map(\.visibility) == [.public, .private])
        #expect(Set(envelopes.map(\.from)) == [try Address(parsing: "x:9876543210")])
    }

    @Test func aRateLimitKeepsThePositionAndSaysWhenToComeBack() async throws {
        let http = fakeXAPI()
        let reset = Int(Date().timeIntervalSince1970) + 120
        http.answer(
            429, #"{"title":"Too Many Requests","detail":"Too Many Requests","type":"about:blank","status":429}"#,
            headers: [("x-rate-limit-reset", "\(reset)")])
        let cursor = MemoryCursorStore()
        let error = await sendError { _ = try await makeAdapter(http: http, cursor: cursor).poll(.mentions) }
        #expect(error?.code == .rateLimited)
        let wait = try #require(error?.retryAfter)
        #expect(wait > .seconds(100) && wait <= .seconds(121))
        #expect(cursor.values.withLock { $0.isEmpty })
        var schedule = XPollSchedule(interval: .seconds(60))
        #expect(schedule.decide(after: error, for: .mentions) == .wait(wait))
    }
}
