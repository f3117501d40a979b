import Foundation

/// Walks the MIME tree of one message and sorts its leaves into body text, HTML and
/// attachments, the way mail clients and Python's `email.message.get_body` do:
///
/// - a part with `Content-Disposition: attachment` is always an attachment;
/// - the first other `text/plain` is the text body, the first other `text/html` the HTML body;
/// - within `multipart/alternative`, further plain/HTML versions are dropped (they repeat the body);
/// - every other leaf (images, files, `message/rfc822`, delivery reports) is an attachment.
struct PartWalker {
    /// What a part's headers say about it.
    struct EntityInfo {
        var headers: [RawHeader]
        var path: String
        var contentType: String
        var parameters: HeaderParameters
        var disposition: HeaderParameters
        var transferEncoding: String
        var contentID: String?
    }

    let bytes: [UInt8]
    let limits: MIMELimits
    var warnings = Warnings()
    var plain: String?
    var html: String?
    var attachments: [MIMEAttachment] = []
    var reportType: String?
    private var partCount = 0

    init(bytes: [UInt8], limits: MIMELimits) {
        self.bytes = bytes
        self.limits = limits
    }

    /// Header bytes as text: UTF-8 when valid (RFC 6532), else the part's charset, else windows-1252.
    static func headerText(_ value: [UInt8], fallbackCharset: String?) -> String {
        if let text = Charsets.validUTF8(value[...]) { return text }
        return Charsets.decode(value[...], label: fallbackCharset ?? "windows-1252").text
    }

    func partName(_ path: String) -> String { path.isEmpty ? "message body" : "part \(path)" }

    mutating func entityInfo(_ headers: [RawHeader], path: String, defaultType: String) -> EntityInfo {
        func first(_ name: String) -> [UInt8]? {
            headers.first { $0.name.asciiLowercased == name }?.value
        }
        let typeBytes = first("content-type")
        let typeText = typeBytes.map { String(decoding: $0, as: UTF8.self) } ?? ""
        var parameters = HeaderParameters(parsing: typeText, warnings: &warnings)
        let fallback = parameters["charset"]
        var contentType = parameters.value
        let pieces = contentType.split(separator: "/", omittingEmptySubsequences: false)
        if pieces.count != 2 || contentType.utf8.count > 255
            || pieces.contains(where: { $0.isEmpty || $0.contains(where: \.isWhitespace) })
        {
            if !typeText.trimmingCharacters(in: .whitespaces).isEmpty {
                warnings.add(
                    "invalid Content-Type \"\(typeText.prefix(80))\" in \(partName(path)), read as \(defaultType)")
            }
            contentType = defaultType
            if typeText.isEmpty { parameters = HeaderParameters(value: defaultType) }
        }
        let dispositionText = first("content-disposition").map { Self.headerText($0, fallbackCharset: fallback) }
        let disposition = HeaderParameters(parsing: dispositionText ?? "", warnings: &warnings)
        let encoding = first("content-transfer-encoding").map {
            String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespaces).asciiLowercased
        }
        let contentID = first("content-id").map {
            String(decoding: $0, as: UTF8.self).trimmingCharacters(in: CharacterSet(charactersIn: "<> \t"))
        }
        return EntityInfo(
            headers: headers, path: path, contentType: contentType, parameters: parameters, disposition: disposition,
            transferEncoding: encoding ?? "", contentID: contentID?.isEmpty == false ? contentID : nil)
    }

    mutating func walk(_ info: EntityInfo, body: Range<Int>, depth: Int, inAlternative: Bool) {
        partCount += 1
        if partCount == limits.maxParts + 1 {
            warnings.add("more than \(limits.maxParts) MIME parts; the rest were ignored")
        }
        guard partCount <= limits.maxParts else { return }
        if info.contentType.hasPrefix("multipart/") {
            walkMultipart(info, body: body, depth: depth, inAlternative: inAlternative)
        } else if info.contentType == "message/rfc822" || info.contentType == "message/global" {
            let data = decodeBody(info, body: body)
            attachments.append(
                MIMEAttachment(
                    filename: filename(info) ?? Self.emlName(data, limits: limits), contentType: info.contentType,
                    contentID: info.contentID, isInline: info.disposition.value == "inline", data: data))
        } else {
            walkLeaf(info, body: body, inAlternative: inAlternative)
        }
    }

    private mutating func walkMultipart(_ info: EntityInfo, body: Range<Int>, depth: Int, inAlternative: Bool) {
        let name = partName(info.path)
        guard depth < limits.maxDepth else {
            warnings.add("multipart nested deeper than \(limits.maxDepth) levels at \(name); its contents were skipped")
            return
        }
        var asText = info
        asText.contentType = "text/plain"
        guard let boundary = info.parameters["boundary"], !boundary.isEmpty, boundary.utf8.count <= 998 else {
            warnings.add("\(info.contentType) without a usable boundary in \(name), read as text/plain")
            return walkLeaf(asText, body: body, inAlternative: inAlternative)
        }
        var split = Multipart.split(bytes, body: body, boundary: boundary, maxParts: limits.maxParts)
        if !split.foundBoundary, let guessed = Multipart.guessBoundary(bytes, body: body) {
            warnings.add("boundary \"\(boundary)\" not found in \(name); using \"\(guessed)\" found in the body")
            split = Multipart.split(bytes, body: body, boundary: guessed, maxParts: limits.maxParts)
        }
        guard split.foundBoundary else {
            warnings.add("no boundary \"\(boundary)\" found in \(info.contentType) \(name), read as text/plain")
            return walkLeaf(asText, body: body, inAlternative: inAlternative)
        }
        if !split.closed {
            warnings.add("truncated multipart (no closing boundary for \"\(boundary)\") in \(name)")
        }
        let subtype = info.contentType.dropFirst("multipart/".count)
        if subtype == "report", reportType == nil {
            reportType = info.parameters["report-type"]?.asciiLowercased
        }
        let childDefault = subtype == "digest" ? "message/rfc822" : "text/plain"
        for (index, range) in split.parts.enumerated() {
            let childPath = info.path.isEmpty ? "\(index + 1)" : "\(info.path).\(index + 1)"
            let block = HeaderReader.read(bytes, range: range, limits: limits, warnings: &warnings)
            let child = entityInfo(block.headers, path: childPath, defaultType: childDefault)
            walk(
                child, body: block.bodyStart..<range.upperBound, depth: depth + 1,
                inAlternative: inAlternative || subtype == "alternative")
            if partCount > limits.maxParts { return }
        }
    }

    private mutating func walkLeaf(_ info: EntityInfo, body: Range<Int>, inAlternative: Bool) {
        let isAttachment = info.disposition.value == "attachment"
        let type = info.contentType
        if !isAttachment && (type == "text/plain" || type == "text/html") {
            if type == "text/plain" && plain == nil {
                plain = decodeText(info, body: body)
                return
            }
            if type == "text/html" && html == nil {
                html = decodeText(info, body: body)
                return
            }
            if inAlternative { return }
        }
        let isInline = info.disposition.value == "inline" || (info.disposition.value.isEmpty && info.contentID != nil)
        attachments.append(
            MIMEAttachment(
                filename: filename(info), contentType: type, contentID: info.contentID, isInline: isInline,
                data: decodeBody(info, body: body)))
    }

    private func filename(_ info: EntityInfo) -> String? {
        let name = info.disposition["filename"] ?? info.parameters["name"]
        return name?.isEmpty == false ? name : nil
    }

    /// A file name for a `message/rfc822` part without one: its subject, made safe, plus `.eml`.
    static func emlName(_ data: [UInt8], limits: MIMELimits) -> String {
        var ignored = Warnings()
        let block = HeaderReader.read(data, range: 0..<min(data.count, 256 * 1024), limits: limits, warnings: &ignored)
        let subject = block.headers.first { $0.name.asciiLowercased == "subject" }.map {
            EncodedWord.decode(headerText($0.value, fallbackCharset: nil))
        }
        let unsafe = CharacterSet(charactersIn: "/\\:*?\"<>|").union(.controlCharacters)
        let safe = String(String.UnicodeScalarView((subject ?? "").unicodeScalars.filter { !unsafe.contains($0) }))
            .trimmingCharacters(in: .whitespaces)
        return (safe.isEmpty ? "message" : String(safe.prefix(100))) + ".eml"
    }

    /// The part's bytes with its Content-Transfer-Encoding undone.
    mutating func decodeBody(_ info: EntityInfo, body: Range<Int>) -> [UInt8] {
        let slice = bytes[body]
        let name = partName(info.path)
        switch info.transferEncoding {
        case "base64":
            let decoded = TransferEncoding.decodeBase64(slice)
            if decoded.garbage > 0 {
                warnings.add("invalid base64 in \(name) (\(decoded.garbage) bytes skipped)")
            }
            if decoded.truncated { warnings.add("truncated base64 in \(name) (last character dropped)") }
            return decoded.bytes
        case "quoted-printable":
            let decoded = TransferEncoding.decodeQuotedPrintable(slice)
            if decoded.garbage > 0 {
                warnings.add("invalid quoted-printable in \(name) (\(decoded.garbage) stray '=' kept)")
            }
            return decoded.bytes
        case "", "7bit", "8bit", "binary":
            return Array(slice)
        default:
            warnings.add("unknown Content-Transfer-Encoding \(info.transferEncoding) in \(name), body left as is")
            return Array(slice)
        }
    }

    private mutating func decodeText(_ info: EntityInfo, body: Range<Int>) -> String {
        let data = decodeBody(info, body: body)
        let (decoded, warning) = Charsets.decode(data[...], label: info.parameters["charset"])
        if let warning { warnings.add("\(warning) in \(partName(info.path))") }
        var text = TextBody.normalizeNewlines(decoded)
        if info.parameters["format"]?.asciiLowercased == "flowed" {
            text = TextBody.unflow(text, delSp: info.parameters["delsp"]?.asciiLowercased == "yes")
        }
        return text
    }
}
