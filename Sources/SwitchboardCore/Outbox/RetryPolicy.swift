import Foundation
import SwitchboardAdapterKit

/// When to try a failed send again: exponential backoff with jitter, capped, honouring the
/// channel's Retry-After, and giving up after a number of attempts.
///
/// A channel's "slow down" (``SendError/Code/rateLimited``) says nothing about whether the message
/// can be delivered, so it has its own, larger budget (``maxRateLimited``) instead of using up
/// ``maxAttempts``: a storm of 429s delays replies but does not dead-letter them.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included, that may fail for a reason other than a rate limit;
    /// after that the send is dead-lettered.
    public var maxAttempts: Int
    public var baseDelay: Duration
    /// The ceiling on one wait.
    public var maxDelay: Duration
    /// Rate-limited answers tolerated for one send before it is dead-lettered.
    public var maxRateLimited: Int

    public init(
        maxAttempts: Int = 8, baseDelay: Duration = .seconds(2), maxDelay: Duration = .seconds(300),
        maxRateLimited: Int = 50
    ) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRateLimited = maxRateLimited
    }

    /// When to try again, or `nil` to dead-letter.
    /// - Parameters:
    ///   - attempts: failures so far that count against this error's budget, this one included
    ///     (rate-limited answers for a ``SendError/Code/rateLimited`` error, other failures otherwise).
    ///   - jitter: a factor in 0.5...1.0 (random in production, fixed in tests).
    public func nextAttempt(after error: SendError, attempts: Int, now: Date, jitter: Double = .random(in: 0.5...1.0))
        -> Date?
    {
        guard error.code.isRetryable, attempts < (error.code == .rateLimited ? maxRateLimited : maxAttempts) else {
            return nil
        }
        let exponent = Double(min(max(attempts - 1, 0), 30))
        let base = min(baseDelay.timeInterval * pow(2, exponent), maxDelay.timeInterval)
        var delay = base * min(max(jitter, 0), 1)
        if let retryAfter = error.retryAfter { delay = max(delay, retryAfter.timeInterval) }
        return now.addingTimeInterval(delay)
    }
}
