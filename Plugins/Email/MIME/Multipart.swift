/// Splits a multipart body at its boundary lines (RFC 2046 §5.1.1).
///
/// A boundary line is `--boundary` or `--boundary--` at the start of a line, followed only by
/// spaces or tabs (as Python's `email` requires, so that an inner boundary that merely starts
/// with the outer one is not mistaken for it). The line break before a boundary line belongs
/// to the boundary. One pass, `memchr` from line to line.
enum Multipart {
    struct Split {
        /// Each body part's bytes (headers and body), in order.
        var parts: [Range<Int>] = []
        /// Whether the closing `--boundary--` was seen.
        var closed = false
        /// Whether any boundary line was seen at all.
        var foundBoundary = false
    }

    static func split(_ bytes: [UInt8], body: Range<Int>, boundary: String, maxParts: Int) -> Split {
        var result = Split()
        let delimiter = [Byte.dash, Byte.dash] + Array(boundary.utf8)
        var partStart: Int?
        var position = body.lowerBound
        while position < body.upperBound {
            let line = Line(in: bytes, at: position, end: body.upperBound)
            if bytes[line.start] == Byte.dash, let close = boundaryLine(bytes, line, delimiter) {
                result.foundBoundary = true
                if let start = partStart {
                    result.parts.append(start..<max(start, lineBreakStart(bytes, before: line.start, floor: start)))
                    if result.parts.count >= maxParts { return result }
                }
                if close {
                    result.closed = true
                    return result
                }
                partStart = line.next
            }
            position = line.next
        }
        if let start = partStart, start < body.upperBound || result.parts.isEmpty {
            result.parts.append(start..<body.upperBound)
        }
        return result
    }

    /// Nil if `line` is not a boundary line, else whether it is the closing one.
    private static func boundaryLine(_ bytes: [UInt8], _ line: Line, _ delimiter: [UInt8]) -> Bool? {
        guard bytes.hasBytes(delimiter, at: line.start, end: line.contentEnd) else { return nil }
        var index = line.start + delimiter.count
        var close = false
        if index + 1 < line.contentEnd + 1, bytes.hasBytes([Byte.dash, Byte.dash], at: index, end: line.contentEnd) {
            close = true
            index += 2
        }
        while index < line.contentEnd {
            guard bytes[index] == Byte.space || bytes[index] == Byte.tab else { return nil }
            index += 1
        }
        return close
    }

    /// Where the line break that ends just before `lineStart` begins (CR LF or LF).
    private static func lineBreakStart(_ bytes: [UInt8], before lineStart: Int, floor: Int) -> Int {
        var end = lineStart
        if end > floor, bytes[end - 1] == Byte.lf { end -= 1 }
        if end > floor, bytes[end - 1] == Byte.cr { end -= 1 }
        return end
    }

    /// The boundary a multipart body really uses, when its declared one is nowhere: the first
    /// `--token` line that is followed by a `Content-` header line.
    static func guessBoundary(_ bytes: [UInt8], body: Range<Int>) -> String? {
        var position = body.lowerBound
        let content = Array("content-".utf8)
        while position < body.upperBound {
            let line = Line(in: bytes, at: position, end: body.upperBound)
            let length = line.contentEnd - line.start
            if length > 2, length <= 200, bytes[line.start] == Byte.dash, bytes[line.start + 1] == Byte.dash,
                line.next < body.upperBound,
                !bytes[line.start..<line.contentEnd].contains(where: { $0 <= Byte.space || $0 >= 0x7F })
            {
                let next = Line(in: bytes, at: line.next, end: body.upperBound)
                let header = bytes[next.start..<min(next.contentEnd, next.start + content.count)].map(Byte.lowercased)
                if header == content {
                    var token = bytes[(line.start + 2)..<line.contentEnd]
                    if token.count > 2, token.suffix(2) == [Byte.dash, Byte.dash] { token = token.dropLast(2) }
                    return String(decoding: token, as: UTF8.self)
                }
            }
            position = line.next
        }
        return nil
    }
}
