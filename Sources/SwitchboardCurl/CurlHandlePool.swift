import CCurl
import Dispatch
import SwitchboardAdapterKit
import Synchronization

/// Idle IMAP handles, by server and login, so that one poll (STATUS, SEARCH, then a FETCH per new
/// message) logs in once or twice instead of once per call.
///
/// Two things make reuse safe:
/// - A server shows a selected folder's new mail only after a command ends, so a handle that
///   selected a folder before sends `NOOP` first (one round trip, no login). `STATUS` runs on
///   handles of their own that never select a folder, because `STATUS` of the selected folder
///   may report the old state.
/// - A reused connection the server has closed fails with a connection error: the transfer is
///   tried once more on a new handle (IMAP reads are idempotent).
///
/// A handle that failed is dropped, never pooled. At most ``maxIdlePerKey`` idle handles are
/// kept per key, none older than ``maxIdleAge`` (libcurl itself reuses no connection idle for
/// more than 118 s). Handles are only ever used, pooled and dropped on ``CurlSupport/queue``.
final class CurlHandlePool: Sendable {
    struct Key: Hashable, Sendable {
        var base: String
        var username: String?
        var password: String?
        var tls: MailTLS
        var caFile: String?
        /// Handles for SEARCH and FETCH (which select a folder) are kept apart from STATUS's.
        var selects: Bool
    }

    let maxIdlePerKey: Int
    let maxIdleAge: Duration
    private let idle = Mutex<[Key: [CurlEasyHandle]]>([:])
    private let opened = Atomic<Int>(0)

    init(maxIdlePerKey: Int = 2, maxIdleAge: Duration = .seconds(100)) {
        self.maxIdlePerKey = maxIdlePerKey
        self.maxIdleAge = maxIdleAge
    }

    deinit {
        // curl_easy_cleanup says LOGOUT and may block briefly: not on whatever thread drops us.
        let handles = idle.withLock { idle in idle.values.flatMap { $0 } }
        if !handles.isEmpty { CurlSupport.queue.async { withExtendedLifetime(handles) {} } }
    }

    /// How many connections the pooled transfers opened so far (for tests and diagnostics).
    var connectionsOpened: Int { opened.load(ordering: .relaxed) }

    /// Runs an IMAP transfer on a pooled handle; the response body, or the judged error.
    /// Blocks: call only on ``CurlSupport/queue``.
    func performIMAP(_ call: MailCall, selects: Bool, action: String) -> Result<[UInt8], TransportError> {
        let key = Key(
            base: call.endpoint.base, username: call.username, password: call.password, tls: call.tls,
            caFile: call.caFile, selects: selects)
        var handle = take(key)
        var reused = handle != nil
        if handle == nil { handle = CurlEasyHandle() }
        guard var current = handle else {
            return .failure(TransportError(isRetryable: true, "libcurl could not create a transfer handle"))
        }
        if reused && current.mayHaveSelection {
            var noop = call
            noop.url = call.endpoint.base + "/"
            noop.customRequest = "NOOP"
            noop.timeout = min(call.timeout, .seconds(15))
            let outcome = MailTransfer.perform(noop, on: current)
            count(outcome)
            if outcome.code != CURLE_OK, let fresh = CurlEasyHandle() {
                current = fresh
                reused = false
            }
        }
        var outcome = MailTransfer.perform(call, on: current)
        count(outcome)
        if reused && Self.isConnectionLost(outcome.code), let fresh = CurlEasyHandle() {
            current = fresh
            outcome = MailTransfer.perform(call, on: current)
            count(outcome)
        }
        if let error = MailFailure.imap(outcome, call: call, action: action) {
            return .failure(error)  // `current` is dropped here, with its connection
        }
        if selects { current.mayHaveSelection = true }
        give(current, key: key)
        return .success(outcome.body)
    }

    private func count(_ outcome: MailOutcome) {
        if outcome.newConnections > 0 { opened.add(outcome.newConnections, ordering: .relaxed) }
    }

    static func isConnectionLost(_ code: CURLcode) -> Bool {
        code == CURLE_SEND_ERROR || code == CURLE_RECV_ERROR || code == CURLE_GOT_NOTHING
    }

    private func take(_ key: Key) -> CurlEasyHandle? {
        let now = ContinuousClock.now
        let (handle, expired) = idle.withLock { idle -> (CurlEasyHandle?, [CurlEasyHandle]) in
            var handles = idle[key] ?? []
            let expired = handles.filter { now - $0.lastUsed > maxIdleAge }
            handles.removeAll { now - $0.lastUsed > maxIdleAge }
            let handle = handles.popLast()
            idle[key] = handles.isEmpty ? nil : handles
            return (handle, expired)
        }
        withExtendedLifetime(expired) {}  // cleaned up here, outside the lock
        return handle
    }

    private func give(_ handle: CurlEasyHandle, key: Key) {
        let now = ContinuousClock.now
        let dropped = idle.withLock { idle -> [CurlEasyHandle] in
            var dropped: [CurlEasyHandle] = []
            idle[key, default: []].append(handle)
            if let handles = idle[key], handles.count > maxIdlePerKey {
                dropped += handles.prefix(handles.count - maxIdlePerKey)
                idle[key] = Array(handles.suffix(maxIdlePerKey))
            }
            for (other, handles) in idle {
                let stale = handles.filter { now - $0.lastUsed > maxIdleAge }
                guard !stale.isEmpty else { continue }
                dropped += stale
                let fresh = handles.filter { now - $0.lastUsed <= maxIdleAge }
                idle[other] = fresh.isEmpty ? nil : fresh
            }
            return dropped
        }
        withExtendedLifetime(dropped) {}
    }
}
