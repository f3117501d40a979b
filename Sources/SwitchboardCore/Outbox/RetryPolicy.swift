import Foundation
import SwitchboardAdapterKit

/// When to try a failed send again: exponential backoff with jitter, capped, honouring the
/// channel's Retry-After, and giving up after a number of attempts.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included; after that the send is dead-lettered.
    public var maxAttempts: Int
    public var baseDelay: Duration
    /// The ceiling on one wait.
    public var maxDelay: Duration

    public init(maxAttempts: Int = 8, baseDelay: Duration = .seconds(2), maxDelay: Duration = .seconds(300)) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// When to try again after `attempts` failed attempts, or `nil` to dead-letter.
    /// - Parameter jitter: a factor in 0.5...1.0 (random in production, fixed in tests).
    public func nextAttempt(after error: SendError, attempts: Int, now: Date, jitter: Double = .random(in: 0.5...1.0))
        -> Date?
    {
        guard error.code.isRetryable, attempts < maxAttempts else { return nil }
        let exponent = Double(min(max(attempts - 1, 0), 30))
        let base = min(seconds(baseDelay) * pow(2, exponent), seconds(maxDelay))
        var delay = base * min(max(jitter, 0), 1)
        if let retryAfter = error.retryAfter { delay = max(delay, seconds(retryAfter)) }
        return now.addingTimeInterval(delay)
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
