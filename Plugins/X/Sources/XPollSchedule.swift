import SwitchboardAdapterKit

/// When each poll source may be read next. X rate-limits every endpoint separately, so a source
/// that was rate-limited or failed waits on its own while the others go on.
///
/// After a success a source waits `poll_interval`; after a 429 until X's `x-rate-limit-reset`
/// (15 minutes if X did not say); after any other retryable failure it backs off exponentially
/// from `poll_interval` up to 15 minutes. Credentials X refused and hub refusals are not retried
/// here: they stop the channel, whose supervisor shows the reason and restarts it with backoff.
struct XPollSchedule: Sendable {
    static let maxBackoff: Duration = .seconds(15 * 60)

    let interval: Duration
    private(set) var failures: [XPoller.Source: Int] = [:]

    init(interval: Duration) { self.interval = interval }

    /// What to do after polling `source`: wait this long before its next poll, or stop the channel.
    enum Decision: Sendable, Hashable {
        case wait(Duration)
        case stop
    }

    mutating func decide(after error: (any Error)?, for source: XPoller.Source) -> Decision {
        guard let error else {
            failures[source] = nil
            return .wait(interval)
        }
        if let error = error as? SendError {
            switch error.code {
            case .rateLimited:
                return .wait(min(max(error.retryAfter ?? Self.maxBackoff, .seconds(1)), .seconds(3600)))
            case .transient:
                let count = (failures[source] ?? 0) + 1
                failures[source] = count
                let factor = 1 << min(count, 10)
                return .wait(min(interval * factor, Self.maxBackoff))
            default:
                return .stop
            }
        }
        if let error = error as? TransportError, error.isRetryable {
            return decide(after: SendError(.transient, error.message), for: source)
        }
        return .stop
    }
}
