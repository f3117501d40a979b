import Foundation
import Synchronization

/// Slows password guessing on the web inbox's login: after `maxFailures` wrong passwords for one
/// name within `window`, that name is refused (429) until the window has passed since the first of
/// them; and all names together may fail at most `maxFailuresOverall` times per window, which
/// slows guessing across many names. Counts live in this process (a restart forgets them).
final class LoginThrottle: Sendable {
    struct Counter {
        var failures: Int
        var since: Date
    }

    let maxFailures: Int
    let maxFailuresOverall: Int
    let window: TimeInterval
    private let counters = Mutex<(perName: [String: Counter], overall: Counter)>(
        ([:], Counter(failures: 0, since: .distantPast)))

    init(maxFailures: Int = 5, maxFailuresOverall: Int = 100, window: TimeInterval = 15 * 60) {
        self.maxFailures = maxFailures
        self.maxFailuresOverall = maxFailuresOverall
        self.window = window
    }

    /// Seconds to wait before trying `key` again, or `nil` when a try is allowed now.
    func refusal(for key: String, now: Date) -> Int? {
        counters.withLock { counters in
            var waits: [TimeInterval] = []
            if let counter = counters.perName[key], counter.failures >= maxFailures,
                now.timeIntervalSince(counter.since) < window
            {
                waits.append(window - now.timeIntervalSince(counter.since))
            }
            let overall = counters.overall
            if overall.failures >= maxFailuresOverall, now.timeIntervalSince(overall.since) < window {
                waits.append(window - now.timeIntervalSince(overall.since))
            }
            return waits.max().map { max(1, Int($0.rounded(.up))) }
        }
    }

    func recordFailure(for key: String, now: Date) {
        counters.withLock { counters in
            func bump(_ counter: inout Counter) {
                if now.timeIntervalSince(counter.since) >= window { counter = Counter(failures: 0, since: now) }
                counter.failures += 1
            }
            var counter = counters.perName[key] ?? Counter(failures: 0, since: now)
            bump(&counter)
            counters.perName[key] = counter
            bump(&counters.overall)
            // Forget names whose window has passed, so guessing many names cannot grow the table.
            if counters.perName.count > 10_000 {
                counters.perName = counters.perName.filter { now.timeIntervalSince($0.value.since) < window }
            }
        }
    }

    func recordSuccess(for key: String) {
        _ = counters.withLock { $0.perName.removeValue(forKey: key) }
    }
}
