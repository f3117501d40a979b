import Foundation
import SwitchboardAdapterKit
import SwitchboardAdapterTesting
import Synchronization
import Testing

@testable import XAdapter

/// A fake X timeline behind a scripted ``RecordingHTTPClient``: it answers each request from its
/// query the way X pages (newest first, `since_id`/`until_id` exclusive, a `next_token` while older
/// items remain), two items a page, so a backlog is many more pages than ``XPoller/maxPages``.
final class FakeXTimeline: Sendable {
    let ids = Mutex<[UInt64]>([])
    let isDMs: Bool
    let client = Mutex<RecordingHTTPClient?>(nil)
    static let pageSize = 2

    init(ids: ClosedRange<UInt64>, isDMs: Bool) {
        self.isDMs = isDMs
        add(ids)
    }

    func add(_ more: ClosedRange<UInt64>) { ids.withLock { $0.append(contentsOf: more) } }

    /// The client answering every request from this timeline.
    func http() -> RecordingHTTPClient {
        let http = RecordingHTTPClient { [self] count in
            let request = client.withLock { $0?.requests.withLock { $0[count - 1] } }
            return HTTPClientResponse(status: 200, body: Array(answer(request.map(query) ?? [:]).utf8))
        }
        client.withLock { $0 = http }
        return http
    }

    func answer(_ parameters: [String: String]) -> String {
        let since = parameters["since_id"].flatMap { UInt64($0) } ?? 0
        let until = parameters["until_id"].flatMap { UInt64($0) } ?? .max
        let olderThan = (parameters["pagination_token"] ?? parameters["next_token"]).flatMap { UInt64($0.dropFirst(6)) }
        let matching = ids.withLock { $0 }.filter { $0 > since && $0 < until && $0 < (olderThan ?? .max) }
            .sorted(by: >)
        let page = matching.prefix(Self.pageSize)
        let data = page.map { id in
            isDMs
                ? #"{"id":"\#(id)","event_type":"MessageCreate","text":"dm \#(id)","sender_id":"9876543210","created_at":"2024-01-15T10:30:00.000Z"}"#
                : #"{"id":"\#(id)","text":"post \#(id)","author_id":"4444444444","conversation_id":"\#(id)","created_at":"2024-01-15T12:00:00.000Z"}"#
        }
        let next = matching.count > page.count ? page.last.map { #","next_token":"older-\#($0)""# } ?? "" : ""
        return #"{"data":[\#(data.joined(separator: ","))],"meta":{"result_count":\#(page.count)\#(next)}}"#
    }
}

/// X pages newest to oldest and a poll reads at most ``XPoller/maxPages`` pages: what a capped
/// poll leaves unread must still be delivered, exactly once, on the following polls.
@Suite struct XPollGapTests {
    static let sources: [XPoller.Source] = [.mentions, .listening("Acme Rocket"), .directMessages]

    func ids(_ sink: RecordingInboundSink) -> [String] {
        sink.envelopes.withLock { $0.map(\.externalID) }
    }

    func expected(_ range: ClosedRange<UInt64>, _ source: XPoller.Source) -> [String] {
        range.map { source == .directMessages ? "dm:\($0)" : "\($0)" }
    }

    @Test(arguments: sources)
    func aBacklogBeyondThePageCapIsDeliveredExactlyOnceAcrossPolls(_ source: XPoller.Source) async throws {
        // Stored position 1000; 100 newer items are 50 pages, 2.5 polls' worth.
        let timeline = FakeXTimeline(ids: 990...1100, isDMs: source == .directMessages)
        let cursor = MemoryCursorStore()
        try await cursor.setValue("1000", for: source.cursorKey)
        let sink = RecordingInboundSink()
        let http = timeline.http()
        let adapter = makeAdapter(http: http, listen: ["Acme Rocket"], sink: sink, cursor: cursor)

        _ = try await adapter.poll(source)
        #expect(http.requests.withLock { $0.count } == XPoller.maxPages)
        #expect(Set(ids(sink)) == Set(expected(1061...1100, source)))
        // The position stays until the gap below the items read is closed.
        #expect(cursor.values.withLock { $0[source.cursorKey] } == "1000")
        timeline.add(1101...1105)
        _ = try await adapter.poll(source)
        #expect(Set(ids(sink)) == Set(expected(1021...1100, source)))
        #expect(cursor.values.withLock { $0[source.cursorKey] } == "1000")
        _ = try await adapter.poll(source)
        #expect(cursor.values.withLock { $0[source.cursorKey] } == "1100")
        _ = try await adapter.poll(source)
        let delivered = ids(sink)
        #expect(delivered.count == 105)
        #expect(Set(delivered) == Set(expected(1001...1105, source)))
        #expect(cursor.values.withLock { $0[source.cursorKey] } == "1105")
        // Nothing left: the next poll hands nothing over.
        _ = try await adapter.poll(source)
        #expect(ids(sink).count == 105)
    }

    @Test(arguments: sources)
    func aRestartInTheMiddleOfABacklogNeitherLosesNorRepeats(_ source: XPoller.Source) async throws {
        let timeline = FakeXTimeline(ids: 990...1100, isDMs: source == .directMessages)
        let cursor = MemoryCursorStore()
        try await cursor.setValue("1000", for: source.cursorKey)
        let sink = RecordingInboundSink()
        _ = try await makeAdapter(http: timeline.http(), listen: ["Acme Rocket"], sink: sink, cursor: cursor)
            .poll(source)
        #expect(ids(sink).count == 40)
        // The hub restarts: a new adapter on the same store goes on with the gap.
        let restarted = makeAdapter(http: timeline.http(), listen: ["Acme Rocket"], sink: sink, cursor: cursor)
        for _ in 0..<3 { _ = try await restarted.poll(source) }
        let delivered = ids(sink)
        #expect(delivered.count == 100)
        #expect(Set(delivered) == Set(expected(1001...1100, source)))
        #expect(cursor.values.withLock { $0[source.cursorKey] } == "1100")
    }

    @Test func aFailedDeliveryInsideTheGapRereadsTheSameItems() async throws {
        let timeline = FakeXTimeline(ids: 990...1100, isDMs: false)
        let cursor = MemoryCursorStore()
        try await cursor.setValue("1000", for: XPoller.Source.mentions.cursorKey)
        let sink = RecordingInboundSink()
        let adapter = makeAdapter(http: timeline.http(), sink: sink, cursor: cursor)
        _ = try await adapter.poll(.mentions)
        let gap = cursor.values.withLock { $0[XPoller.Source.mentions.gapKey] }
        sink.failNext.withLock { $0 = TestError("database is locked") }
        await #expect(throws: TestError.self) { try await adapter.poll(.mentions) }
        #expect(cursor.values.withLock { $0[XPoller.Source.mentions.gapKey] } == gap)
        for _ in 0..<2 { _ = try await adapter.poll(.mentions) }
        #expect(ids(sink).count == 100)
        #expect(Set(ids(sink)) == Set(expected(1001...1100, .mentions)))
    }
}
