import Foundation
import SwitchboardAdapterKit
import SwitchboardAdapterTesting
import Testing

@testable import XAdapter

/// Times and waits read from X's headers and payloads are numbers from the wire: garbage in them
/// must become a sane value, never a trap.
@Suite struct XTimeGuardTests {
    func wait(_ name: String, _ value: String, now: Date = Date(timeIntervalSince1970: 1_700_000_000)) -> Duration? {
        XErrors.retryAfter(HTTPClientResponse(status: 429, headers: [(name, value)]), now: now)
    }

    @Test func aGarbledRateLimitResetNeverTrapsAndIsClampedToAnHour() {
        for value in ["nan", "inf", "-inf", "1e300", "-1e300"] {
            let resetWait = wait("x-rate-limit-reset", value)
            let retryWait = wait("Retry-After", value)
            for parsed in [resetWait, retryWait] {
                if let parsed { #expect(parsed >= .seconds(1) && parsed <= .seconds(3600)) }
            }
        }
        #expect(wait("x-rate-limit-reset", "nan") == nil)
        #expect(wait("x-rate-limit-reset", "inf") == nil)
        #expect(wait("x-rate-limit-reset", "1e300") == .seconds(3600))
        #expect(wait("Retry-After", "1e300") == .seconds(3600))
        // A reset already past still waits a second.
        #expect(wait("x-rate-limit-reset", "1600000000") == .seconds(1))
        #expect(wait("x-rate-limit-reset", "1700000042.5") == .seconds(43))
        #expect(wait("Retry-After", "7") == .seconds(7))
    }

    @Test func aNaNTimestampFallsBackToTheReceptionTimeWithAWarning() async throws {
        let adapter = makeAdapter(accountID: "4337869213", mode: .webhook)
        let before = Date()
        let body = accountActivityDM.replacingOccurrences(of: #""1516403560557""#, with: #""nan""#)
        let result = try await deliver(activityPOST(body), to: adapter)
        let envelope = try #require(result.envelopes.first)
        #expect(envelope.sentAt >= before && envelope.sentAt <= Date())
        #expect(envelope.parseWarnings.contains { $0.contains("impossible time") })
        // A year past 2200 is as implausible.
        let far = XDates.sentAt(Date(timeIntervalSince1970: 1e13), receivedAt: before)
        #expect(far.date == before)
        #expect(far.warning != nil)
        #expect(XDates.sentAt(Date(timeIntervalSince1970: 1_516_403_560), receivedAt: before).warning == nil)
    }
}
