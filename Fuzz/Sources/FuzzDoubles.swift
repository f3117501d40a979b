import Dispatch
import Logging
import SwitchboardAdapterKit
import Synchronization

/// libFuzzer calls the harness on its own thread, synchronously, while the adapters are async:
/// this runs one async operation to its end and only then returns, so every iteration is complete
/// (and a hang inside it is a hang of the iteration, which libFuzzer's `-timeout` reports).
enum Blocking {
    static func run(_ operation: @escaping @Sendable () async -> Void) {
        let done = DispatchSemaphore(value: 0)
        Task {
            await operation()
            done.signal()
        }
        done.wait()
    }
}

/// Ends a poller's `run()` after one poll: cancels the task that calls it. Pollers check
/// cancellation before they sleep (after an empty answer or a failure) and at the top of their
/// loop, so a poll cancelled while it runs finishes reading what it got, then returns.
enum PollStop {
    static func cancelCurrentTask() {
        withUnsafeCurrentTask { $0?.cancel() }
    }
}

/// The channel's API for one fuzz iteration: every request is answered with the fuzz input as
/// the body (and the chosen status), so whatever parses the answer parses the fuzz input.
/// After ``budget`` requests it answers with a transport error, so no loop can request forever.
final class FuzzHTTPClient: HTTPClient {
    /// Requests answered with the input at most, per iteration: above X's 20 pages for each of
    /// three sources, and Matrix's sync with a few rooms' member counts, gaps and joins.
    static let budget = 100

    let response: HTTPClientResponse
    /// For pollers whose API calls run on the poll loop's own task (Telegram, X): the first request
    /// cancels it, so `run()` ends after this poll.
    let stopsPollerOnFirstRequest: Bool
    let count = Mutex(0)

    init(response: HTTPClientResponse, stopsPollerOnFirstRequest: Bool = false) {
        self.response = response
        self.stopsPollerOnFirstRequest = stopsPollerOnFirstRequest
    }

    func execute(_ request: HTTPClientRequest) async throws(TransportError) -> HTTPClientResponse {
        let number = count.withLock {
            $0 += 1
            return $0
        }
        if stopsPollerOnFirstRequest { PollStop.cancelCurrentTask() }
        guard number <= Self.budget else {
            throw TransportError(isRetryable: false, "the fuzz harness answers at most \(Self.budget) requests")
        }
        return response
    }
}

/// A poller's positions in memory, optionally seeded (to fuzz a resumed poll) and optionally
/// ending `run()` when the poll stores its position (``stopKey``): the last step of a Matrix sync,
/// which runs its API calls on other tasks, so they cannot cancel the loop themselves.
final class FuzzCursorStore: CursorStore {
    let values: Mutex<[String: String]>
    let stopKey: String?

    init(_ initial: [String: String] = [:], stopKey: String? = nil) {
        values = Mutex(initial)
        self.stopKey = stopKey
    }

    func value(for key: String) async throws -> String? { values.withLock { $0[key] } }

    func setValue(_ value: String, for key: String) async throws {
        values.withLock { $0[key] = value }
        if key == stopKey { PollStop.cancelCurrentTask() }
    }
}

/// Drops every log line; with ``stopsOnWarning``, a warning or worse also cancels the task that
/// logs it: a Matrix sync that failed logs a warning just before its retry pause, so this ends
/// `run()` there instead of waiting a second for the retry.
struct FuzzLogHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    let stopsOnWarning: Bool

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        if stopsOnWarning && event.level >= .warning { PollStop.cancelCurrentTask() }
    }

    static func logger(stopsOnWarning: Bool = false) -> Logger {
        Logger(label: "fuzz") { _ in FuzzLogHandler(stopsOnWarning: stopsOnWarning) }
    }
}
