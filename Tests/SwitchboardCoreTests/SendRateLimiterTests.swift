import Foundation
import SwitchboardAdapterKit
import SwitchboardCore
import Testing

/// The token bucket and the pause, on a fixed clock.
struct SendRateLimiterTests {
    let t0 = Date(timeIntervalSince1970: 1_000_000)

    func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    @Test func aBurstGoesAtOnceThenSendsArePacedAndSpreadOneSlotApart() {
        let limiter = SendRateLimiter(rates: ["sms": SendRate(messages: 2, per: .seconds(1), burst: 3)])
        let first = (0..<3).map { _ in limiter.admit("sms", now: t0) }
        #expect(first == [.now, .now, .now])
        // The bucket is empty: the next three wait 0.5 s, then one slot (0.5 s) more each.
        let waiting = (0..<3).map { _ in limiter.admit("sms", now: t0) }
        #expect(waiting == [.later(at(0.5)), .later(at(1.0)), .later(at(1.5))])
        // Half a second later one token has come back.
        #expect(limiter.admit("sms", now: at(0.5)) == .now)
        #expect(limiter.admit("sms", now: at(0.5)) != .now)
    }

    @Test func theBucketRefillsOnlyUpToTheBurst() {
        let limiter = SendRateLimiter(rates: ["sms": SendRate(messages: 1, per: .seconds(1), burst: 2)])
        #expect(limiter.admit("sms", now: t0) == .now)
        let later = at(3600)
        #expect(limiter.admit("sms", now: later) == .now)
        #expect(limiter.admit("sms", now: later) == .now)
        #expect(limiter.admit("sms", now: later) == .later(at(3601)))
    }

    @Test func aRateOverMinutesIsPacedOverMinutes() {
        let limiter = SendRateLimiter(rates: ["x": SendRate(messages: 100, per: .seconds(900), burst: 1)])
        #expect(limiter.admit("x", now: t0) == .now)
        #expect(limiter.admit("x", now: t0) == .later(at(9)))
    }

    @Test func aChannelWithoutARateIsNeverHeldBackUntilItAsksForAPause() {
        let limiter = SendRateLimiter(rates: [:])
        for _ in 0..<1000 { #expect(limiter.admit("mail", now: t0) == .now) }
        limiter.pause("mail", for: .seconds(30), now: t0)
        #expect(limiter.admit("mail", now: at(1)) == .later(at(30)))
        #expect(limiter.admit("mail", now: at(30)) == .now)
        #expect(limiter.admit("other", now: at(1)) == .now, "a pause holds back only its own channel")
    }

    @Test func aPauseHoldsBackAPacedChannelEvenWithTokensLeft() {
        let limiter = SendRateLimiter(rates: ["wa": SendRate(messages: 80)])
        limiter.pause("wa", for: .seconds(2), now: t0)
        #expect(limiter.admit("wa", now: at(1)) == .later(at(2)))
        #expect(limiter.admit("wa", now: at(1)) == .later(at(2.0125)), "the backlog returns one slot apart")
        #expect(limiter.admit("wa", now: at(2)) == .now)
        // A shorter pause does not cut a longer one short.
        limiter.pause("wa", for: .seconds(10), now: at(2))
        limiter.pause("wa", for: .seconds(1), now: at(2))
        #expect(limiter.admit("wa", now: at(5)) == .later(at(12)))
    }
}
