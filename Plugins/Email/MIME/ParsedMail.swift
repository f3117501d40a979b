import Foundation

/// One header field as it appeared in the message: unfolded (line breaks removed, whitespace
/// kept) but not RFC 2047-decoded, so callers that need the wire form (signatures, threading
/// by exact id) have it.
public struct MIMEHeader: Sendable, Hashable {
    /// The field name as written (compare case-insensitively).
    public var name: String
    /// The unfolded, undecoded value, trimmed.
    public var rawValue: String

    /// - Parameters:
    ///   - name: The field name.
    ///   - rawValue: The unfolded value.
    public init(name: String, rawValue: String) {
        self.name = name
        self.rawValue = rawValue
    }
}

/// A part of a message that is not its body text: a file, an inline image, a forwarded
/// message (`message/rfc822`, as `.eml` bytes), a delivery report. Used both for what the
/// parser found and for what ``MailBuilder`` attaches.
public struct MIMEAttachment: Sendable, Hashable {
    /// The file name from `Content-Disposition` or `Content-Type` (RFC 2231/2047-decoded).
    public var filename: String?
    /// The lowercased `type/subtype`.
    public var contentType: String
    /// The `Content-ID`, without angle brackets (what `cid:` URLs in the HTML refer to).
    public var contentID: String?
    /// Whether the part is meant to be shown in the body (disposition `inline`, or a
    /// `Content-ID` and no disposition) rather than offered as a download.
    public var isInline: Bool
    /// The decoded bytes.
    public var data: [UInt8]

    /// - Parameters:
    ///   - filename: The file name, if any.
    ///   - contentType: `type/subtype`; lowercased here.
    ///   - contentID: The content id without angle brackets, for inline parts.
    ///   - isInline: Whether the part is shown in the body.
    ///   - data: The decoded bytes.
    public init(
        filename: String? = nil, contentType: String, contentID: String? = nil, isInline: Bool = false,
        data: [UInt8]
    ) {
        self.filename = filename
        self.contentType = contentType.asciiLowercased
        self.contentID = contentID
        self.isInline = isInline
        self.data = data
    }
}

/// Bounds on what one parse may do, so hostile input costs bounded time and memory.
public struct MIMELimits: Sendable {
    /// Header lines longer than this are truncated, with a warning.
    public var maxHeaderLineBytes = 64 * 1024
    /// Multiparts nested deeper than this are not descended into, with a warning.
    public var maxDepth = 20
    /// Parts after this many are ignored, with a warning.
    public var maxParts = 1000

    /// The limits ``MIMEParser/parse(_:limits:)`` uses unless told otherwise.
    public static let `default` = MIMELimits()

    /// - Parameters:
    ///   - maxHeaderLineBytes: Longest header line kept, in bytes.
    ///   - maxDepth: Deepest multipart nesting descended into.
    ///   - maxParts: Most MIME parts read.
    public init(maxHeaderLineBytes: Int = 64 * 1024, maxDepth: Int = 20, maxParts: Int = 1000) {
        self.maxHeaderLineBytes = maxHeaderLineBytes
        self.maxDepth = maxDepth
        self.maxParts = maxParts
    }
}

/// Everything the email channel needs from one received message, already decoded: addresses,
/// threading ids, the body as text (and HTML), attachments, and the list of repairs made.
///
/// Produced by ``MIMEParser/parse(_:limits:)``, which never fails: a damaged message yields
/// what could be read plus ``warnings``.
public struct ParsedMail: Sendable {
    /// The top-level header fields, in order.
    public var headers: [MIMEHeader] = []
    /// The decoded `Subject`, trimmed; nil when absent.
    public var subject: String?
    /// The `From` mailboxes (usually one).
    public var from: [MailAddress] = []
    /// The `To` mailboxes.
    public var to: [MailAddress] = []
    /// The `Cc` mailboxes.
    public var cc: [MailAddress] = []
    /// The `Reply-To` mailboxes.
    public var replyTo: [MailAddress] = []
    /// The `Message-ID`, without angle brackets.
    public var messageID: String?
    /// The ids in `In-Reply-To`, without angle brackets.
    public var inReplyTo: [String] = []
    /// The ids in `References`, oldest first, without angle brackets.
    public var references: [String] = []
    /// The `Date`, nil when absent or unparsable.
    public var date: Date?
    /// The body as plain text with `\n` line breaks: the first text/plain body part, else the
    /// HTML body converted with ``HTMLText``, else "".
    public var text = ""
    /// The first text/html body part, if any.
    public var html: String?
    /// Every leaf part that is not the body, in message order.
    public var attachments: [MIMEAttachment] = []
    /// The top-level `type/subtype`, lowercased (`text/plain` when absent or invalid).
    public var contentType = "text/plain"
    /// The `report-type` parameter of the first `multipart/report` (delivery and read reports).
    public var reportType: String?
    /// One line per best-effort repair the parser made.
    public var warnings: [String] = []

    /// An empty message; the parser fills it in.
    public init() {}

    /// The first header named `name` (case-insensitive), unfolded and RFC 2047-decoded.
    public func header(_ name: String) -> String? {
        let wanted = name.asciiLowercased
        return headers.first { $0.name.asciiLowercased == wanted }.map { EncodedWord.decode($0.rawValue) }
    }

    /// Every header named `name` (case-insensitive), in order, unfolded and RFC 2047-decoded.
    public func headers(named name: String) -> [String] {
        let wanted = name.asciiLowercased
        return headers.filter { $0.name.asciiLowercased == wanted }.map { EncodedWord.decode($0.rawValue) }
    }
}
