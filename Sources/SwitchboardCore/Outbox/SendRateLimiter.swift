import Foundation
import SwitchboardAdapterKit
import Synchronization

/// Paces sends per channel instance: a token bucket from the channel's ``SendRate`` (declared by
/// its adapter or set in the config), and a pause when the channel answers "slow down" with a
/// Retry-After, so the replies queued behind the one refused wait too instead of hitting the same
/// 429. A send the bucket does not admit is not an attempt: the dispatcher puts it back in the
/// queue for the time ``admit(_:now:)`` names, spread one slot apart at the channel's rate so a
/// backlog does not come back all at once.
public final class SendRateLimiter: Sendable {
    /// What the limiter says about one send.
    public enum Admission: Sendable, Hashable {
        case now
        /// Not before this time.
        case later(Date)
    }

    struct Bucket {
        var tokens: Double
        var refilledAt: Date
        /// The channel asked us to wait until then.
        var pausedUntil: Date?
        /// The next free slot handed to a send that was not admitted.
        var nextSlot: Date?
    }

    private let rates: [ChannelID: SendRate]
    private let buckets = Mutex<[ChannelID: Bucket]>([:])

    /// - Parameter rates: each paced channel's rate; channels not listed are paced only by pauses.
    public init(rates: [ChannelID: SendRate]) { self.rates = rates }

    /// The rate in force for `channel`, if any.
    public func rate(for channel: ChannelID) -> SendRate? { rates[channel] }

    /// Takes a token for one send on `channel` now, or names when to try again.
    public func admit(_ channel: ChannelID, now: Date) -> Admission {
        let rate = rates[channel]
        return buckets.withLock { buckets in
            var bucket =
                buckets[channel] ?? Bucket(tokens: Double(rate?.burst ?? 1), refilledAt: now, pausedUntil: nil)
            defer { buckets[channel] = bucket }
            if let rate {
                let elapsed = max(now.timeIntervalSince(bucket.refilledAt), 0)
                bucket.tokens = min(Double(rate.burst), bucket.tokens + elapsed * rate.perSecond)
                bucket.refilledAt = now
            }
            var earliest = now
            if let paused = bucket.pausedUntil, paused > now {
                earliest = paused
            } else if rate == nil || bucket.tokens >= 1 {
                if rate != nil { bucket.tokens -= 1 }
                return .now
            } else if let rate {
                earliest = now.addingTimeInterval((1 - bucket.tokens) / rate.perSecond)
            }
            // Hand out successive slots, so a backlog returns at the channel's pace; a channel with
            // no rate gets its backlog back at once when its pause ends (the window of sends in
            // flight bounds how many go together).
            let gap = rate.map { 1 / $0.perSecond } ?? 0
            let slot = max(earliest, bucket.nextSlot ?? earliest)
            bucket.nextSlot = slot.addingTimeInterval(gap)
            return .later(slot)
        }
    }

    /// The channel said to wait `duration` (a 429 with Retry-After): no send on it before then.
    public func pause(_ channel: ChannelID, for duration: Duration, now: Date) {
        let until = now.addingTimeInterval(duration.timeInterval)
        buckets.withLock { buckets in
            var bucket =
                buckets[channel]
                ?? Bucket(tokens: Double(rates[channel]?.burst ?? 1), refilledAt: now, pausedUntil: nil)
            bucket.pausedUntil = max(bucket.pausedUntil ?? until, until)
            if let slot = bucket.nextSlot, slot < until { bucket.nextSlot = nil }
            buckets[channel] = bucket
        }
    }
}
