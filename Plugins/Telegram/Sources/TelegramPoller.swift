import Foundation
import Logging
import SwitchboardAdapterKit

/// Long-polls `getUpdates` (https://core.telegram.org/bots/api#getupdates) and hands each batch to
/// the hub, moving its offset on only after the hub says the batch is durable.
///
/// Telegram keeps every update until a `getUpdates` call carries an `offset` above its
/// `update_id`. The offset (last update_id + 1) lives in ``AdapterContext/cursor`` and is written
/// after `deliver` returns, so a crash or restart re-fetches what was not stored (nothing lost),
/// and nothing stored is fetched again (nothing repeated: and if it were, the external id dedups).
struct TelegramPoller: Sendable {
    /// How long to wait between polls and after failures. Tests shorten it.
    struct Timing: Sendable {
        /// The first pause after a failure; it doubles with each failure in a row.
        var initialBackoff: Duration = .seconds(1)
        var maxBackoff: Duration = .seconds(60)
        /// A pause after an empty answer, so an endpoint that answers at once is not hammered.
        var idlePause: Duration = .milliseconds(200)
    }

    /// What one poll did.
    struct Report: Sendable, Hashable {
        var fetched = 0
        var stored = 0
        var duplicates = 0
        var skipped = 0
    }

    /// The cursor key of the next offset.
    static let offsetKey = "getUpdates:offset"
    /// Only these update types are asked for; others would be skipped anyway.
    static let allowedUpdates = ["message", "edited_message"]

    let api: TelegramAPI
    let pollTimeout: Duration
    let channel: ChannelID
    let cursor: any CursorStore
    let sink: any InboundSink
    let logger: Logger
    var timing = Timing()

    /// getUpdates' JSON body.
    struct GetUpdates: Encodable {
        var offset: Int64?
        var timeout: Int64
        var allowedUpdates: [String]

        enum CodingKeys: String, CodingKey {
            case offset, timeout
            case allowedUpdates = "allowed_updates"
        }
    }

    /// Polls until cancelled or graceful shutdown. Network faults, 5xx and 429 back off and retry
    /// here; anything else (409 webhook set, a refused token, an update the hub rejects) throws,
    /// and the supervisor shows the message and restarts the channel with backoff.
    func run() async throws {
        var failures = 0
        while !Task.isCancelled {
            do {
                let report = try await pollOnce()
                failures = 0
                if report.fetched == 0 { try await Task.sleep(for: timing.idlePause) }
            } catch let error as TelegramPollError where error.isRetryable {
                if Task.isCancelled { return }
                failures += 1
                let pause = error.retryAfter ?? backoff(afterFailures: failures)
                logger.warning(
                    "Telegram poll failed; trying again",
                    metadata: ["error": "\(error)", "pause": "\(pause)", "failures": "\(failures)"])
                try await Task.sleep(for: pause)
            } catch {
                // A long poll cut short by shutdown is no failure.
                if Task.isCancelled { return }
                throw error
            }
        }
    }

    func backoff(afterFailures failures: Int) -> Duration {
        let doubled = timing.initialBackoff * (1 << min(max(failures - 1, 0), 16))
        return min(doubled, timing.maxBackoff)
    }

    /// One `getUpdates` call and the delivery of what it returned.
    func pollOnce() async throws -> Report {
        let offset = try await cursor.value(for: Self.offsetKey).flatMap { Int64($0) }
        let body = GetUpdates(
            offset: offset, timeout: pollTimeout.components.seconds, allowedUpdates: Self.allowedUpdates)
        let result: [UInt8]
        do {
            // Above the long-poll timeout, so Telegram answers before the transfer is cut.
            result = try await api.call("getUpdates", body: body, timeout: pollTimeout + .seconds(15))
        } catch {
            throw TelegramErrors.pollError(error)
        }
        guard let elements = TelegramAPI.elements(ofArray: result) else {
            throw TelegramPollError("getUpdates answered ok, but its result is not a list of updates")
        }
        var report = Report(fetched: elements.count)
        var pending: [(updateID: Int64, envelope: InboundEnvelope)] = []
        var highest: Int64?
        var unconfirmable: Int64?
        for json in elements {
            guard let updateID = Self.updateID(json) else {
                report.skipped += 1
                logger.warning("skipped a Telegram update without an update_id")
                continue
            }
            guard !updateID.addingReportingOverflow(1).overflow else {
                // No offset lies above it, so it could never be confirmed: a bad update.
                report.skipped += 1
                unconfirmable = updateID
                continue
            }
            highest = max(highest ?? updateID, updateID)
            switch Self.outcome(json, channel: channel) {
            case .envelope(let envelope): pending.append((updateID, envelope))
            case .skipped(let reason):
                report.skipped += 1
                logger.info("skipped a Telegram update", metadata: ["update_id": "\(updateID)", "reason": "\(reason)"])
            }
        }
        do {
            let tally = try await sink.deliverAll(pending.map(\.envelope))
            report.stored += tally.stored
            report.duplicates += tally.duplicates
        } catch let refused as DeliveryRefused {
            // Everything before this update is stored: confirm that much, then stop here (the
            // channel shows this reason) until what refused it is fixed.
            let update = pending[refused.index]
            try await cursor.setValue(String(update.updateID), for: Self.offsetKey)
            throw TelegramPollError(
                "the hub refused Telegram update \(update.updateID) (\(update.envelope.externalID)): \(refused.reason)")
        } catch let incomplete as DeliveryIncomplete {
            throw TelegramPollError(
                "the hub returned \(incomplete.outcomes) outcomes for \(incomplete.envelopes) Telegram messages")
        }
        if let highest, highest >= (offset ?? Int64.min) {
            let (next, overflow) = highest.addingReportingOverflow(1)
            if !overflow { try await cursor.setValue(String(next), for: Self.offsetKey) }
        }
        if let unconfirmable {
            throw TelegramPollError(
                "getUpdates returned update_id \(unconfirmable), the largest possible: no offset can confirm it, so "
                    + "Telegram would send it forever. This is not a real Telegram update: check api_base_url points "
                    + "at the Bot API (the other updates of the batch were stored)")
        }
        return report
    }

    static func updateID(_ json: [UInt8]) -> Int64? {
        try? JSONDecoder().decode(TelegramModels.UpdateID.self, from: Data(json)).updateID
    }

    /// An update the model cannot read is skipped like any other we do not understand.
    static func outcome(_ json: [UInt8], channel: ChannelID) -> TelegramInbound.Outcome {
        do {
            return try TelegramInbound.outcome(json: json, channel: channel)
        } catch {
            return .skipped(error.message)
        }
    }
}
