import Foundation
import SwitchboardAdapterKit
import SwitchboardAdapterTesting
import Synchronization
import Testing

@testable import MatrixAdapter

/// The inbound side against the spec's example payloads: what is imported and how, the `since`
/// token stored only after delivery, gap filling, visibility, invitations, refused tokens, shutdown.
@Suite struct MatrixSyncTests {
    @Test func firstSyncImportsMessagesFromOthersAndStoresTheToken() async throws {
        let harness = MatrixHarness()
        harness.http.answer(200, syncResponse(events: [specMemberEvent, specTextMessage, ownMessage]))
        let report = try await harness.adapter.syncOnce()

        #expect(report.delivered == 1)
        let envelope = try #require(harness.envelopes.first)
        #expect(harness.envelopes.count == 1, "the member event and the hub's own message are not imported")
        #expect(envelope.externalID == "$143273582443PhrSn:example.org")
        #expect(envelope.from.description == "matrix:@example:example.org")
        #expect(envelope.to?.description == "matrix:@hub:example.org")
        #expect(envelope.threadKey == specRoom)
        #expect(envelope.text == "This is an example text message")
        #expect(envelope.html == "<b>This is an example text message</b>")
        #expect(envelope.sentAt == Date(timeIntervalSince1970: 1_432_735_824.653))
        #expect(envelope.hints.displayName == "Alice Margatroid")
        #expect(envelope.visibility == .private, "two joined members")
        #expect(envelope.raw?.contentType == "application/json")
        #expect(harness.since == "s72595_4483_1934")

        let request = try #require(harness.http.requests.withLock { $0.first })
        #expect(request.method == "GET")
        #expect(request.url.hasPrefix("\(homeserver)/_matrix/client/v3/sync?timeout=0&filter="))
        #expect(!request.url.contains("since="), "the first sync has no token")
        #expect(request.url.contains("%22limit%22%3A20"), "initial_history is the first sync's timeline limit")
        #expect(request.headers.contains { $0.name == "Authorization" && $0.value == "Bearer \(accessToken)" })
        #expect(!request.url.contains(accessToken), "the token never goes into a URL")
    }

    @Test func ownMessagesAreNeverImported() async throws {
        let harness = MatrixHarness()
        harness.http.answer(200, syncResponse(events: [ownMessage, textMessage("$own2", "again", sender: hubUser)]))
        let report = try await harness.adapter.syncOnce()
        #expect(report.delivered == 0)
        #expect(harness.envelopes.isEmpty)
        #expect(harness.since == "s72595_4483_1934", "the token still moves on")
    }

    @Test func editsReplaceTheOriginalWithTheNewContent() async throws {
        let harness = MatrixHarness()
        harness.http.answer(200, syncResponse(events: [specEdit]))
        _ = try await harness.adapter.syncOnce()
        let edit = try #require(harness.envelopes.first)
        #expect(edit.externalID == "$edit1:example.org")
        #expect(edit.replaces == "$143273582443PhrSn:example.org")
        #expect(edit.text == "Hello! My name is bar", "the new content, not the ' * ' fallback")
    }

    @Test func repliesKeepTheAnsweredEventAndDropTheQuote() async throws {
        let harness = MatrixHarness()
        harness.http.answer(200, syncResponse(events: [specReply]))
        _ = try await harness.adapter.syncOnce()
        let reply = try #require(harness.envelopes.first)
        #expect(reply.inReplyTo == "$another_event")
        #expect(reply.replaces == nil)
        #expect(reply.text == "This is where the reply goes")
        #expect(reply.html == "This is where the reply goes")
    }

    @Test func imagesAndFilesBecomeAttachments() async throws {
        let harness = MatrixHarness()
        harness.http.answer(200, syncResponse(events: [specImage, specFile]))
        _ = try await harness.adapter.syncOnce()
        let attachments = harness.envelopes.flatMap(\.attachments)
        #expect(
            attachments == [
                Attachment(
                    filename: "filename.jpg", contentType: "image/jpeg", size: 31037,
                    url: "mxc://example.org/JWEIFJgwEIhweiWJE"),
                Attachment(
                    filename: "something-important.doc", contentType: "application/msword", size: 46144,
                    url: "mxc://example.org/FHyPlCeYUSFFxlgbQYZmoEoe"),
            ])
    }

    @Test func theTokenMovesOnlyAfterTheHubStoredTheBatch() async throws {
        let harness = MatrixHarness()
        try await harness.cursor.setValue("s_before", for: MatrixSyncLoop.sinceKey)
        harness.http.answer(200, syncResponse(next: "s_after", events: [specTextMessage]))
        harness.sink.failNext.withLock { $0 = E2EStoreDown() }
        await #expect(throws: E2EStoreDown.self) { try await harness.adapter.syncOnce() }
        #expect(harness.since == "s_before", "a batch the hub did not store is fetched again")
        #expect(harness.sink.storedIDs.isEmpty)

        harness.http.answer(200, syncResponse(next: "s_after", events: [specTextMessage]))
        _ = try await harness.adapter.syncOnce()
        #expect(harness.urls.last?.contains("since=s_before") == true)
        #expect(harness.sink.storedIDs == ["$143273582443PhrSn:example.org"])
        #expect(harness.since == "s_after")
    }

    @Test func anImpossibleServerTimeGivesWayToTheTimeItArrivedWithAWarning() async throws {
        let harness = MatrixHarness()
        let before = Date()
        let event = specTextMessage.replacingOccurrences(of: "1432735824653", with: "99999999999999999")
        harness.http.answer(200, syncResponse(events: [event]))
        _ = try await harness.adapter.syncOnce()
        let envelope = try #require(harness.envelopes.first)
        #expect(envelope.sentAt >= before && envelope.sentAt <= Date())
        #expect(envelope.parseWarnings.contains { $0.contains("impossible origin_server_ts (99999999999999999)") })
    }

    @Test func aRefusedEventStopsTheSyncBeforeTheTokenMoves() async throws {
        let harness = MatrixHarness()
        try await harness.cursor.setValue("s_before", for: MatrixSyncLoop.sinceKey)
        harness.sink.refusing.withLock { $0["$143273582443PhrSn:example.org"] = "the store is read-only" }
        harness.http.answer(200, syncResponse(next: "s_after", events: [specTextMessage]))
        await #expect(throws: DeliveryRefused.self) { try await harness.adapter.syncOnce() }
        #expect(harness.since == "s_before", "the refused event is fetched again, never skipped")

        harness.sink.refusing.withLock { $0 = [:] }
        harness.http.answer(200, syncResponse(next: "s_after", events: [specTextMessage]))
        _ = try await harness.adapter.syncOnce()
        #expect(harness.sink.storedIDs == ["$143273582443PhrSn:example.org"])
        #expect(harness.since == "s_after")
    }

    @Test func aRestartedAdapterContinuesFromTheStoredToken() async throws {
        let cursor = MemoryCursorStore()
        let sink = RecordingInboundSink()
        let before = MatrixHarness(cursor: cursor, sink: sink)
        before.http.answer(200, syncResponse(next: "s_1", events: [textMessage("$a", "one")]))
        _ = try await before.adapter.syncOnce()

        let after = MatrixHarness(cursor: cursor, sink: sink)
        after.http.answer(200, syncResponse(next: "s_2", events: [textMessage("$b", "two")]))
        _ = try await after.adapter.syncOnce()
        let url = try #require(after.urls.first)
        #expect(url.contains("since=s_1") && url.contains("timeout=30000"), "\(url)")
        #expect(url.contains("%22limit%22%3A50"))
        #expect(sink.storedIDs == ["$a", "$b"])
        #expect(sink.envelopes.withLock { $0.count } == 2, "nothing delivered twice")
    }

    @Test func aLimitedTimelineIsCompletedFromMessagesBeforeDelivering() async throws {
        let harness = MatrixHarness()
        try await harness.cursor.setValue("s_prev", for: MatrixSyncLoop.sinceKey)
        harness.http.answer(
            200,
            syncResponse(next: "s_next", events: [textMessage("$m4", "four")], limited: true, prevBatch: "t_prev"))
        harness.http.answer(
            200, messagesPage([textMessage("$m1", "one"), textMessage("$m2", "two")], start: "s_prev", end: "t_mid"))
        harness.http.answer(200, messagesPage([textMessage("$m3", "three")], start: "t_mid", end: "t_end"))
        harness.http.answer(200, messagesPage([], start: "t_end", end: nil))
        let report = try await harness.adapter.syncOnce()

        #expect(harness.envelopes.map(\.text) == ["one", "two", "three", "four"], "oldest first, none lost")
        #expect(report.gapEvents == 3)
        #expect(report.delivered == 4)
        let urls = harness.urls
        try #require(urls.count == 4, "one sync and three pages of /messages")
        #expect(
            urls[1]
                == "\(homeserver)/_matrix/client/v3/rooms/%21726s6s6q%3Aexample.com/messages?dir=f&from=s_prev&to=t_prev&limit=100"
        )
        #expect(urls[2].contains("from=t_mid") && urls[2].contains("to=t_prev"))
        #expect(harness.since == "s_next")
        #expect(harness.cursor.values.withLock { $0[MatrixSyncLoop.gapKey(specRoom)] } == "", "progress cleared")
    }

    @Test func theFirstSyncImportsOnlyInitialHistory() async throws {
        let harness = MatrixHarness(initialHistory: 0)
        harness.http.answer(200, syncResponse(events: [specTextMessage], limited: true))
        _ = try await harness.adapter.syncOnce()
        #expect(harness.envelopes.isEmpty, "initial_history 0: no old message")
        #expect(harness.urls.count == 1, "no gap is filled on the first sync")
        #expect(harness.since == "s72595_4483_1934")
    }

    @Test func largerRoomsArePublicAndAMissingSummaryAsksForTheMembers() async throws {
        let harness = MatrixHarness()
        harness.http.answer(200, syncResponse(next: "s_1", events: [textMessage("$a", "hi all")], members: 3))
        _ = try await harness.adapter.syncOnce()
        #expect(harness.envelopes.last?.visibility == .public)

        let other = "!vlihe0LueW-7ttX_pp5yhfUQw0Kw9DG0Ubh6CgEqHMs"
        harness.http.answer(
            200, syncResponse(next: "s_2", room: other, events: [textMessage("$b", "hi")], members: nil))
        harness.http.answer(
            200, #"{"joined": {"@hub:example.org": {}, "@example:example.org": {"display_name": "Ex"}}}"#)
        _ = try await harness.adapter.syncOnce()
        let envelope = try #require(harness.envelopes.last)
        #expect(envelope.threadKey == other, "a room v12 id is used as it is")
        #expect(envelope.visibility == .private)
        #expect(harness.urls.last == "\(homeserver)/_matrix/client/v3/rooms/%21\(other.dropFirst())/joined_members")
    }

    @Test func invitesAreAcceptedOnlyFromAllowedInviters() async throws {
        let harness = MatrixHarness(acceptInvites: ["@*:example.com"])
        harness.http.answer(
            200,
            syncResponse(
                members: nil,
                invites: [("!696r7674:example.com", "@alice:example.com"), ("!evil:evil.test", "@eve:evil.test")]))
        harness.http.answer(200, #"{"room_id": "!696r7674:example.com"}"#)
        let report = try await harness.adapter.syncOnce()
        #expect(report.joined == ["!696r7674:example.com"])
        #expect(report.ignoredInvites == ["!evil:evil.test"])
        let join = try #require(harness.http.requests.withLock { $0.last })
        #expect(join.method == "POST")
        #expect(join.url == "\(homeserver)/_matrix/client/v3/join/%21696r7674%3Aexample.com")
        #expect(harness.urls.count == 2, "no join for the invitation from @eve:evil.test")
    }

    @Test func anEmptyAcceptListAcceptsNoInvite() async throws {
        let harness = MatrixHarness(acceptInvites: [])
        harness.http.answer(200, syncResponse(members: nil, invites: [("!696r7674:example.com", "@alice:example.com")]))
        let report = try await harness.adapter.syncOnce()
        #expect(report.joined.isEmpty)
        #expect(harness.urls.count == 1)
    }

    @Test func aRefusedTokenIsACredentialErrorWithoutTheToken() async throws {
        let harness = MatrixHarness()
        // The spec's example of a refused token: https://spec.matrix.org/latest/client-server-api/#using-access-tokens
        harness.http.answer(
            401, #"{"errcode": "M_UNKNOWN_TOKEN", "error": "Invalid access token passed.", "soft_logout": false}"#)
        let error = await #expect(throws: MatrixCredentialError.self) { try await harness.adapter.syncOnce() }
        let text = try #require(error?.description)
        #expect(text.contains("M_UNKNOWN_TOKEN") && text.contains("access_token") && text.contains(hubUser))
        #expect(!text.contains(accessToken))
        #expect(harness.since == nil)
    }

    @Test func runRetriesAfterAnErrorAndStopsPromptlyWhenCancelled() async throws {
        let http = RecordingHTTPClient { _ in
            HTTPClientResponse(status: 200, body: Array(syncResponse(next: "s_ok").utf8))
        }
        let harness = MatrixHarness(http: http)
        http.answer(502, "Bad Gateway")
        let task = Task { try await harness.adapter.syncLoop.run() }
        var synced = false
        for _ in 0..<100 where !synced {
            try await Task.sleep(for: .milliseconds(50))
            synced = harness.since == "s_ok"
        }
        task.cancel()
        _ = try? await task.value
        #expect(synced, "the sync after the 502 succeeded")
        #expect(harness.urls.count >= 2)

        // A long-poll that ignores cancellation (like a libcurl transfer) does not hold up shutdown.
        let slow = MatrixAdapter(
            configuration: harness.adapter.configuration,
            context: harness.adapter.context.with(SlowHomeserver(delay: .seconds(30))))
        let start = ContinuousClock.now
        let running = Task { try await slow.syncLoop.run() }
        try await Task.sleep(for: .milliseconds(200))
        running.cancel()
        _ = try? await running.value
        // Well before the 30 s transfer would end (generous: the suite runs on a loaded machine).
        #expect(ContinuousClock.now - start < .seconds(15))
    }
}

/// The hub's store failing, for the cursor test.
struct E2EStoreDown: Error {}

extension AdapterContext {
    /// The same context with another HTTP client.
    func with(_ http: any HTTPClient) -> AdapterContext {
        var copy = self
        copy.http = http
        return copy
    }
}
