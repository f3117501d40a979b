/// IMAP and SMTP as adapters see them. The hub passes its libcurl client (`CurlMailClient`);
/// tests may pass a fake. Every call is one bounded transfer with its own timeout; errors are
/// ``TransportError``s that say whether a retry can help.
///
/// libcurl has no IMAP IDLE, so mail adapters poll: ``status(of:)`` for UIDVALIDITY and UIDNEXT,
/// ``searchUIDs(in:from:)`` for what is new, ``fetch(from:uid:uidValidity:)`` for each message.
public protocol MailTransport: Sendable {
    /// `STATUS <folder> (MESSAGES UIDNEXT UIDVALIDITY)`.
    func status(of mailbox: IMAPMailbox) async throws(TransportError) -> IMAPMailboxStatus
    /// UIDs of the messages whose UID is at least `from`, ascending.
    func searchUIDs(in mailbox: IMAPMailbox, from: UInt32) async throws(TransportError) -> [UInt32]
    /// The whole message (`BODY[]`) with this UID. Fails, not retryable, when the folder's
    /// UIDVALIDITY is no longer `uidValidity` (the UIDs were renumbered).
    func fetch(from mailbox: IMAPMailbox, uid: UInt32, uidValidity: UInt32) async throws(TransportError) -> [UInt8]
    /// Submits one message. `data` is the complete RFC 5322 message with CRLF line ends.
    func send(_ mail: SMTPMail, via server: SMTPServer) async throws(TransportError)
}

/// How a mail connection is protected.
public enum MailTLS: String, Sendable, Hashable, Codable {
    /// TLS from the first byte (`imaps://`, `smtps://`).
    case implicit
    /// Plain connection upgraded with STARTTLS; the transfer fails if the server cannot.
    case startTLS = "starttls"
    /// No TLS: only for servers on loopback.
    case none
}

/// One IMAP folder and how to log in to it.
public struct IMAPMailbox: Sendable, Hashable {
    /// `imap://host:port` or `imaps://host:port`, without a path.
    public var serverURL: String
    public var folder: String
    public var username: String
    public var password: String
    public var tls: MailTLS
    /// PEM file of extra trusted CAs (a self-signed test server); the system store otherwise.
    public var caFile: String?
    public var timeout: Duration

    public init(
        serverURL: String, folder: String = "INBOX", username: String, password: String, tls: MailTLS,
        caFile: String? = nil, timeout: Duration = .seconds(60)
    ) {
        self.serverURL = serverURL
        self.folder = folder
        self.username = username
        self.password = password
        self.tls = tls
        self.caFile = caFile
        self.timeout = timeout
    }
}

/// What `STATUS` says about a folder.
public struct IMAPMailboxStatus: Sendable, Hashable {
    public var messages: Int
    public var uidNext: UInt32
    public var uidValidity: UInt32

    public init(messages: Int, uidNext: UInt32, uidValidity: UInt32) {
        self.messages = messages
        self.uidNext = uidNext
        self.uidValidity = uidValidity
    }
}

/// One SMTP submission server.
public struct SMTPServer: Sendable, Hashable {
    /// `smtp://host:port` or `smtps://host:port`, without a path.
    public var serverURL: String
    public var username: String?
    public var password: String?
    public var tls: MailTLS
    public var caFile: String?
    /// The name we give in `EHLO`.
    public var heloDomain: String
    public var timeout: Duration

    public init(
        serverURL: String, username: String? = nil, password: String? = nil, tls: MailTLS, caFile: String? = nil,
        heloDomain: String, timeout: Duration = .seconds(60)
    ) {
        self.serverURL = serverURL
        self.username = username
        self.password = password
        self.tls = tls
        self.caFile = caFile
        self.heloDomain = heloDomain
        self.timeout = timeout
    }
}

/// One message to submit: the SMTP envelope and the bytes.
public struct SMTPMail: Sendable, Hashable {
    /// `MAIL FROM`.
    public var sender: String
    /// `RCPT TO`, one per recipient.
    public var recipients: [String]
    /// The RFC 5322 message, CRLF line ends, dot-stuffing left to the transport.
    public var data: [UInt8]

    public init(sender: String, recipients: [String], data: [UInt8]) {
        self.sender = sender
        self.recipients = recipients
        self.data = data
    }
}

/// The transport used where the hub lends none (tests of HTTP-only adapters).
public struct NoMailTransport: MailTransport {
    public init() {}
    private static let error = TransportError(isRetryable: false, "this hub was started without a mail transport")
    public func status(of mailbox: IMAPMailbox) async throws(TransportError) -> IMAPMailboxStatus { throw Self.error }
    public func searchUIDs(in mailbox: IMAPMailbox, from: UInt32) async throws(TransportError) -> [UInt32] {
        throw Self.error
    }
    public func fetch(from mailbox: IMAPMailbox, uid: UInt32, uidValidity: UInt32) async throws(TransportError)
        -> [UInt8]
    { throw Self.error }
    public func send(_ mail: SMTPMail, via server: SMTPServer) async throws(TransportError) { throw Self.error }
}
