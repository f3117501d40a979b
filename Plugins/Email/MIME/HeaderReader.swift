/// A header as read from the wire: its name, and its value unfolded but still in raw bytes
/// (header bytes are not always ASCII or UTF-8; they are turned into text once the entity's
/// charset is known).
struct RawHeader {
    var name: String
    var value: [UInt8]
}

/// Reads a header block (RFC 5322 §2.2): unfolds continuation lines, caps line length, and
/// finds where the body starts, tolerating what real mail gets wrong.
enum HeaderReader {
    struct Block {
        var headers: [RawHeader]
        /// Index of the first body byte (after the blank line), or the end.
        var bodyStart: Int
    }

    /// Reads the header block at the start of `range`.
    ///
    /// Like Python's `email` feed parser, a line that is neither a header nor a continuation
    /// ends the header block and starts the body (with a warning), and an mbox `From ` line
    /// at the very start is skipped. Header lines longer than `limits.maxHeaderLineBytes` are
    /// truncated with a warning; the rest of the line is skipped without being copied.
    static func read(
        _ bytes: [UInt8], range: Range<Int>, limits: MIMELimits, warnings: inout Warnings
    ) -> Block {
        var headers: [RawHeader] = []
        var current: RawHeader?
        var position = range.lowerBound
        let end = range.upperBound
        let maxLine = max(limits.maxHeaderLineBytes, 1)
        let fromLine = Array("From ".utf8)

        func capped(_ start: Int, _ contentEnd: Int, name: String) -> ArraySlice<UInt8> {
            if contentEnd - start > maxLine {
                warnings.add("header line longer than \(maxLine) bytes truncated (\(name))")
                return bytes[start..<start + maxLine]
            }
            return bytes[start..<contentEnd]
        }

        while position < end {
            let line = Line(in: bytes, at: position, end: end)
            if line.contentEnd == line.start {
                if let header = current { headers.append(header) }
                return Block(headers: finish(headers), bodyStart: line.next)
            }
            let first = bytes[line.start]
            if first == Byte.space || first == Byte.tab {
                if current != nil {
                    let piece = capped(line.start, line.contentEnd, name: current?.name ?? "")
                    current?.value.append(contentsOf: piece)
                } else {
                    warnings.add("header block starts with a continuation line; ignored")
                }
                position = line.next
                continue
            }
            if position == range.lowerBound, bytes.hasBytes(fromLine, at: position, end: line.contentEnd) {
                position = line.next
                continue
            }
            let searchEnd = min(line.contentEnd, line.start + maxLine)
            if let colon = bytes.firstIndex(of: Byte.colon, in: line.start..<searchEnd),
                let name = headerName(bytes[line.start..<colon])
            {
                if let header = current { headers.append(header) }
                current = RawHeader(name: name, value: Array(capped(colon + 1, line.contentEnd, name: name)))
                position = line.next
                continue
            }
            warnings.add("missing blank line between header and body; body starts at a non-header line")
            if let header = current { headers.append(header) }
            return Block(headers: finish(headers), bodyStart: line.start)
        }
        if let header = current { headers.append(header) }
        return Block(headers: finish(headers), bodyStart: end)
    }

    /// A header name: printable ASCII except the colon, trailing whitespace allowed (and dropped).
    private static func headerName(_ slice: ArraySlice<UInt8>) -> String? {
        var end = slice.endIndex
        while end > slice.startIndex, slice[end - 1] == Byte.space || slice[end - 1] == Byte.tab { end -= 1 }
        let name = slice[slice.startIndex..<end]
        guard !name.isEmpty, name.allSatisfy({ $0 > 32 && $0 < 127 }) else { return nil }
        return String(decoding: name, as: UTF8.self)
    }

    /// Trims the whitespace that unfolding leaves at either end of each value.
    private static func finish(_ headers: [RawHeader]) -> [RawHeader] {
        headers.map { header in
            var header = header
            let trimmed = header.value.trimmedRange(0..<header.value.count)
            if trimmed.count != header.value.count { header.value = Array(header.value[trimmed]) }
            return header
        }
    }
}

/// The warnings of one parse, capped so hostile input cannot make the list huge.
struct Warnings {
    static let cap = 100
    private(set) var list: [String] = []

    mutating func add(_ warning: String) {
        if list.count < Self.cap {
            list.append(warning)
        } else if list.count == Self.cap {
            list.append("more than \(Self.cap) warnings; the rest were dropped")
        }
    }
}
