/// Converts an HTML body to readable plain text, for mails that carry no text/plain part and
/// for showing HTML replies where only text fits (timelines, SMS-like channels).
///
/// Not a browser: it drops `script`, `style`, `head` and comments, turns block elements and
/// `<br>` into line breaks, decodes named (common) and numeric character references, and
/// collapses whitespace as HTML rendering does (except inside `<pre>`). One linear pass.
public enum HTMLText {
    /// The text of `fromHTML`, with paragraphs separated by a blank line and lines trimmed.
    public static func plainText(fromHTML html: String) -> String {
        var converter = Converter(Array(html.utf8))
        converter.run()
        return converter.result()
    }

    private static let paragraphElements: Set<String> = [
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "dl", "table", "pre", "hr",
    ]
    private static let lineElements: Set<String> = [
        "div", "li", "dt", "dd", "tr", "section", "article", "header", "footer", "nav", "aside", "address",
        "form", "fieldset", "center", "main", "figure", "figcaption", "details", "summary", "caption", "body",
        "html", "tbody", "thead", "tfoot", "option", "legend",
    ]
    private static let skippedElements: Set<String> = ["script", "style", "head", "title", "template", "noscript"]

    private struct Converter {
        let input: [UInt8]
        var index = 0
        var output: [UInt8] = []
        var pendingSpace = false
        var preDepth = 0

        init(_ input: [UInt8]) {
            self.input = input
            output.reserveCapacity(input.count / 2)
        }

        mutating func run() {
            while index < input.count {
                let byte = input[index]
                if byte == 0x3C, index + 1 < input.count, isTagStart(input[index + 1]) {
                    handleTag()
                } else if byte == 0x26 {
                    handleEntity()
                } else if Byte.isWhitespace(byte) || byte == 0x0C {
                    if preDepth > 0 {
                        if byte != Byte.cr { output.append(byte) }
                    } else {
                        pendingSpace = true
                    }
                    index += 1
                } else {
                    emit(byte)
                    index += 1
                }
            }
        }

        private func isTagStart(_ byte: UInt8) -> Bool {
            byte == 0x21 || byte == 0x2F || byte == 0x3F || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
        }

        private mutating func emit(_ byte: UInt8) {
            if pendingSpace, let last = output.last, last != Byte.lf {
                output.append(Byte.space)
            }
            pendingSpace = false
            output.append(byte)
        }

        /// Ends the current line and makes sure `count` line breaks separate what follows.
        private mutating func breakLines(_ count: Int) {
            pendingSpace = false
            guard !output.isEmpty else { return }
            var trailing = 0
            while trailing < count, trailing < output.count, output[output.count - 1 - trailing] == Byte.lf {
                trailing += 1
            }
            for _ in trailing..<max(trailing, count) { output.append(Byte.lf) }
        }

        private mutating func handleTag() {
            let next = input[index + 1]
            if next == 0x21 {
                if input.hasBytes(Array("<!--".utf8), at: index, end: input.count) {
                    index = find(Array("-->".utf8), from: index + 4).map { $0 + 3 } ?? input.count
                } else {
                    index = skipTag(from: index + 2)
                }
                return
            }
            if next == 0x3F {
                index = skipTag(from: index + 2)
                return
            }
            let closing = next == 0x2F
            var nameEnd = index + (closing ? 2 : 1)
            let nameStart = nameEnd
            while nameEnd < input.count, isNameByte(input[nameEnd]) { nameEnd += 1 }
            let name = String(decoding: input[nameStart..<nameEnd].map(Byte.lowercased), as: UTF8.self)
            index = skipTag(from: nameEnd)
            if !closing && skippedElements.contains(name) {
                skipContent(of: name)
                return
            }
            switch name {
            case "br":
                pendingSpace = false
                output.append(Byte.lf)
            case "pre":
                preDepth = max(0, preDepth + (closing ? -1 : 1))
                breakLines(2)
            case "td", "th":
                pendingSpace = true
            default:
                if paragraphElements.contains(name) {
                    breakLines(2)
                } else if lineElements.contains(name) {
                    breakLines(1)
                }
            }
        }

        private func isNameByte(_ byte: UInt8) -> Bool {
            (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == Byte.dash
                || byte == Byte.colon
        }

        /// Index after the `>` that closes the tag, skipping quoted attribute values.
        private func skipTag(from start: Int) -> Int {
            var position = start
            var quote: UInt8?
            while position < input.count {
                let byte = input[position]
                if let open = quote {
                    if byte == open { quote = nil }
                } else if byte == Byte.quote || byte == 0x27 {
                    quote = byte
                } else if byte == 0x3E {
                    return position + 1
                }
                position += 1
            }
            return input.count
        }

        /// Skips to after `</name>`; for `head`, also stops at `<body` (many mails never close head).
        private mutating func skipContent(of name: String) {
            let closing = Array("</\(name)".utf8)
            let body = Array("<body".utf8)
            var position = index
            while let open = input.firstIndex(of: 0x3C, in: position..<input.count) {
                if matchesLowercased(closing, at: open) {
                    index = skipTag(from: open + closing.count)
                    return
                }
                if name == "head" && matchesLowercased(body, at: open) {
                    index = open
                    return
                }
                position = open + 1
            }
            index = input.count
        }

        private func matchesLowercased(_ pattern: [UInt8], at start: Int) -> Bool {
            guard input.count - start >= pattern.count else { return false }
            for offset in 0..<pattern.count where Byte.lowercased(input[start + offset]) != pattern[offset] {
                return false
            }
            return true
        }

        private func find(_ pattern: [UInt8], from start: Int) -> Int? {
            var position = start
            while let candidate = input.firstIndex(of: pattern[0], in: position..<input.count) {
                if input.hasBytes(pattern, at: candidate, end: input.count) { return candidate }
                position = candidate + 1
            }
            return nil
        }

        private mutating func handleEntity() {
            var end = index + 1
            while end < input.count, end - index < 34, isNameByte(input[end]) || input[end] == 0x23 { end += 1 }
            let hasSemicolon = end < input.count && input[end] == Byte.semicolon
            let name = String(decoding: input[(index + 1)..<end], as: UTF8.self)
            if let scalar = HTMLEntities.decode(name, terminated: hasSemicolon) {
                if scalar == "\u{A0}" {
                    emit(Byte.space)
                } else {
                    for byte in String(scalar).utf8 { emit(byte) }
                }
                index = end + (hasSemicolon ? 1 : 0)
            } else {
                emit(0x26)
                index += 1
            }
        }

        /// The output with each line's edge spaces trimmed, at most one blank line in a row, and no
        /// blank lines at either end. Works on bytes: grapheme-level `String` splitting is slow on
        /// megabytes of text.
        func result() -> String {
            var text: [UInt8] = []
            text.reserveCapacity(output.count)
            var blankRun = 0
            var position = 0
            while position <= output.count {
                var lineEnd = position
                while lineEnd < output.count, output[lineEnd] != Byte.lf { lineEnd += 1 }
                var start = position
                var end = lineEnd
                while start < end, output[start] == Byte.space || output[start] == Byte.tab { start += 1 }
                while end > start, output[end - 1] == Byte.space || output[end - 1] == Byte.tab { end -= 1 }
                if start == end {
                    blankRun += 1
                } else {
                    if !text.isEmpty { text.append(contentsOf: repeatElement(Byte.lf, count: blankRun > 0 ? 2 : 1)) }
                    text.append(contentsOf: output[start..<end])
                    blankRun = 0
                }
                position = lineEnd + 1
            }
            return String(decoding: text, as: UTF8.self)
        }
    }
}
