import Foundation

/// Writes header fields for ``MailBuilder``: folded at 78 characters on whitespace (RFC 5322
/// §2.2.3), CR LF line ends, RFC 2047 for non-ASCII text and display names, RFC 2231 for
/// non-ASCII or long parameter values, and no CR or LF smuggled in from the values.
struct HeaderWriter {
    private(set) var bytes: [UInt8] = []

    static let foldWidth = 78

    /// A header name: 1 to 76 printable ASCII characters other than `:`.
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 76 && name.utf8.allSatisfy { $0 > 32 && $0 < 127 && $0 != Byte.colon }
    }

    /// `value` with CR, LF and other control characters turned into spaces.
    static func clean(_ value: String) -> String {
        String(
            String.UnicodeScalarView(
                value.unicodeScalars.map { $0.value < 32 || $0.value == 127 ? " " : $0 }))
    }

    /// Writes `name: value`, folding at spaces. The value must already be ASCII.
    mutating func add(_ name: String, _ value: String) {
        var line = name + ":"
        var lines: [String] = []
        var lineHasWord = false
        let words = value.split(separator: " ", omittingEmptySubsequences: false)
        for (index, word) in words.enumerated() where index > 0 || !word.isEmpty {
            let tooLong = line.utf8.count + 1 + word.utf8.count > Self.foldWidth
            // Fold before this word when it does not fit; on the first line only if a word is
            // already there or the word fits a continuation line.
            if tooLong, !word.isEmpty, lineHasWord || (lines.isEmpty && word.utf8.count < Self.foldWidth) {
                lines.append(line)
                line = ""
            }
            line += " " + word
            lineHasWord = lineHasWord || !word.isEmpty
        }
        lines.append(line)
        bytes += Array(lines.joined(separator: "\r\n").utf8) + [Byte.cr, Byte.lf]
    }

    /// Writes free text (`Subject`, extra fields): RFC 2047 when it is not ASCII or has a word
    /// too long to fold within 998 characters.
    mutating func addUnstructured(_ name: String, _ value: String) {
        let cleaned = Self.clean(value)
        let longest = cleaned.split(separator: " ").map(\.utf8.count).max() ?? 0
        if longest > 900 || cleaned.contains("=?") || !cleaned.isASCII {
            add(name, EncodedWord.encode(cleaned, firstWordLimit: Self.foldWidth - name.utf8.count - 2))
        } else {
            add(name, cleaned)
        }
    }

    /// Writes an address list: `"Name" <addr>, =?utf-8?Q?...?= <addr>`.
    mutating func addAddresses(_ name: String, _ addresses: [MailAddress]) {
        add(name, addresses.map(Self.mailbox).joined(separator: ", "))
    }

    static func mailbox(_ address: MailAddress) -> String {
        let spec = clean(address.address).filter { !$0.isWhitespace && $0 != "<" && $0 != ">" }
        guard let name = address.name.map(clean), !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            return "<\(spec)>"
        }
        return "\(phrase(name)) <\(spec)>"
    }

    /// A display name as an atom sequence, a quoted string, or encoded words.
    static func phrase(_ name: String) -> String {
        if !name.isASCII || name.contains("=?") { return EncodedWord.encode(name) }
        let atext = Set("!#$%&'*+-/=?^_`{|}~ ".utf8)
        let plain = name.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || atext.contains($0)
        }
        if plain { return name }
        let escaped = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\"\(escaped)\""
    }

    /// Writes `name: value; param="v"; ...`. ASCII values are quoted; non-ASCII or long ones
    /// use RFC 2231 sections (`filename*0*=utf-8''...`), and a `name` parameter also gets an
    /// RFC 2047 form, which older clients read.
    mutating func addParameters(_ name: String, _ value: String, _ parameters: [(String, String)]) {
        var pieces = [value]
        for (key, raw) in parameters {
            let text = Self.clean(raw)
            if text.isASCII && text.utf8.count <= 60 && !text.contains("=?") {
                pieces.append("\(key)=\"\(Self.quoted(text))\"")
            } else if key == "name" {
                pieces.append("\(key)=\"\(EncodedWord.encode(text))\"")
            } else {
                pieces += Self.rfc2231(key, text)
            }
        }
        add(name, pieces.joined(separator: "; "))
    }

    private static func quoted(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }

    /// `key*0*=utf-8''%E2%82%AC...; key*1*=...`, each section short enough to fold onto its own line.
    static func rfc2231(_ key: String, _ text: String) -> [String] {
        let hex = Array("0123456789ABCDEF".utf8)
        var sections: [String] = []
        var current: [UInt8] = Array("utf-8''".utf8)
        for scalar in text.unicodeScalars {
            var encoded: [UInt8] = []
            for byte in String(scalar).utf8 {
                let safe =
                    (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
                    || Array("!#$&+-.^_`|~".utf8).contains(byte)
                encoded += safe ? [byte] : [0x25, hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            }
            if current.count + encoded.count > 60 {
                sections.append(String(decoding: current, as: UTF8.self))
                current = []
            }
            current += encoded
        }
        sections.append(String(decoding: current, as: UTF8.self))
        if sections.count == 1 { return ["\(key)*=\(sections[0])"] }
        return sections.enumerated().map { "\(key)*\($0.offset)*=\($0.element)" }
    }

    /// A message's bytes with CR LF line ends, or nil if a line exceeds 998 bytes or holds NUL.
    static func messageLines(_ data: [UInt8]) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(data.count + data.count / 40)
        var lineLength = 0
        var index = 0
        while index < data.count {
            let byte = data[index]
            index += 1
            if byte == 0 { return nil }
            if byte == Byte.cr || byte == Byte.lf {
                if byte == Byte.cr, index < data.count, data[index] == Byte.lf { index += 1 }
                output += [Byte.cr, Byte.lf]
                lineLength = 0
                continue
            }
            output.append(byte)
            lineLength += 1
            if lineLength > 998 { return nil }
        }
        if output.last != Byte.lf { output += [Byte.cr, Byte.lf] }
        return output
    }

    /// Whether `needle` occurs in `haystack`.
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        var position = 0
        while let candidate = haystack.firstIndex(of: first, in: position..<haystack.count) {
            if haystack.hasBytes(needle, at: candidate, end: haystack.count) { return true }
            position = candidate + 1
        }
        return false
    }
}
