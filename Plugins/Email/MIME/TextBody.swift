/// Turns a decoded text part into the text the parser returns: `\n` line breaks, and
/// `format=flowed` (RFC 3676) paragraphs rejoined.
enum TextBody {
    /// CR LF and lone CR become LF.
    static func normalizeNewlines(_ text: String) -> String {
        guard text.utf8.contains(Byte.cr) else { return text }
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        var previousCR = false
        for byte in text.utf8 {
            if byte == Byte.cr {
                output.append(Byte.lf)
                previousCR = true
                continue
            }
            if byte == Byte.lf && previousCR {
                previousCR = false
                continue
            }
            previousCR = false
            output.append(byte)
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes RFC 3676 flowed text: a line ending in a space continues on the next line of the
    /// same quote depth; space-stuffing is removed; with `delSp` the joining space is dropped.
    static func unflow(_ text: String, delSp: Bool) -> String {
        var output: [Substring] = []
        var paragraph = ""
        var paragraphDepth = -1
        func flush() {
            if paragraphDepth >= 0 {
                output.append(
                    Substring(
                        String(repeating: ">", count: paragraphDepth) + (paragraphDepth > 0 ? " " : "") + paragraph))
            }
            paragraph = ""
            paragraphDepth = -1
        }
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = rawLine
            var depth = 0
            while line.first == ">" {
                depth += 1
                line = line.dropFirst()
            }
            if line.first == " " { line = line.dropFirst() }
            if paragraphDepth >= 0, depth != paragraphDepth { flush() }
            let isSignature = line == "-- "
            let flowed = !isSignature && line.hasSuffix(" ")
            if flowed, delSp { line = line.dropLast() }
            paragraph += line
            paragraphDepth = depth
            if !flowed { flush() }
        }
        flush()
        return output.joined(separator: "\n")
    }
}
