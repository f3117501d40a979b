import Foundation

/// Builds an outbound message (an agent's reply) as RFC 5322/MIME bytes ready for SMTP.
///
/// The output always uses CR LF, declares `MIME-Version: 1.0`, sends text as UTF-8
/// quoted-printable (lines of at most 76 characters), folds headers at 78 characters, encodes
/// non-ASCII subjects and display names with RFC 2047 (never the address itself), and keeps
/// every line within 998 characters. The structure grows with the content:
///
/// ```
/// text only                 text/plain
/// + html                    multipart/alternative (text, html)
/// + inline parts with ids   multipart/alternative (text, multipart/related (html, images))
/// + attachments             multipart/mixed (the above, attachments…)
/// ```
///
/// Boundaries are derived from the message id, so building the same value twice gives the
/// same bytes (a retried send is byte-identical).
public struct MailBuilder: Sendable {
    /// The sender (`From`).
    public var from: MailAddress
    /// The recipients (`To`).
    public var to: [MailAddress]
    /// The subject, any characters; RFC 2047-encoded when not ASCII.
    public var subject: String
    /// The message id, without angle brackets.
    public var messageID: String
    /// The `Date` header's value, written in UTC.
    public var date: Date
    /// Copy recipients (`Cc`).
    public var cc: [MailAddress] = []
    /// Where replies should go (`Reply-To`), e.g. a thread-specific address.
    public var replyTo: [MailAddress] = []
    /// The id being answered, without angle brackets.
    public var inReplyTo: String?
    /// The thread's ids, oldest first, without angle brackets.
    public var references: [String] = []
    /// More header fields, such as `("Auto-Submitted", "auto-replied")`. Fields the builder
    /// writes itself (`MIME-Version`, `Content-*`) are ignored here; invalid names are dropped.
    public var extraHeaders: [(String, String)] = []
    /// The plain-text body.
    public var text = ""
    /// An HTML alternative of the body.
    public var html: String?
    /// Files and inline images; inline ones with a content id go beside the HTML.
    public var attachments: [MIMEAttachment] = []

    /// - Parameters:
    ///   - from: The sender.
    ///   - to: The recipients.
    ///   - subject: The subject, any characters.
    ///   - messageID: The new message's id, without angle brackets.
    ///   - date: The `Date` header's value (written in UTC).
    public init(from: MailAddress, to: [MailAddress], subject: String, messageID: String, date: Date) {
        self.from = from
        self.to = to
        self.subject = subject
        self.messageID = messageID
        self.date = date
    }

    /// The message, CR LF throughout.
    public func build() -> [UInt8] {
        var header = HeaderWriter()
        header.add("Date", MailDate.format(date))
        header.addAddresses("From", [from])
        if !to.isEmpty { header.addAddresses("To", to) }
        if !cc.isEmpty { header.addAddresses("Cc", cc) }
        if !replyTo.isEmpty { header.addAddresses("Reply-To", replyTo) }
        header.addUnstructured("Subject", subject)
        header.add("Message-ID", "<\(HeaderWriter.clean(messageID))>")
        if let inReplyTo { header.add("In-Reply-To", "<\(HeaderWriter.clean(inReplyTo))>") }
        if !references.isEmpty {
            header.add("References", references.map { "<\(HeaderWriter.clean($0))>" }.joined(separator: " "))
        }
        for (name, value) in extraHeaders {
            let lower = name.asciiLowercased
            guard HeaderWriter.isValidName(name), !lower.hasPrefix("content-"), lower != "mime-version",
                !["date", "from", "to", "cc", "reply-to", "subject", "message-id", "in-reply-to", "references"]
                    .contains(lower)
            else { continue }
            header.addUnstructured(name, value)
        }
        header.add("MIME-Version", "1.0")
        var seed = Self.seed(messageID)
        let body = bodyPart(seed: &seed)
        return header.bytes + body.headers + [Byte.cr, Byte.lf] + body.content
    }

    /// One MIME entity being assembled: its Content-* header lines and its body.
    struct Entity {
        var headers: [UInt8]
        var content: [UInt8]
    }

    private func bodyPart(seed: inout UInt64) -> Entity {
        let textPart = Self.textEntity(text, subtype: "plain")
        let related = attachments.filter { $0.isInline && $0.contentID != nil && html != nil }
        let mixed = attachments.filter { !($0.isInline && $0.contentID != nil && html != nil) }
        var body = textPart
        if let html {
            var htmlPart = Self.textEntity(html, subtype: "html")
            if !related.isEmpty {
                htmlPart = Self.multipart("related", [htmlPart] + related.map(Self.attachmentEntity), seed: &seed)
            }
            body = Self.multipart("alternative", [textPart, htmlPart], seed: &seed)
        }
        if !mixed.isEmpty {
            body = Self.multipart("mixed", [body] + mixed.map(Self.attachmentEntity), seed: &seed)
        }
        return body
    }

    static func textEntity(_ text: String, subtype: String) -> Entity {
        var header = HeaderWriter()
        header.add("Content-Type", "text/\(subtype); charset=utf-8")
        header.add("Content-Transfer-Encoding", "quoted-printable")
        return Entity(headers: header.bytes, content: TransferEncoding.encodeQuotedPrintable(Array(text.utf8)))
    }

    static func attachmentEntity(_ attachment: MIMEAttachment) -> Entity {
        var header = HeaderWriter()
        let type = attachment.contentType.contains("/") ? attachment.contentType : "application/octet-stream"
        let name = attachment.filename.map { HeaderWriter.clean($0) }
        header.addParameters("Content-Type", HeaderWriter.clean(type), name.map { [("name", $0)] } ?? [])
        header.addParameters(
            "Content-Disposition", attachment.isInline ? "inline" : "attachment", name.map { [("filename", $0)] } ?? [])
        if let id = attachment.contentID { header.add("Content-ID", "<\(HeaderWriter.clean(id))>") }
        let isMessage = type.hasPrefix("message/")
        if isMessage, let lines = HeaderWriter.messageLines(attachment.data) {
            // RFC 2046 §5.2.1: message/rfc822 may only be 7bit or 8bit.
            header.add("Content-Transfer-Encoding", lines.allSatisfy { $0 < 0x80 } ? "7bit" : "8bit")
            return Entity(headers: header.bytes, content: lines)
        }
        header.add("Content-Transfer-Encoding", "base64")
        return Entity(headers: header.bytes, content: TransferEncoding.encodeBase64(attachment.data))
    }

    static func multipart(_ subtype: String, _ parts: [Entity], seed: inout UInt64) -> Entity {
        var boundary: String
        repeat {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            boundary = "=_sb_" + String(seed, radix: 36)
        } while parts.contains(where: { HeaderWriter.contains($0.content, Array(("--" + boundary).utf8)) })
        var header = HeaderWriter()
        header.add("Content-Type", "multipart/\(subtype); boundary=\"\(boundary)\"")
        var content: [UInt8] = []
        let crlf = [Byte.cr, Byte.lf]
        // The CR LF before each boundary line belongs to the boundary, so a part's own content
        // (and its final line break, if any) comes back unchanged.
        for part in parts {
            content += Array("--\(boundary)".utf8) + crlf + part.headers + crlf + part.content + crlf
        }
        content += Array("--\(boundary)--".utf8) + crlf
        return Entity(headers: header.bytes, content: content)
    }

    /// FNV-1a of the message id: a stable seed for boundaries.
    static func seed(_ id: String) -> UInt64 {
        id.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }
}
