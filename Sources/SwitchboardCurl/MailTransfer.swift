import CCurl
import CCurlShim
import Foundation
import SwitchboardAdapterKit

/// One libcurl easy handle. libcurl keeps its connections (and an IMAP login and selected folder)
/// in the handle between transfers, so a pooled handle saves a TLS handshake and a login.
/// Used by one thread at a time: whoever took it from the pool.
final class CurlEasyHandle: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer
    /// Whether a transfer on this handle selected a folder, so the server's view of it may be stale.
    var mayHaveSelection = false
    /// Whether a transfer has run on it (a reused handle may hold a connection the server closed).
    var used = false
    var lastUsed = ContinuousClock.now

    init?() {
        guard let raw = curl_easy_init() else { return nil }
        self.raw = raw
    }

    deinit { curl_easy_cleanup(raw) }
}

/// Everything one mail transfer needs, already checked: the URL holds no secret.
struct MailCall: Sendable {
    var endpoint: MailEndpoint
    /// The complete URL: the endpoint's base plus a folder path, or the SMTP `EHLO` name.
    var url: String
    var username: String?
    var password: String?
    var tls: MailTLS
    var caFile: String?
    var timeout: Duration
    /// An IMAP command libcurl sends after login (and after `SELECT` if the URL names a folder).
    var customRequest: String?
    /// SMTP: the message, CRLF line ends (libcurl dot-stuffs it).
    var upload: [UInt8]?
    var mailFrom: String?
    var recipients: [String] = []
    var responseLimit: Int
    /// libcurl's receive buffer (`CURLOPT_BUFFERSIZE`), when not its default. It is also the
    /// longest IMAP response line libcurl keeps whole: a longer one loses its middle.
    var bufferSize: Int?
}

/// What libcurl said about one transfer, before it is judged.
struct MailOutcome: Sendable {
    var code: CURLcode
    var body: [UInt8]
    var overflowed: Bool
    /// libcurl's error buffer (`Select failed`, `Mailbox UIDVALIDITY has changed`, `RCPT failed: 550`).
    var errorText: String
    /// The last reply line the server sent (`A003 NO [NONEXISTENT] …`, `550 5.1.1 …`).
    var serverLine: String?
    /// SMTP: the last reply code (`CURLINFO_RESPONSE_CODE`); 0 when none.
    var responseCode: Int
    /// How many new connections the transfer opened (`CURLINFO_NUM_CONNECTS`).
    var newConnections: Int
}

/// Runs one blocking transfer on a handle. Call only on ``CurlSupport/queue``.
enum MailTransfer {
    /// Collects the response and the server's last reply line while libcurl calls back.
    final class Sink: CurlBodySink {
        var serverLine: String?
        let upload: [UInt8]
        var uploaded = 0
        init(limit: Int, upload: [UInt8]) {
            self.upload = upload
            super.init(limit: limit)
        }
    }

    static func perform(_ call: MailCall, on handle: CurlEasyHandle) -> MailOutcome {
        let curl = handle.raw
        // Forget the previous transfer's options; the connection cache and login stay.
        curl_easy_reset(curl)
        handle.used = true
        handle.lastUsed = .now
        let sink = Sink(limit: call.responseLimit, upload: call.upload ?? [])
        let box = Unmanaged.passRetained(sink)
        defer { box.release() }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        var recipients: UnsafeMutablePointer<curl_slist>? = nil
        defer { curl_slist_free_all(recipients) }
        for recipient in call.recipients { recipients = curl_slist_append(recipients, recipient) }

        let millis = CurlSupport.milliseconds(call.timeout)
        var code = CURLE_OK
        func set(_ apply: () -> CURLcode) { if code == CURLE_OK { code = apply() } }
        set { sb_curl_setopt_string(curl, CURLOPT_URL, call.url) }
        set { sb_curl_setopt_string(curl, CURLOPT_PROTOCOLS_STR, call.endpoint.scheme) }
        set { sb_curl_setopt_long(curl, CURLOPT_NOSIGNAL, 1) }
        set { sb_curl_setopt_long(curl, CURLOPT_TIMEOUT_MS, millis) }
        set { sb_curl_setopt_long(curl, CURLOPT_CONNECTTIMEOUT_MS, min(millis, 15_000)) }
        set { sb_curl_setopt_long(curl, CURLOPT_SSL_VERIFYPEER, 1) }
        set { sb_curl_setopt_long(curl, CURLOPT_SSL_VERIFYHOST, 2) }
        let useSSL: Int =
            switch call.tls {
            case .startTLS: Int(CURLUSESSL_ALL.rawValue)
            case .implicit, .none: Int(CURLUSESSL_NONE.rawValue)
            }
        set { sb_curl_setopt_long(curl, CURLOPT_USE_SSL, useSSL) }
        if let caFile = call.caFile { set { sb_curl_setopt_string(curl, CURLOPT_CAINFO, caFile) } }
        if let username = call.username { set { sb_curl_setopt_string(curl, CURLOPT_USERNAME, username) } }
        if let password = call.password { set { sb_curl_setopt_string(curl, CURLOPT_PASSWORD, password) } }
        set { sb_curl_setopt_callback(curl, CURLOPT_WRITEFUNCTION, CurlBodySink.writeCallback) }
        set { sb_curl_setopt_pointer(curl, CURLOPT_WRITEDATA, box.toOpaque()) }
        // Verbose output goes to the debug callback (never to stderr), which keeps the server's replies.
        set { sb_curl_setopt_debug_callback(curl, CURLOPT_DEBUGFUNCTION, debugCallback) }
        set { sb_curl_setopt_pointer(curl, CURLOPT_DEBUGDATA, box.toOpaque()) }
        set { sb_curl_setopt_long(curl, CURLOPT_VERBOSE, 1) }
        if let custom = call.customRequest { set { sb_curl_setopt_string(curl, CURLOPT_CUSTOMREQUEST, custom) } }
        if let size = call.bufferSize { set { sb_curl_setopt_long(curl, CURLOPT_BUFFERSIZE, size) } }
        if let upload = call.upload {
            set { sb_curl_setopt_long(curl, CURLOPT_UPLOAD, 1) }
            set { sb_curl_setopt_offset(curl, CURLOPT_INFILESIZE_LARGE, curl_off_t(upload.count)) }
            set { sb_curl_setopt_callback(curl, CURLOPT_READFUNCTION, readCallback) }
            set { sb_curl_setopt_pointer(curl, CURLOPT_READDATA, box.toOpaque()) }
            // The bytes already have CRLF line ends (see SMTPData.normalized).
            set { sb_curl_setopt_long(curl, CURLOPT_CRLF, 0) }
        }
        if let from = call.mailFrom { set { sb_curl_setopt_string(curl, CURLOPT_MAIL_FROM, from) } }
        if recipients != nil { set { sb_curl_setopt_slist(curl, CURLOPT_MAIL_RCPT, recipients) } }

        let performed: CURLcode
        if code == CURLE_OK {
            performed = errorBuffer.withUnsafeMutableBufferPointer { buffer in
                guard sb_curl_setopt_pointer(curl, CURLOPT_ERRORBUFFER, buffer.baseAddress) == CURLE_OK else {
                    return CURLE_FAILED_INIT
                }
                let result = curl_easy_perform(curl)
                // The buffer dies with this closure: libcurl must not write to it after.
                _ = sb_curl_setopt_pointer(curl, CURLOPT_ERRORBUFFER, nil)
                return result
            }
        } else {
            performed = code
        }
        var responseCode = 0
        _ = sb_curl_getinfo_long(curl, CURLINFO_RESPONSE_CODE, &responseCode)
        var connects = 0
        _ = sb_curl_getinfo_long(curl, CURLINFO_NUM_CONNECTS, &connects)
        let errorText = errorBuffer.withUnsafeBufferPointer { buffer in
            String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return MailOutcome(
            code: performed, body: sink.body, overflowed: sink.overflowed,
            errorText: errorText.trimmingCharacters(in: .whitespacesAndNewlines), serverLine: sink.serverLine,
            responseCode: responseCode, newConnections: connects)
    }

    static let readCallback: sb_curl_data_callback = { buffer, size, count, userdata in
        guard let buffer, let userdata else { return Int(CURL_READFUNC_ABORT) }
        let sink = Unmanaged<Sink>.fromOpaque(userdata).takeUnretainedValue()
        let length = min(size * count, sink.upload.count - sink.uploaded)
        guard length > 0 else { return 0 }
        sink.upload.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress else { return }
            UnsafeMutableRawPointer(buffer).copyMemory(from: base + sink.uploaded, byteCount: length)
        }
        sink.uploaded += length
        return length
    }

    /// Keeps the last refusal the server sent (`CURLINFO_HEADER_IN` carries the IMAP and SMTP
    /// reply lines; never message data, never what we sent, so never a credential). Only
    /// refusals: on an error libcurl logs out, and `OK Logout completed` explains nothing.
    static let debugCallback: sb_curl_debug_callback = { _, type, data, size, userdata in
        guard type == CURLINFO_HEADER_IN, let data, let userdata, size > 0 else { return 0 }
        let sink = Unmanaged<Sink>.fromOpaque(userdata).takeUnretainedValue()
        let text = data.withMemoryRebound(to: UInt8.self, capacity: size) { pointer in
            String(decoding: UnsafeBufferPointer(start: pointer, count: min(size, 600)), as: UTF8.self)
        }
        for line in text.split(whereSeparator: \.isNewline) where isRefusal(line) {
            sink.serverLine = String(line.prefix(300))
        }
        return 0
    }

    /// `A003 NO …`, `A003 BAD …`, `* NO …`, `* BAD …` (IMAP) or a 4xx/5xx reply (SMTP).
    static func isRefusal(_ line: Substring) -> Bool {
        let head = Array(line.utf8.prefix(4))
        let digits = UInt8(ascii: "0")...UInt8(ascii: "9")
        if head.count >= 3, head[0] == UInt8(ascii: "4") || head[0] == UInt8(ascii: "5"),
            digits.contains(head[1]), digits.contains(head[2]),
            head.count == 3 || head[3] == UInt8(ascii: " ") || head[3] == UInt8(ascii: "-")
        {
            return true
        }
        let words = line.split(separator: " ", maxSplits: 2)
        return words.count >= 2 && (words[1] == "NO" || words[1] == "BAD")
    }
}
