import SwitchboardAdapterKit

/// The `settings:` block of one `type: email` channel: one inbox, read over IMAP and answered
/// over SMTP. Every check happens here, so `config check` reports the file and line.
///
/// ```yaml
/// settings:
///   address: support@example.com        # our address: From of replies, and Reply-To
///   display_name: Example Support
///   imap: { url: "imaps://imap.example.com", username: support@example.com, password: "${IMAP_PASSWORD}" }
///   smtp: { url: "smtp://smtp.example.com:587", username: support@example.com, password: "${SMTP_PASSWORD}" }
///   poll_interval: 30s
/// ```
public struct EmailConfiguration: Decodable, Sendable {
    /// One server: where, who, and how the connection is protected.
    public struct Server: Decodable, Sendable {
        /// `imap://`, `imaps://`, `smtp://` or `smtps://` with host and optional port; no path.
        public var url: String
        public var username: String?
        public var password: String?
        /// `implicit` (imaps/smtps), `starttls`, or `none` (loopback only). Default: from the scheme
        /// (`implicit` for imaps/smtps, `starttls` otherwise).
        public var tls: MailTLS
        /// Extra CA certificates (PEM) to trust, for a server with a private CA.
        public var caFile: String?

        enum CodingKeys: String, CodingKey {
            case url, username, password, tls
            case caFile = "ca_file"
        }

        public init(url: String, username: String? = nil, password: String? = nil, tls: MailTLS, caFile: String? = nil)
        {
            self.url = url
            self.username = username
            self.password = password
            self.tls = tls
            self.caFile = caFile
        }

        init(from decoder: any Decoder, schemes: [String]) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let url = try container.decode(String.self, forKey: .url)
            self.url = url
            guard let scheme = schemes.first(where: { url.lowercased().hasPrefix($0 + "://") }) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .url, in: container,
                    debugDescription: "url must start with \(schemes.map { $0 + "://" }.joined(separator: " or "))")
            }
            let rest = url.dropFirst(scheme.count + 3)
            guard !rest.isEmpty, !rest.contains("/"), !rest.contains("@"), !rest.contains("?") else {
                throw DecodingError.dataCorruptedError(
                    forKey: .url, in: container,
                    debugDescription:
                        "url is the server only, such as \(scheme)://mail.example.com:\(scheme.hasPrefix("imap") ? 993 : 587); put the user in username and the folder in imap.folder"
                )
            }
            username = try container.decodeIfPresent(String.self, forKey: .username)
            password = try container.decodeIfPresent(String.self, forKey: .password)
            let implicit = scheme.hasSuffix("s")
            tls = try container.decodeIfPresent(MailTLS.self, forKey: .tls) ?? (implicit ? .implicit : .startTLS)
            if implicit != (tls == .implicit) {
                throw DecodingError.dataCorruptedError(
                    forKey: .tls, in: container,
                    debugDescription:
                        implicit
                        ? "\(scheme):// is TLS from the first byte: leave tls out or write implicit"
                        : "tls: implicit needs the \(scheme)s:// scheme; with \(scheme):// write starttls or none")
            }
            caFile = try container.decodeIfPresent(String.self, forKey: .caFile)
        }
    }

    /// Our address: the From of every reply and where customers write to.
    public var address: String
    /// The name shown beside it.
    public var displayName: String?
    public var imap: Server
    /// The IMAP folder to read.
    public var folder: String
    /// Without it the channel only receives.
    public var smtp: Server?
    /// How often the folder is checked for new mail (libcurl has no IMAP IDLE).
    public var pollInterval: Duration
    /// The domain of our Message-IDs; default: the domain of ``address``.
    public var messageIDDomain: String
    /// Thread a fresh mail (no In-Reply-To or References we know) into the same customer's
    /// conversation with the same subject (after `Re:`/`Fwd:`…). Off by default: a changed subject
    /// or a new mail then always starts a new conversation.
    public var subjectThreading: Bool
    /// Sender addresses (local parts or whole addresses, `*` as wildcard) whose mail is automatic.
    public var automaticSenders: [String]

    enum CodingKeys: String, CodingKey {
        case address, imap, smtp
        case displayName = "display_name"
        case pollInterval = "poll_interval"
        case messageIDDomain = "message_id_domain"
        case subjectThreading = "subject_threading"
        case automaticSenders = "automatic_senders"
    }

    enum IMAPKeys: String, CodingKey { case folder }

    public init(
        address: String, displayName: String? = nil, imap: Server, folder: String = "INBOX", smtp: Server? = nil,
        pollInterval: Duration = .seconds(30), messageIDDomain: String? = nil, subjectThreading: Bool = false,
        automaticSenders: [String] = []
    ) {
        self.address = address
        self.displayName = displayName
        self.imap = imap
        self.folder = folder
        self.smtp = smtp
        self.pollInterval = pollInterval
        self.messageIDDomain = messageIDDomain ?? Self.domain(of: address)
        self.subjectThreading = subjectThreading
        self.automaticSenders = automaticSenders
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let address = try container.decode(String.self, forKey: .address)
        do {
            self.address = try Address(kind: .email, value: address).value
        } catch {
            throw DecodingError.dataCorruptedError(
                forKey: .address, in: container,
                debugDescription: "address must be an email address such as support@example.com (\(error.message))")
        }
        displayName = try container.decodeIfPresent(String.self, forKey: .displayName)
        let imapDecoder = try container.superDecoder(forKey: .imap)
        imap = try Server(from: imapDecoder, schemes: ["imaps", "imap"])
        folder =
            try imapDecoder.container(keyedBy: IMAPKeys.self).decodeIfPresent(String.self, forKey: .folder) ?? "INBOX"
        if imap.username == nil || imap.password == nil {
            throw DecodingError.dataCorruptedError(
                forKey: .imap, in: container, debugDescription: "imap needs username and password")
        }
        if container.contains(.smtp) {
            smtp = try Server(from: try container.superDecoder(forKey: .smtp), schemes: ["smtps", "smtp"])
        }
        pollInterval =
            try container.decodeIfPresent(DurationSetting.self, forKey: .pollInterval)?.duration ?? .seconds(30)
        guard pollInterval >= .milliseconds(100) else {
            throw DecodingError.dataCorruptedError(
                forKey: .pollInterval, in: container, debugDescription: "poll_interval must be at least 100ms")
        }
        messageIDDomain =
            try container.decodeIfPresent(String.self, forKey: .messageIDDomain) ?? Self.domain(of: self.address)
        guard !messageIDDomain.isEmpty,
            messageIDDomain.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") })
        else {
            throw DecodingError.dataCorruptedError(
                forKey: .messageIDDomain, in: container, debugDescription: "message_id_domain must be a domain name")
        }
        subjectThreading = try container.decodeIfPresent(Bool.self, forKey: .subjectThreading) ?? false
        automaticSenders = try container.decodeIfPresent([String].self, forKey: .automaticSenders) ?? []
    }

    static func domain(of address: String) -> String {
        address.split(separator: "@").last.map(String.init) ?? address
    }

    /// The IMAP folder as the transport wants it.
    var mailbox: IMAPMailbox {
        IMAPMailbox(
            serverURL: imap.url, folder: folder, username: imap.username ?? "", password: imap.password ?? "",
            tls: imap.tls, caFile: imap.caFile)
    }

    /// The SMTP server as the transport wants it, if the channel sends.
    var submission: SMTPServer? {
        smtp.map {
            SMTPServer(
                serverURL: $0.url, username: $0.username, password: $0.password, tls: $0.tls, caFile: $0.caFile,
                heloDomain: messageIDDomain)
        }
    }
}
