import Foundation

/// Parses a received email (RFC 5322 + MIME) into a ``ParsedMail``.
///
/// It never throws and never traps: damaged input gives the best reading it allows, and each
/// repair is listed in ``ParsedMail/warnings``. CR LF and bare LF line ends are both accepted.
/// Work is linear in the input: the body stays one byte array that stages index into, header
/// lines are capped by ``MIMELimits``, and nesting and part counts are bounded.
///
/// ```swift
/// let mail = MIMEParser.parse(Array(rawMessage))
/// let reply = ReplyText.newText(mail.text)
/// ```
public enum MIMEParser {
    /// Parses `bytes`, a whole message.
    /// - Parameters:
    ///   - bytes: The message as received.
    ///   - limits: Bounds on header line length, nesting and part count.
    public static func parse(_ bytes: [UInt8], limits: MIMELimits = .default) -> ParsedMail {
        var mail = ParsedMail()
        var walker = PartWalker(bytes: bytes, limits: limits)
        if bytes.isEmpty { walker.warnings.add("empty message") }
        let block = HeaderReader.read(bytes, range: 0..<bytes.count, limits: limits, warnings: &walker.warnings)
        if block.headers.isEmpty && !bytes.isEmpty { walker.warnings.add("message has no header fields") }
        let top = walker.entityInfo(block.headers, path: "", defaultType: "text/plain")
        mail.contentType = top.contentType
        let fallback = top.parameters["charset"]
        mail.headers = block.headers.map {
            MIMEHeader(name: $0.name, rawValue: PartWalker.headerText($0.value, fallbackCharset: fallback))
        }
        walker.walk(top, body: block.bodyStart..<bytes.count, depth: 0, inAlternative: false)

        func raw(_ name: String) -> [String] {
            mail.headers.filter { $0.name.asciiLowercased == name }.map(\.rawValue)
        }
        func addresses(_ name: String) -> [MailAddress] {
            raw(name).flatMap { MailAddress.parseList($0, warnings: &walker.warnings) }
        }
        mail.subject = raw("subject").first.map {
            EncodedWord.decode($0, warnings: &walker.warnings).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        mail.from = addresses("from")
        mail.to = addresses("to")
        mail.cc = addresses("cc")
        mail.replyTo = addresses("reply-to")
        mail.messageID = raw("message-id").first.flatMap { messageIDs(in: $0).first }
        mail.inReplyTo = raw("in-reply-to").flatMap { messageIDs(in: $0) }
        mail.references = raw("references").flatMap { messageIDs(in: $0) }
        mail.date = raw("date").first.flatMap(MailDate.parse)

        mail.html = walker.html
        if let plain = walker.plain, !(plain.allSatisfy(\.isWhitespace) && walker.html != nil) {
            mail.text = plain
        } else if let html = walker.html {
            mail.text = HTMLText.plainText(fromHTML: html)
        }
        mail.attachments = walker.attachments
        mail.reportType = walker.reportType
        mail.warnings = walker.warnings.list
        return mail
    }

    /// The ids in a `Message-ID`, `In-Reply-To` or `References` value, without angle brackets.
    /// Text outside brackets (comments, stray words) is ignored; a value without brackets is
    /// read as whitespace-separated ids.
    static func messageIDs(in value: String) -> [String] {
        var ids: [String] = []
        var rest = Substring(value)
        while let open = rest.firstIndex(of: "<") {
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: ">") else { break }
            let id = after[..<close].trimmingCharacters(in: .whitespacesAndNewlines)
            if !id.isEmpty { ids.append(id) }
            rest = after[after.index(after: close)...]
        }
        if ids.isEmpty {
            ids = value.split(whereSeparator: { $0.isWhitespace || $0 == "," }).map(String.init)
        }
        return ids
    }
}
