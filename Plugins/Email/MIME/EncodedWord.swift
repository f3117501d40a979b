import Foundation

/// RFC 2047 encoded words (`=?charset?B?...?=`), the way non-ASCII text travels in headers.
///
/// Decoding is lenient in the ways real mail requires: words may touch surrounding text,
/// whitespace between two encoded words is dropped (RFC 2047 §6.2), adjacent words in the same
/// charset are joined before decoding so a character split across two words survives, and an
/// unknown charset falls back as ``MIMEParser`` documents. Encoding produces UTF-8 words of at
/// most 75 characters, choosing B or Q by which is shorter.
public enum EncodedWord {
    /// Decodes every encoded word in a header value; text that is not an encoded word is kept.
    public static func decode(_ s: String) -> String {
        var warnings = Warnings()
        return decode(s, warnings: &warnings)
    }

    static func decode(_ s: String, warnings: inout Warnings) -> String {
        let bytes = Array(s.utf8)
        guard bytes.count >= 8, s.contains("=?") else { return s }
        var output = ""
        var literalStart = 0
        // Pending run of encoded words in one charset, and the whitespace seen after it.
        var pendingCharset: String?
        var pendingBytes: [UInt8] = []

        func flushPending() {
            guard let charset = pendingCharset else { return }
            let (text, warning) = Charsets.decode(pendingBytes[...], label: charset)
            if let warning { warnings.add("encoded word: \(warning)") }
            output += text
            pendingCharset = nil
            pendingBytes = []
        }

        // nextClose[i]: where the first "?=" at or after i starts, so finding a word's end is
        // O(1) and decoding stays linear however many stray "=?" the value holds.
        var nextClose = [Int](repeating: bytes.count, count: bytes.count + 1)
        if bytes.count >= 2 {
            for position in stride(from: bytes.count - 2, through: 0, by: -1) {
                let closes = bytes[position] == Byte.question && bytes[position + 1] == Byte.equals
                nextClose[position] = closes ? position : nextClose[position + 1]
            }
        }
        var index = 0
        while index + 1 < bytes.count {
            guard bytes[index] == Byte.equals, bytes[index + 1] == Byte.question,
                let word = parseWord(bytes, at: index, nextClose: nextClose)
            else {
                index += 1
                continue
            }
            let between = bytes[literalStart..<index]
            let onlySpace = between.allSatisfy { Byte.isWhitespace($0) }
            if pendingCharset != nil, onlySpace {
                // Whitespace between encoded words is not displayed.
            } else {
                flushPending()
                output += String(decoding: between, as: UTF8.self)
            }
            if let charset = pendingCharset, charset != word.charset { flushPending() }
            pendingCharset = word.charset
            pendingBytes.append(contentsOf: word.bytes)
            index = word.end
            literalStart = index
        }
        flushPending()
        output += String(decoding: bytes[literalStart...], as: UTF8.self)
        return output
    }

    private struct Word {
        var charset: String
        var bytes: [UInt8]
        var end: Int
    }

    /// Parses `=?charset[*lang]?B|Q?text?=` at `start`.
    private static func parseWord(_ bytes: [UInt8], at start: Int, nextClose: [Int]) -> Word? {
        var index = start + 2
        let charsetStart = index
        while index < bytes.count, bytes[index] != Byte.question {
            if Byte.isWhitespace(bytes[index]) || index - charsetStart > 64 { return nil }
            index += 1
        }
        guard index + 2 < bytes.count, bytes[index + 2] == Byte.question, index > charsetStart else { return nil }
        let encoding = Byte.lowercased(bytes[index + 1])
        guard encoding == 0x62 || encoding == 0x71 else { return nil }
        let textStart = index + 3
        let end = nextClose[textStart]
        // Real words are at most 75 characters; allow generous slack, but not the whole header.
        guard end + 1 < bytes.count, end - textStart <= 4096 else { return nil }
        let charsetEnd = bytes[charsetStart..<index].firstIndex(of: 0x2A) ?? index  // drop "*language"
        let charset = String(decoding: bytes[charsetStart..<charsetEnd], as: UTF8.self)
        let text = bytes[textStart..<end]
        let decoded = encoding == 0x62 ? TransferEncoding.decodeBase64(text).bytes : decodeQ(text)
        return Word(charset: charset, bytes: decoded, end: end + 2)
    }

    private static func decodeQ(_ text: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(text.count)
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            if byte == Byte.underscore {
                output.append(Byte.space)
            } else if byte == Byte.equals, index + 2 < text.endIndex,
                let high = Byte.hexValue(text[index + 1]), let low = Byte.hexValue(text[index + 2])
            {
                output.append(high << 4 | low)
                index += 2
            } else {
                output.append(byte)
            }
            index += 1
        }
        return output
    }

    /// Returns `s` unchanged when it is printable ASCII, else as space-separated UTF-8 encoded
    /// words of at most 75 characters each, so a header folded at those spaces keeps every line
    /// within 76 characters. Characters are never split across words.
    public static func encodeIfNeeded(_ s: String) -> String {
        let needsEncoding = s.unicodeScalars.contains { $0.value > 126 || ($0.value < 32 && $0 != "\t") }
        guard needsEncoding || s.contains("=?") else { return s }
        return encode(s)
    }

    /// `s` as UTF-8 encoded words (see ``encodeIfNeeded(_:)``), even when it is ASCII.
    /// - Parameter firstWordLimit: The most characters the first word may take (the rest of the
    ///   header's first line), at most 75.
    static func encode(_ s: String, firstWordLimit: Int = 75) -> String {
        let prefix = "=?utf-8?", suffix = "?="
        let overhead = prefix.count + suffix.count + 2
        var budget = max(min(firstWordLimit, 75) - overhead, 12)
        let qLength = s.utf8.reduce(0) { $0 + (isQLiteral($1) || $1 == Byte.space ? 1 : 3) }
        let useQ = qLength <= (s.utf8.count + 2) / 3 * 4
        var words: [String] = []
        var chunk: [UInt8] = []
        var chunkLength = 0
        func flush() {
            guard !chunk.isEmpty else { return }
            let body =
                useQ
                ? encodeQ(chunk)
                : String(decoding: TransferEncoding.encodeBase64(chunk, lineLength: .max), as: UTF8.self)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            words.append(prefix + (useQ ? "Q?" : "B?") + body + suffix)
            budget = 75 - overhead
            chunk = []
            chunkLength = 0
        }
        for scalar in s.unicodeScalars {
            let utf8 = Array(String(scalar).utf8)
            let length: Int
            if useQ {
                length = utf8.reduce(0) { $0 + (isQLiteral($1) || $1 == Byte.space ? 1 : 3) }
            } else {
                length = (chunk.count + utf8.count + 2) / 3 * 4 - chunkLength
            }
            if chunkLength + length > budget { flush() }
            chunk.append(contentsOf: utf8)
            chunkLength = useQ ? chunkLength + length : (chunk.count + 2) / 3 * 4
        }
        flush()
        return words.joined(separator: " ")
    }

    /// Characters that Q encoding may leave as they are in any header context (RFC 2047 §5 (3)).
    private static func isQLiteral(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x21, 0x2A, 0x2B, 0x2D, 0x2F: return true
        default: return false
        }
    }

    private static func encodeQ(_ bytes: [UInt8]) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var output: [UInt8] = []
        for byte in bytes {
            if isQLiteral(byte) {
                output.append(byte)
            } else if byte == Byte.space {
                output.append(Byte.underscore)
            } else {
                output.append(contentsOf: [Byte.equals, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
