import CCurl
import CCurlShim
import Dispatch
import Foundation

/// What the HTTP and the mail client share: libcurl's one-time initialisation, the GCD queue that
/// runs blocking transfers, and the wording and redaction of errors.
enum CurlSupport {
    /// `curl_global_init` once for the process, before any handle exists (it is not thread-safe
    /// with itself; a `static let` runs it exactly once).
    static let isInitialized: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    /// `curl_easy_perform` blocks, so transfers run here, never on Swift's cooperative pool.
    static let queue = DispatchQueue(label: "switchboard.curl", attributes: .concurrent)

    /// Runs `work` on ``queue`` and awaits its result.
    static func run<Value: Sendable>(_ work: @escaping @Sendable () -> Value) async -> Value {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: work()) }
        }
    }

    /// A duration as whole milliseconds, at least 1 (libcurl reads 0 as "no limit").
    static func milliseconds(_ duration: Duration) -> Int {
        let components = duration.components
        let millis = components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
        return Int(max(1, min(millis, Int64(Int32.max))))
    }

    static func describe(_ code: CURLcode) -> String {
        guard let text = curl_easy_strerror(code) else { return "libcurl error \(code.rawValue)" }
        return "\(String(cString: text)) (libcurl \(code.rawValue))"
    }

    /// The URL without user info or query, so credentials and tokens never reach a log line.
    static func redacted(_ url: String) -> String {
        var text = Substring(url)
        if let query = text.firstIndex(where: { $0 == "?" || $0 == "#" }) { text = text[..<query] }
        if let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].firstIndex(of: "@") {
            text = text[..<scheme.upperBound] + text[text.index(after: at)...]
        }
        return String(text)
    }

    /// `message` with every occurrence of each non-empty secret replaced by `***`.
    static func redact(_ message: String, secrets: [String?]) -> String {
        var result = message
        for case let secret? in secrets where !secret.isEmpty {
            result = result.replacing(secret, with: "***")
        }
        return result
    }
}

/// Collects a transfer's response body up to a limit while libcurl calls back; lives for one
/// transfer. HTTP and mail transfers subclass it with what else they collect.
class CurlBodySink {
    var body: [UInt8] = []
    let limit: Int
    var overflowed = false

    init(limit: Int) { self.limit = limit }

    /// `CURLOPT_WRITEFUNCTION` for a `CURLOPT_WRITEDATA` that is an unretained `CurlBodySink`.
    static let writeCallback: sb_curl_data_callback = { data, size, count, userdata in
        guard let data, let userdata else { return 0 }
        let sink = Unmanaged<CurlBodySink>.fromOpaque(userdata).takeUnretainedValue()
        let length = size * count
        if sink.body.count + length > sink.limit {
            sink.overflowed = true
            return 0
        }
        data.withMemoryRebound(to: UInt8.self, capacity: length) { pointer in
            sink.body.append(contentsOf: UnsafeBufferPointer(start: pointer, count: length))
        }
        return length
    }
}
