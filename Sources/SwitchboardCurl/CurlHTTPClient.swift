import CCurl
import CCurlShim
import Dispatch
import Foundation
import SwitchboardAdapterKit

/// The hub's outbound HTTP(S) client, over libcurl (DESIGN §5).
///
/// `curl_easy_perform` blocks, so each transfer runs on a GCD queue, never on Swift's cooperative
/// thread pool; the caller awaits a continuation. TLS verification is on (libcurl's default) and
/// cannot be turned off from here. Errors say whether a retry can help.
public struct CurlHTTPClient: HTTPClient {
    /// Sent as `User-Agent` on every request.
    public var userAgent: String

    public init(userAgent: String = "Switchboard/0.1") {
        self.userAgent = userAgent
    }

    public func execute(_ request: HTTPClientRequest) async throws(TransportError) -> HTTPClientResponse {
        guard CurlSupport.isInitialized else {
            throw TransportError(isRetryable: false, "libcurl failed to initialise")
        }
        let agent = userAgent
        let result = await CurlSupport.run { CurlTransfer.perform(request, userAgent: agent) }
        return try result.get()
    }
}

/// One blocking libcurl easy transfer.
enum CurlTransfer {
    /// Collects the response while libcurl calls back; lives for one transfer.
    final class Sink: CurlBodySink {
        var headers: [(name: String, value: String)] = []
    }

    static let maxResponseBytes = 32 * 1024 * 1024

    static func perform(_ request: HTTPClientRequest, userAgent: String) -> Result<HTTPClientResponse, TransportError> {
        guard let handle = curl_easy_init() else {
            return .failure(TransportError(isRetryable: true, "libcurl could not create a transfer handle"))
        }
        defer { curl_easy_cleanup(handle) }
        let sink = Sink(limit: maxResponseBytes)
        let box = Unmanaged.passRetained(sink)
        defer { box.release() }

        var headerList: UnsafeMutablePointer<curl_slist>? = nil
        defer { curl_slist_free_all(headerList) }
        for header in request.headers {
            headerList = curl_slist_append(headerList, "\(header.name): \(header.value)")
        }
        headerList = curl_slist_append(headerList, "Expect:")

        let timeoutMillis = CurlSupport.milliseconds(request.timeout)
        var code = sb_curl_setopt_string(handle, CURLOPT_URL, request.url)
        code = code == CURLE_OK ? sb_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1) : code
        code = code == CURLE_OK ? sb_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, timeoutMillis) : code
        code =
            code == CURLE_OK ? sb_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, min(timeoutMillis, 10_000)) : code
        code = code == CURLE_OK ? sb_curl_setopt_string(handle, CURLOPT_USERAGENT, userAgent) : code
        code = code == CURLE_OK ? sb_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList) : code
        code = code == CURLE_OK ? sb_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https") : code
        code =
            code == CURLE_OK ? sb_curl_setopt_callback(handle, CURLOPT_WRITEFUNCTION, CurlBodySink.writeCallback) : code
        code = code == CURLE_OK ? sb_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, box.toOpaque()) : code
        code = code == CURLE_OK ? sb_curl_setopt_callback(handle, CURLOPT_HEADERFUNCTION, headerCallback) : code
        code = code == CURLE_OK ? sb_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, box.toOpaque()) : code
        let method = request.method.uppercased()
        if code == CURLE_OK {
            switch method {
            case "GET": code = sb_curl_setopt_long(handle, CURLOPT_HTTPGET, 1)
            case "HEAD": code = sb_curl_setopt_long(handle, CURLOPT_NOBODY, 1)
            default:
                code = sb_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method)
                if code == CURLE_OK {
                    code = sb_curl_setopt_offset(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count))
                }
                if code == CURLE_OK {
                    code = request.body.withUnsafeBytes { bytes in
                        // COPYPOSTFIELDS copies the bytes, so the buffer need not outlive this call.
                        sb_curl_setopt_pointer(
                            handle, CURLOPT_COPYPOSTFIELDS,
                            UnsafeMutableRawPointer(
                                mutating: bytes.baseAddress ?? UnsafeRawPointer(("" as StaticString).utf8Start)))
                    }
                }
            }
        }
        guard code == CURLE_OK else {
            return .failure(
                TransportError(
                    isRetryable: false,
                    "could not set up the request to \(CurlSupport.redacted(request.url)): \(CurlSupport.describe(code))"
                ))
        }
        let performed = curl_easy_perform(handle)
        if sink.overflowed {
            return .failure(
                TransportError(
                    isRetryable: false,
                    "the response from \(CurlSupport.redacted(request.url)) exceeded \(maxResponseBytes) bytes")
            )
        }
        guard performed == CURLE_OK else {
            return .failure(
                TransportError(
                    isRetryable: isRetryable(performed),
                    "request to \(CurlSupport.redacted(request.url)) failed: \(CurlSupport.describe(performed))"))
        }
        var status = 0
        _ = sb_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return .success(HTTPClientResponse(status: status, headers: sink.headers, body: sink.body))
    }

    static let headerCallback: sb_curl_data_callback = { data, size, count, userdata in
        guard let data, let userdata else { return 0 }
        let sink = Unmanaged<Sink>.fromOpaque(userdata).takeUnretainedValue()
        let length = size * count
        let line = data.withMemoryRebound(to: UInt8.self, capacity: length) { pointer in
            String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
        }
        if line.hasPrefix("HTTP/") {
            sink.headers.removeAll()  // a new response (after 100 Continue or a redirect)
        } else if let colon = line.firstIndex(of: ":") {
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
            sink.headers.append((name, value))
        }
        return length
    }

    static func isRetryable(_ code: CURLcode) -> Bool {
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_OPERATION_TIMEDOUT, CURLE_COULDNT_RESOLVE_HOST, CURLE_SEND_ERROR,
            CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            true
        default:
            false
        }
    }
}
