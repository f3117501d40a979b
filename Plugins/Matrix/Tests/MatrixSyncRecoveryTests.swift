import Foundation
import SwitchboardAdapterKit
import SwitchboardAdapterTesting
import Synchronization
import Testing

@testable import MatrixAdapter

/// The inbound side when things go wrong or are hostile: forged invite state, joins that fail for a
/// while, gaps longer than any cap and a restart in the middle of one, encrypted rooms, and waits the
/// homeserver asks for.
@Suite struct MatrixSyncRecoveryTests {
    static let invitedRoom = "!696r7674:example.com"

    @Test func theInviterIsTheSenderOfTheLastInviteEventNotForgedStrippedState() async throws {
        let harness = MatrixHarness(acceptInvites: ["@*:example.com"])
        // The stripped state of the inviting server comes first and can say anything; the homeserver
        // appends the real invite event last.
        let forged = memberInvite(sender: "@alice:example.com")
        let real = memberInvite(sender: "@eve:evil.test")
        harness.http.answer(200, inviteSync(room: Self.invitedRoom, state: [forged, real]))
        let report = try await harness.adapter.syncOnce()
        #expect(report.ignoredInvites == [Self.invitedRoom])
        #expect(report.joined.isEmpty)
        #expect(harness.urls.count == 1, "no join for an invitation really sent by @eve:evil.test")

        let allowed = MatrixHarness(acceptInvites: ["@*:example.com"])
        allowed.http.answer(
            200, inviteSync(room: Self.invitedRoom, state: [real, memberInvite(sender: "@alice:example.com")]))
        allowed.http.answer(200, #"{"room_id": "!696r7674:example.com"}"#)
        #expect(try await allowed.adapter.syncOnce().joined == [Self.invitedRoom])
    }

    @Test func aJoinThatFailsWithA5xxIsRetriedOnALaterSyncWithoutHoldingTheToken() async throws {
        let harness = MatrixHarness(acceptInvites: ["@*:example.com"])
        harness.http.answer(
            200, syncResponse(next: "s_1", members: nil, invites: [(Self.invitedRoom, "@alice:example.com")]))
        harness.http.answer(502, "Bad Gateway")
        let report = try await harness.adapter.syncOnce()
        #expect(report.joined.isEmpty)
        #expect(harness.since == "s_1", "the sync position moves on")
        let pending = try await harness.adapter.syncLoop.pendingJoins()
        #expect(pending.map(\.roomID) == [Self.invitedRoom])
        #expect(pending.first?.attempts == 1)

        // Not due yet: the next sync does not try again.
        harness.http.answer(200, syncResponse(next: "s_2", members: nil))
        _ = try await harness.adapter.syncOnce()
        #expect(harness.urls.count == 3)
        #expect(harness.urls.last?.contains("/sync?") == true)

        var later = harness.adapter.syncLoop
        later.now = { Date().addingTimeInterval(3600) }
        harness.http.answer(200, #"{"room_id": "!696r7674:example.com"}"#)
        harness.http.answer(200, syncResponse(next: "s_3", members: nil))
        let retried = try await later.syncOnce()
        #expect(retried.joined == [Self.invitedRoom])
        let urls = harness.urls
        try #require(urls.count == 5)
        #expect(urls[3] == "\(homeserver)/_matrix/client/v3/join/%21696r7674%3Aexample.com")
        #expect(urls[4].contains("since=s_2"))
        #expect(try await later.pendingJoins().isEmpty)
        #expect(harness.since == "s_3")
    }

    @Test func aJoinIsGivenUpAfterAFewAttempts() async throws {
        let harness = MatrixHarness(acceptInvites: ["@*:example.com"])
        var loop = harness.adapter.syncLoop
        let clock = Mutex(Date())
        loop.now = { clock.withLock { $0 } }
        harness.http.answer(
            200, syncResponse(next: "s_1", members: nil, invites: [(Self.invitedRoom, "@alice:example.com")]))
        harness.http.answer(503, "Service Unavailable")
        _ = try await loop.syncOnce()
        for attempt in 2...MatrixSyncLoop.maxJoinAttempts {
            clock.withLock { $0 = $0.addingTimeInterval(7200) }
            harness.http.answer(503, "Service Unavailable")
            harness.http.answer(200, syncResponse(next: "s_\(attempt)", members: nil))
            _ = try await loop.syncOnce()
        }
        #expect(try await loop.pendingJoins().isEmpty, "given up after \(MatrixSyncLoop.maxJoinAttempts) attempts")
        let joins = harness.urls.filter { $0.contains("/join/") }
        #expect(joins.count == MatrixSyncLoop.maxJoinAttempts)
    }

    @Test func aGapLongerThanAnyCapIsImportedWholeAndOnce() async throws {
        let base = MatrixHarness()
        // RecordingInboundSink checks each id against all before it: too slow for 10,000 events.
        let sink = IDListSink()
        let harness = (
            http: base.http, cursor: base.cursor,
            adapter: MatrixAdapter(
                configuration: base.adapter.configuration, context: base.adapter.context.with(inbound: sink))
        )
        try await harness.cursor.setValue("s_prev", for: MatrixSyncLoop.sinceKey)
        harness.http.answer(
            200,
            syncResponse(next: "s_next", events: [textMessage("$last", "last")], limited: true, prevBatch: "t_prev"))
        let pages = 101
        for page in 0..<pages {
            let events = (0..<MatrixSyncLoop.gapPageSize).map { textMessage("$g\(page)_\($0)", "m \(page) \($0)") }
            harness.http.answer(
                200, messagesPage(events, start: page == 0 ? "s_prev" : "t_\(page)", end: "t_\(page + 1)"))
        }
        harness.http.answer(200, messagesPage([], start: "t_\(pages)", end: nil))
        let report = try await harness.adapter.syncOnce()

        let total = pages * MatrixSyncLoop.gapPageSize
        #expect(total > 10_000, "more than the former cap")
        #expect(report.gapEvents == total)
        let ids = sink.ids.withLock { $0 }
        #expect(ids.count == total + 1, "each event delivered once")
        #expect(Set(ids).count == ids.count)
        #expect(ids.first == "$g0_0", "oldest first")
        #expect(ids.last == "$last")
        #expect(base.since == "s_next")
    }

    @Test func aRestartInTheMiddleOfAGapResumesAfterTheLastDeliveredPage() async throws {
        let cursor = MemoryCursorStore()
        let recorder = RecordingInboundSink()
        try await cursor.setValue("s_prev", for: MatrixSyncLoop.sinceKey)
        let gap = (1...10).map { textMessage("$g\($0)", "gap \($0)") }
        func page(_ index: Int) -> String {
            messagesPage(Array(gap[(index * 2)..<(index * 2 + 2)]), start: "t_\(index)", end: "t_\(index + 1)")
        }

        // The hub's store fails on the third page: two pages are delivered, the token stays.
        let before = MatrixHarness(cursor: cursor, sink: recorder)
        let failing = FailingSink(recorder: recorder, failingCall: 3)
        let crashing = MatrixAdapter(
            configuration: before.adapter.configuration, context: before.adapter.context.with(inbound: failing))
        before.http.answer(
            200, syncResponse(next: "s_next", events: [textMessage("$t1", "t1")], limited: true, prevBatch: "t_prev"))
        for index in 0..<3 { before.http.answer(200, page(index)) }
        await #expect(throws: E2EStoreDown.self) { try await crashing.syncOnce() }
        #expect(before.since == "s_prev")
        #expect(recorder.storedIDs == ["$g1", "$g2", "$g3", "$g4"])

        // After the restart the sync (from the same since) shows a later timeline; the gap resumes
        // after the last delivered page and runs up to the new prev_batch.
        let after = MatrixHarness(cursor: cursor, sink: recorder)
        after.http.answer(
            200,
            syncResponse(
                next: "s_next2", events: [textMessage("$t1", "t1"), textMessage("$t2", "t2")], limited: true,
                prevBatch: "t_prev2"))
        for index in 2..<5 { after.http.answer(200, page(index)) }
        after.http.answer(200, messagesPage([], start: "t_5", end: nil))
        _ = try await after.adapter.syncOnce()
        let urls = after.urls
        try #require(urls.count == 5)
        #expect(urls[1].contains("from=t_2&to=t_prev2"), "\(urls[1])")
        let expected = (1...10).map { "$g\($0)" } + ["$t1", "$t2"]
        #expect(recorder.storedIDs == expected, "nothing lost")
        #expect(recorder.envelopes.withLock { $0.map(\.externalID) } == expected, "nothing delivered twice")
        #expect(after.since == "s_next2")
    }

    @Test func encryptedMessagesTellTheAgentTheCustomerWrote() async throws {
        let harness = MatrixHarness()
        harness.http.answer(200, syncResponse(events: [specEncrypted]))
        let report = try await harness.adapter.syncOnce()
        #expect(report.delivered == 1)
        let envelope = try #require(harness.envelopes.first)
        #expect(envelope.externalID == "$143273582443PhrSn:example.org")
        #expect(envelope.from.description == "matrix:@example:example.org")
        #expect(envelope.text.hasPrefix("[encrypted message: Switchboard cannot read end-to-end encrypted rooms"))
        #expect(envelope.text.contains("unencrypted room"))
        #expect(envelope.parseWarnings == [envelope.text])
        #expect(envelope.threadKey == specRoom)
    }

    @Test func theSyncFilterKeepsAnswersSmall() async throws {
        let harness = MatrixHarness()
        harness.http.answer(200, syncResponse())
        _ = try await harness.adapter.syncOnce()
        let url = try #require(harness.urls.first)
        let filter = MatrixAPI.syncFilter(timelineLimit: 20)
        #expect(url.contains("filter=" + MatrixAPI.encode(filter)))
        let json = try #require(MatrixJSON.parse(Array(filter.utf8)))
        #expect(json["room"]?["state"]?["lazy_load_members"]?.bool == true)
        #expect(json["room"]?["timeline"]?["limit"]?.int == 20)
        #expect(json["room"]?["ephemeral"]?["not_types"] == .array([.string("*")]))
        #expect(json["presence"]?["not_types"] == .array([.string("*")]))
        #expect(json["account_data"]?["not_types"] == .array([.string("*")]))
    }

    @Test func retryAfterIsKeptWithinTenMinutes() {
        func error(_ body: String, headers: [(name: String, value: String)] = []) -> MatrixAPIError {
            MatrixAPIError(
                endpoint: "/sync", response: HTTPClientResponse(status: 429, headers: headers, body: Array(body.utf8)))
        }
        // The spec's M_LIMIT_EXCEEDED shape: https://spec.matrix.org/latest/client-server-api/#rate-limiting
        let huge = error(#"{"errcode": "M_LIMIT_EXCEEDED", "error": "Too many requests", "retry_after_ms": 86400000}"#)
        #expect(huge.retryAfter == .seconds(600))
        #expect(MatrixSyncLoop.retryWait(backoff: .seconds(1), error: huge) == .seconds(600))
        let negative = error(#"{"errcode": "M_LIMIT_EXCEEDED", "error": "Too many requests", "retry_after_ms": -5}"#)
        #expect(negative.retryAfter == .zero)
        #expect(MatrixSyncLoop.retryWait(backoff: .seconds(4), error: negative) == .seconds(4))
        let normal = error(#"{"errcode": "M_LIMIT_EXCEEDED", "error": "Too many requests", "retry_after_ms": 2000}"#)
        #expect(normal.retryAfter == .seconds(2))
        #expect(error("busy", headers: [("Retry-After", "999999")]).retryAfter == .seconds(600))
    }
}

/// An `m.room.member` invite event for the hub, sent by `sender`.
func memberInvite(sender: String) -> String {
    """
    {"content": {"membership": "invite"}, "sender": "\(sender)", "state_key": "@hub:example.org", "type": "m.room.member"}
    """
}

/// A `/sync` answer with one invitation whose `invite_state` holds `state`, shaped like the spec's
/// example: https://spec.matrix.org/latest/client-server-api/#get_matrixclientv3sync
func inviteSync(room: String, state: [String]) -> String {
    """
    {"next_batch": "s_inv", "rooms": {"join": {}, "invite": {"\(room)": {"invite_state": {"events": [\(state.joined(separator: ","))]}}}, "leave": {}}}
    """
}

/// The `m.room.encrypted` (Megolm) example of the spec:
/// https://spec.matrix.org/latest/client-server-api/#mroomencrypted
let specEncrypted = """
    {
      "content": {
        "algorithm": "m.megolm.v1.aes-sha2",
        "ciphertext": "AwgAEnACgAkLmt6qF84IK++J7UDH2Za1YVchHyprqTqsg...",
        "device_id": "RJYKSTBOIE",
        "sender_key": "IlRMeOPX2e0MurIyfWEucYBRVOEEUMrOHqn/8mLqMjA",
        "session_id": "X3lUlvLELLYxeTx4yOVu6UDpasGEVO0Jbu+QFnm0cKQ"
      },
      "event_id": "$143273582443PhrSn:example.org",
      "origin_server_ts": 1432735824653,
      "room_id": "!jEsUZKDJdhlrceRyVU:example.org",
      "sender": "@example:example.org",
      "type": "m.room.encrypted",
      "unsigned": {"age": 1234}
    }
    """

/// A hub that only lists the delivered event ids (fast for large batches).
final class IDListSink: InboundSink {
    let ids = Mutex<[String]>([])

    func deliver(_ batch: [InboundEnvelope]) async throws -> [DeliveryOutcome] {
        ids.withLock { $0 += batch.map(\.externalID) }
        return batch.map { .stored(messageID: $0.externalID, conversationID: "c", customerID: "u") }
    }

    func apply(_ updates: [StatusUpdate]) async throws {}
}

/// A hub whose store fails on the `failingCall`-th delivery (1-based) and records the others.
final class FailingSink: InboundSink {
    let recorder: RecordingInboundSink
    let failingCall: Int
    let calls = Mutex(0)

    init(recorder: RecordingInboundSink, failingCall: Int) {
        self.recorder = recorder
        self.failingCall = failingCall
    }

    func deliver(_ batch: [InboundEnvelope]) async throws -> [DeliveryOutcome] {
        let call = calls.withLock {
            $0 += 1
            return $0
        }
        if call == failingCall { throw E2EStoreDown() }
        return try await recorder.deliver(batch)
    }

    func apply(_ updates: [StatusUpdate]) async throws { try await recorder.apply(updates) }
}

extension AdapterContext {
    /// The same context with another hub inbound side.
    func with(inbound: any InboundSink) -> AdapterContext {
        var copy = self
        copy.inbound = inbound
        return copy
    }
}
