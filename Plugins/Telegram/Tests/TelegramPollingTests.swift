import Foundation
import SwitchboardAdapterKit
import SwitchboardAdapterTesting
import Synchronization
import Testing

@testable import TelegramAdapter

/// getUpdates (https://core.telegram.org/bots/api#getupdates): "An update is considered confirmed
/// as soon as getUpdates is called with an offset higher than its update_id."
@Suite struct TelegramPollingTests {
    func storedOffset(_ cursor: MemoryCursorStore) -> String? {
        cursor.values.withLock { $0[TelegramPoller.offsetKey] }
    }

    @Test func getUpdatesIsALongPollForMessagesAndEdits() async throws {
        let http = fakeTelegramAPI()
        _ = try await makeAdapter(http: http).pollOnce()
        let request = try #require(http.requests.withLock { $0.first })
        #expect(request.method == "POST")
        #expect(request.url == "\(apiBase)/bot\(botToken)/getUpdates")
        #expect(request.headers.contains { $0.name == "Content-Type" && $0.value == "application/json" })
        let body = jsonBody(request)
        #expect(body["offset"] == nil)  // nothing stored yet: Telegram starts at the earliest unconfirmed
        #expect((body["timeout"] as? NSNumber)?.intValue == 30)
        #expect(body["allowed_updates"] as? [String] == ["message", "edited_message"])
        #expect(request.timeout > .seconds(30))
    }

    @Test func theOffsetIsStoredOnlyAfterDeliverReturns() async throws {
        let http = fakeTelegramAPI()
        http.answer(200, updatesAnswer([privateText, supergroupMessage]))
        let cursor = MemoryCursorStore()
        let sink = ObservingSink(cursor: cursor)
        let report = try await makeAdapter(http: http, cursor: cursor, sink: sink).pollOnce()
        #expect(report == TelegramPoller.Report(fetched: 2, stored: 2, duplicates: 0, skipped: 0))
        #expect(sink.offsetsSeenAtDeliver.withLock { $0 } == [nil])
        #expect(storedOffset(cursor) == "10002")
        #expect(sink.inner.storedIDs == ["1111111:1365", "-1001234567890:52"])
        // The next call confirms them.
        _ = try await makeAdapter(http: http, cursor: cursor, sink: sink).pollOnce()
        let next = try #require(http.requests.withLock { $0.last })
        #expect((jsonBody(next)["offset"] as? NSNumber)?.int64Value == 10002)
    }

    @Test func aFailedDeliverDoesNotAdvanceTheOffset() async throws {
        let http = fakeTelegramAPI()
        http.answer(200, updatesAnswer([privateText]))
        http.answer(200, updatesAnswer([privateText]))
        let cursor = MemoryCursorStore()
        let sink = RecordingInboundSink()
        sink.failNext.withLock { $0 = TimedOut() }
        let adapter = makeAdapter(http: http, cursor: cursor, sink: sink)
        await #expect(throws: TimedOut.self) { try await adapter.pollOnce() }
        #expect(storedOffset(cursor) == nil)
        #expect(sink.envelopes.withLock { $0.isEmpty })
        // Telegram gives the same update again, and this time it is stored once.
        _ = try await adapter.pollOnce()
        let second = try #require(http.requests.withLock { $0.last })
        #expect(jsonBody(second)["offset"] == nil)
        #expect(sink.storedIDs == ["1111111:1365"])
        #expect(storedOffset(cursor) == "10001")
    }

    @Test func aRestartContinuesFromTheStoredOffsetWithNothingLostOrRepeated() async throws {
        let cursor = MemoryCursorStore()
        let sink = RecordingInboundSink()
        let first = fakeTelegramAPI()
        first.answer(200, updatesAnswer([privateText, supergroupMessage]))
        _ = try await makeAdapter(http: first, cursor: cursor, sink: sink).pollOnce()
        // The process stops; a new adapter instance starts on the same store.
        let second = fakeTelegramAPI()
        second.answer(200, updatesAnswer([groupMessage, replyToOurMessage]))
        let restarted = makeAdapter(http: second, cursor: cursor, sink: sink)
        _ = try await restarted.pollOnce()
        let request = try #require(second.requests.withLock { $0.first })
        #expect((jsonBody(request)["offset"] as? NSNumber)?.int64Value == 10002)
        #expect(sink.envelopes.withLock { $0.map(\.externalID) } == sink.storedIDs)
        #expect(sink.storedIDs == ["1111111:1365", "-1001234567890:52", "-4012345678:7", "1111111:1368"])
        #expect(storedOffset(cursor) == "10005")
    }

    @Test func skippedUpdatesAreConfirmedWithoutADelivery() async throws {
        let http = fakeTelegramAPI()
        http.answer(200, updatesAnswer([botInGroup, channelPost, #"{"update_id": 10020, "poll": {}}"#]))
        let cursor = MemoryCursorStore()
        let sink = ObservingSink(cursor: cursor)
        let logs = LogRecorder()
        let report = try await makeAdapter(http: http, cursor: cursor, sink: sink, logs: logs).pollOnce()
        #expect(report.skipped == 3)
        #expect(sink.offsetsSeenAtDeliver.withLock { $0.isEmpty })
        #expect(storedOffset(cursor) == "10021")
        #expect(logs.text.contains("a message from a bot"))
        #expect(logs.text.contains("a channel post"))
    }

    @Test func anUpdateTheHubRejectsStopsThePollerThere() async throws {
        let http = fakeTelegramAPI()
        http.answer(200, updatesAnswer([privateText, supergroupMessage, groupMessage]))
        let cursor = MemoryCursorStore()
        let sink = ObservingSink(cursor: cursor, rejecting: ["-1001234567890:52"])
        do {
            _ = try await makeAdapter(http: http, cursor: cursor, sink: sink).pollOnce()
            Issue.record("a rejected update was passed over")
        } catch let error as TelegramPollError {
            #expect(error.description.contains("no customer may be created on this channel"))
            #expect(error.description.contains("10001"))
            #expect(!error.isRetryable)
        }
        // Confirmed up to the refused update: it (and what follows) is fetched again.
        #expect(storedOffset(cursor) == "10001")
    }

    /// No offset is above Int64.max, so such an update could never be confirmed: a clear error,
    /// after the rest of the batch is stored, and no arithmetic overflow.
    @Test func anUpdateIDOfInt64MaxIsABadUpdateNotACrash() async throws {
        let http = fakeTelegramAPI()
        let largest = privateText.replacingOccurrences(
            of: #""update_id": 10000"#, with: #""update_id": 9223372036854775807"#
        ).replacingOccurrences(of: #""message_id": 1365"#, with: #""message_id": 1366"#)
        http.answer(200, updatesAnswer([privateText, largest]))
        let cursor = MemoryCursorStore()
        let sink = ObservingSink(cursor: cursor)
        do {
            _ = try await makeAdapter(http: http, cursor: cursor, sink: sink).pollOnce()
            Issue.record("an update that can never be confirmed was passed over")
        } catch let error as TelegramPollError {
            #expect(error.description.contains("9223372036854775807"))
            #expect(error.description.contains("api_base_url"))
            #expect(!error.isRetryable)
        }
        #expect(sink.inner.storedIDs == ["1111111:1365"])
        #expect(storedOffset(cursor) == "10001")
    }

    @Test func aWebhookConflictSaysHowToFixIt() async throws {
        let http = fakeTelegramAPI()
        http.answer(
            409,
            errorAnswer(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
            ))
        let error = try await pollError(http)
        #expect(error.description.contains("deleteWebhook"))
        #expect(error.description.contains("mode: webhook"))
        #expect(!error.isRetryable)
        #expect(!error.description.contains(botToken))
        http.answer(
            409,
            errorAnswer(
                409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
            ))
        #expect(try await pollError(http).description.contains("another program is polling this bot"))
    }

    @Test func aRefusedTokenIsACredentialError() async throws {
        for (status, description) in [(401, "Unauthorized"), (404, "Not Found")] {
            let http = fakeTelegramAPI()
            http.answer(status, errorAnswer(status, description))
            let error = try await pollError(http)
            #expect(error.description.contains("bot_token"))
            #expect(!error.isRetryable)
            #expect(!error.description.contains(botToken))
        }
    }

    @Test func networkFaultsServerErrorsAndRateLimitsAreRetryable() async throws {
        let http = fakeTelegramAPI()
        http.answers.withLock {
            $0.append(.failure(TransportError(isRetryable: true, "timeout on \(apiBase)/bot\(botToken)/getUpdates")))
        }
        let network = try await pollError(http)
        #expect(network.isRetryable)
        #expect(!network.description.contains(botToken))
        http.answer(502, "<html>502 Bad Gateway</html>")
        #expect(try await pollError(http).isRetryable)
        http.answer(429, errorAnswer(429, "Too Many Requests: retry after 3", parameters: #"{"retry_after": 3}"#))
        let limited = try await pollError(http)
        #expect(limited.isRetryable)
        #expect(limited.retryAfter == .seconds(3))
    }

    @Test func runBacksOffOnFaultsKeepsPollingAndStopsOnCancellation() async throws {
        let http = fakeTelegramAPI()
        http.answers.withLock { $0.append(.failure(TransportError(isRetryable: true, "connection refused"))) }
        http.answer(503, errorAnswer(503, "Service Unavailable"))
        http.answer(200, updatesAnswer([privateText]))
        let sink = RecordingInboundSink()
        let adapter = makeAdapter(http: http, sink: sink)
        let running = Task { try await adapter.run() }
        try await waitUntil { sink.storedIDs == ["1111111:1365"] && http.requests.withLock { $0.count >= 4 } }
        running.cancel()
        let stopped = ContinuousClock().now
        _ = await running.result
        // Well before a 30 s long poll or a 60 s backoff would end (generous: the machine is loaded).
        #expect(ContinuousClock().now - stopped < .seconds(10))
        let offsets = http.requests.withLock { $0.map { (jsonBody($0)["offset"] as? NSNumber)?.int64Value } }
        #expect(offsets.prefix(4) == [nil, nil, nil, 10001])
    }

    @Test func runStopsWithTheErrorWhenTheFaultIsNotRetryable() async throws {
        let http = fakeTelegramAPI()
        http.answer(409, errorAnswer(409, "Conflict: can't use getUpdates method while webhook is active"))
        await #expect(throws: TelegramPollError.self) { try await makeAdapter(http: http).run() }
    }

    func pollError(_ http: RecordingHTTPClient) async throws -> TelegramPollError {
        do {
            _ = try await makeAdapter(http: http).pollOnce()
        } catch let error as TelegramPollError {
            return error
        }
        throw TimedOut()
    }
}
