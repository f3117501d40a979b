import CCurl
import SwitchboardAdapterKit

/// The hub's IMAP and SMTP client, over libcurl: what mail adapters reach through
/// ``MailTransport``, so that no adapter carries its own mail protocol code (DESIGN §5).
///
/// - Each call is one bounded transfer (the mailbox's or server's `timeout`), run on a GCD queue
///   because `curl_easy_perform` blocks; the caller awaits it. Cancelling the task does not stop a
///   transfer early.
/// - IMAP logins are reused: see ``CurlHandlePool``. Each SMTP send has a connection of its own.
/// - TLS certificates are always verified (`caFile` adds a CA: on Debian libcurl still trusts
///   `/etc/ssl/certs` beside it). `tls: none` is refused for any host but loopback. Each transfer
///   may use only the scheme of its server URL.
/// - Credentials go to libcurl as options, never in a URL, and no error message contains the
///   password.
/// - Folder names may hold spaces and any Unicode: they are sent in modified UTF-7, quoted in
///   commands and percent-encoded in URLs.
/// - Fetching a message (`BODY[]`) marks it `\Seen`: libcurl has no `BODY.PEEK[]` fetch. Track
///   progress by UID and UIDVALIDITY, never by flags.
/// - SMTP: the `EHLO` name is the URL's path (libcurl would otherwise say the upload's name), every
///   line end is sent as CRLF, and a send reaches all recipients or fails (no
///   `CURLOPT_MAIL_RCPT_ALLOWFAILS`): one refused recipient refuses the message. A connection lost
///   after the message's final dot is retryable, and the retry may deliver it twice.
///
/// Errors: a refused login has `isLoginDenied` (not retryable); connection failures and timeouts
/// and SMTP 4xx replies are retryable; SMTP 5xx replies (`replyCode` set), TLS verification,
/// a renumbered folder (UIDVALIDITY changed), a missing folder or message and an oversized reply
/// are not.
public struct CurlMailClient: MailTransport {
    /// The largest message ``fetch(from:uid:uidValidity:)`` reads; a larger one fails, not retryable.
    public static let maxMessageBytes = 64 * 1024 * 1024
    /// The largest STATUS or SEARCH reply read.
    static let maxReplyBytes = 16 * 1024 * 1024

    /// libcurl's receive buffer for IMAP: 64 KB (its default is 16 KB), so SEARCH windows are
    /// large and few.
    public static let imapBufferSize = 64 * 1024

    let pool: CurlHandlePool
    /// ``maxMessageBytes`` but for tests, which check the limit with a small one.
    let messageLimit: Int
    /// ``imapBufferSize`` but for tests, which make SEARCH lines longer than a small buffer.
    let imapBufferSize: Int

    public init() {
        self.init(messageLimit: Self.maxMessageBytes)
    }

    init(messageLimit: Int, imapBufferSize: Int = Self.imapBufferSize) {
        pool = CurlHandlePool()
        self.messageLimit = messageLimit
        self.imapBufferSize = imapBufferSize
    }

    public func status(of mailbox: IMAPMailbox) async throws(TransportError) -> IMAPMailboxStatus {
        let name = try IMAPText.wireName(mailbox.folder)
        let call = try imapCall(
            mailbox, path: "/", custom: "STATUS \(IMAPText.quoted(name)) (MESSAGES UIDNEXT UIDVALIDITY)",
            limit: Self.maxReplyBytes)
        let action = "reading the STATUS of folder \"\(mailbox.folder)\""
        let body = try await imap(call, selects: false, action: action)
        guard let status = IMAPText.parseStatus(body) else {
            throw TransportError(
                isRetryable: false,
                "\(action) at \(call.endpoint.base) failed: the reply had no MESSAGES, UIDNEXT and UIDVALIDITY")
        }
        return status
    }

    /// Searches in windows of UIDs (``searchWindow``) up to the folder's UIDNEXT; mail delivered
    /// after that STATUS is found by the next search.
    ///
    /// libcurl keeps an IMAP response line whole only if it fits its receive buffer; a longer one
    /// loses its middle, silently. `UID SEARCH UID 1:*` on a folder of 3,000 new mails is such a
    /// line (measured with libcurl 7.88 and Dovecot: UIDs 3,255 to 9,792 of 10,000 vanished). A
    /// window of UIDs keeps every SEARCH line shorter than the buffer, whatever the folder holds.
    public func searchUIDs(in mailbox: IMAPMailbox, from: UInt32) async throws(TransportError) -> [UInt32] {
        let uidNext = UInt64(try await status(of: mailbox).uidNext)
        var uids: [UInt32] = []
        var low = UInt64(max(from, 1))
        while low < uidNext {
            let high = min(low + UInt64(searchWindow) - 1, uidNext - 1)
            uids += try await search(mailbox, range: "\(low):\(high)", from: UInt32(low), through: UInt32(high))
            low = high + 1
        }
        return uids
    }

    /// How many UIDs one SEARCH asks for: as many as fit the receive buffer at 11 bytes each (a
    /// 10-digit UID and its space), less room for `* SEARCH` and the line end.
    var searchWindow: UInt32 { UInt32(max(1, (imapBufferSize - 64) / 11)) }

    private func search(_ mailbox: IMAPMailbox, range: String, from: UInt32, through: UInt32)
        async throws(TransportError) -> [UInt32]
    {
        let name = try IMAPText.wireName(mailbox.folder)
        var call = try imapCall(
            mailbox, path: "/" + IMAPText.urlPath(name), custom: "UID SEARCH UID \(range)", limit: Self.maxReplyBytes)
        call.bufferSize = imapBufferSize
        let action = "searching folder \"\(mailbox.folder)\" for UIDs \(range)"
        let body = try await imap(call, selects: true, action: action)
        guard let uids = IMAPText.parseSearch(body, from: from) else {
            throw TransportError(
                isRetryable: false, "\(action) at \(call.endpoint.base) failed: the reply had no SEARCH line")
        }
        // `n:*` also matches the highest UID when it is below n (RFC 3501 §6.4.8).
        return uids.filter { $0 <= through }
    }

    public func fetch(from mailbox: IMAPMailbox, uid: UInt32, uidValidity: UInt32) async throws(TransportError)
        -> [UInt8]
    {
        guard uid > 0 else { throw TransportError(isRetryable: false, "UID 0 does not exist: UIDs start at 1") }
        let name = try IMAPText.wireName(mailbox.folder)
        // libcurl compares UIDVALIDITY with the SELECT reply and fails if it changed.
        let call = try imapCall(
            mailbox, path: "/\(IMAPText.urlPath(name));UIDVALIDITY=\(uidValidity);UID=\(uid)", custom: nil,
            limit: messageLimit)
        return try await imap(
            call, selects: true, action: "fetching UID \(uid) from folder \"\(mailbox.folder)\"")
    }

    public func send(_ mail: SMTPMail, via server: SMTPServer) async throws(TransportError) {
        let call = try Self.smtpCall(mail, via: server)
        guard CurlSupport.isInitialized else {
            throw TransportError(isRetryable: false, "libcurl failed to initialise")
        }
        let result: Result<Void, TransportError> = await CurlSupport.run {
            guard let handle = CurlEasyHandle() else {
                return .failure(TransportError(isRetryable: true, "libcurl could not create a transfer handle"))
            }
            let outcome = MailTransfer.perform(call, on: handle)
            if let error = MailFailure.smtp(outcome, call: call) { return .failure(error) }
            return .success(())
        }
        try result.get()
    }

    /// How many connections this client's IMAP calls opened (tests check that logins are reused).
    var connectionsOpened: Int { pool.connectionsOpened }

    private func imap(_ call: MailCall, selects: Bool, action: String) async throws(TransportError) -> [UInt8] {
        guard CurlSupport.isInitialized else {
            throw TransportError(isRetryable: false, "libcurl failed to initialise")
        }
        let pool = self.pool
        let result = await CurlSupport.run { pool.performIMAP(call, selects: selects, action: action) }
        return try result.get()
    }

    private func imapCall(_ mailbox: IMAPMailbox, path: String, custom: String?, limit: Int) throws(TransportError)
        -> MailCall
    {
        let endpoint = try MailEndpoint(mailbox.serverURL, service: .imap, tls: mailbox.tls)
        return MailCall(
            endpoint: endpoint, url: endpoint.base + path, username: mailbox.username, password: mailbox.password,
            tls: mailbox.tls, caFile: mailbox.caFile, timeout: mailbox.timeout, customRequest: custom,
            responseLimit: limit)
    }

    static func smtpCall(_ mail: SMTPMail, via server: SMTPServer) throws(TransportError) -> MailCall {
        let endpoint = try MailEndpoint(server.serverURL, service: .smtp, tls: server.tls)
        let helo = server.heloDomain
        guard !helo.isEmpty, helo.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw TransportError(
                isRetryable: false, "heloDomain must be a host name such as hub.example.com, without spaces")
        }
        guard !mail.recipients.isEmpty else {
            throw TransportError(isRetryable: false, "the mail has no recipient")
        }
        for address in [mail.sender] + mail.recipients
        where address.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw TransportError(isRetryable: false, "a mail address contains a control character")
        }
        for recipient in mail.recipients where recipient.isEmpty {
            throw TransportError(isRetryable: false, "a recipient address is empty")
        }
        // Without a path libcurl would put the upload's name in EHLO: the path is the EHLO name.
        return MailCall(
            endpoint: endpoint, url: endpoint.base + "/" + IMAPText.urlPath(helo), username: server.username,
            password: server.password, tls: server.tls, caFile: server.caFile, timeout: server.timeout,
            upload: SMTPData.normalized(mail.data), mailFrom: mail.sender, recipients: mail.recipients,
            responseLimit: 1024 * 1024)
    }
}

/// SMTP message bytes as they go on the wire.
enum SMTPData {
    /// Every line ending as CRLF (a bare LF or a bare CR becomes CRLF) and a final CRLF, so the
    /// server never stores a bare LF. libcurl does the dot-stuffing.
    static func normalized(_ data: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(data.count + data.count / 32 + 2)
        var index = 0
        while index < data.count {
            let byte = data[index]
            if byte == 0x0D {
                output += [0x0D, 0x0A]
                if index + 1 < data.count && data[index + 1] == 0x0A { index += 1 }
            } else if byte == 0x0A {
                output += [0x0D, 0x0A]
            } else {
                output.append(byte)
            }
            index += 1
        }
        if !output.isEmpty && output.suffix(2) != [0x0D, 0x0A] { output += [0x0D, 0x0A] }
        return output
    }
}
