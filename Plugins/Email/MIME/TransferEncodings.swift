/// Content-Transfer-Encoding decoders and encoders (RFC 2045 §6).
///
/// Decoders are tolerant: they skip what they cannot read, count it, and let the caller turn the
/// count into a warning. Each runs in one pass over unsafe buffers, so a 25 MB attachment
/// decodes in linear time even in a debug build.
enum TransferEncoding {
    /// The result of a tolerant decode: the bytes, and how many input bytes were not understood.
    struct Decoded {
        var bytes: [UInt8]
        var garbage = 0
        /// Whether the input ended inside a base64 quantum (one dangling character).
        var truncated = false
    }

    private static let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// 0-63 for alphabet characters, 64 for `=`, 65 for whitespace, 255 for anything else.
    private static let base64Table: [UInt8] = {
        var table = [UInt8](repeating: 255, count: 256)
        for (index, byte) in base64Alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        table[Int(Byte.equals)] = 64
        for byte in [Byte.space, Byte.tab, Byte.cr, Byte.lf, 0x0B, 0x0C] { table[Int(byte)] = 65 }
        return table
    }()

    /// Decodes base64, skipping whitespace and counting other garbage. Padding ends a quantum;
    /// decoding resumes after it (some senders concatenate encoded chunks).
    static func decodeBase64(_ input: ArraySlice<UInt8>) -> Decoded {
        var result = Decoded(bytes: [])
        result.bytes.reserveCapacity(input.count / 4 * 3 + 3)
        let table = base64Table
        table.withUnsafeBufferPointer { table in
            input.withUnsafeBufferPointer { buffer in
                var quantum: UInt32 = 0
                var count = 0
                var garbage = 0
                for byte in buffer {
                    let value = table[Int(byte)]
                    if value < 64 {
                        quantum = quantum << 6 | UInt32(value)
                        count += 1
                        if count == 4 {
                            result.bytes.append(UInt8(truncatingIfNeeded: quantum >> 16))
                            result.bytes.append(UInt8(truncatingIfNeeded: quantum >> 8))
                            result.bytes.append(UInt8(truncatingIfNeeded: quantum))
                            quantum = 0
                            count = 0
                        }
                    } else if value == 64 {
                        flush(&result.bytes, quantum: quantum, count: count)
                        quantum = 0
                        count = 0
                    } else if value == 255 {
                        garbage += 1
                    }
                }
                flush(&result.bytes, quantum: quantum, count: count)
                result.truncated = count == 1
                result.garbage = garbage
            }
        }
        return result
    }

    private static func flush(_ bytes: inout [UInt8], quantum: UInt32, count: Int) {
        switch count {
        case 2:
            bytes.append(UInt8(truncatingIfNeeded: quantum >> 4))
        case 3:
            bytes.append(UInt8(truncatingIfNeeded: quantum >> 10))
            bytes.append(UInt8(truncatingIfNeeded: quantum >> 2))
        default:
            break
        }
    }

    /// Decodes quoted-printable: `=XX` escapes, `=` at the end of a line as a soft break,
    /// trailing whitespace on lines dropped, hard line breaks as CR LF. A malformed `=` is kept
    /// literally and counted.
    static func decodeQuotedPrintable(_ input: ArraySlice<UInt8>) -> Decoded {
        var result = Decoded(bytes: [])
        result.bytes.reserveCapacity(input.count)
        input.withUnsafeBufferPointer { buffer in
            var index = 0
            let end = buffer.count
            var garbage = 0
            while index < end {
                // One line: [index, lineEnd) without its break; `next` after the break.
                var lineEnd = index
                while lineEnd < end, buffer[lineEnd] != Byte.lf { lineEnd += 1 }
                let hasBreak = lineEnd < end
                let next = hasBreak ? lineEnd + 1 : end
                var contentEnd = lineEnd
                while contentEnd > index,
                    buffer[contentEnd - 1] == Byte.space || buffer[contentEnd - 1] == Byte.tab
                        || buffer[contentEnd - 1] == Byte.cr
                {
                    contentEnd -= 1
                }
                var soft = false
                var position = index
                while position < contentEnd {
                    let byte = buffer[position]
                    if byte != Byte.equals {
                        result.bytes.append(byte)
                        position += 1
                        continue
                    }
                    if position + 1 == contentEnd {
                        soft = true
                        position += 1
                    } else if position + 2 < contentEnd, let high = Byte.hexValue(buffer[position + 1]),
                        let low = Byte.hexValue(buffer[position + 2])
                    {
                        result.bytes.append(high << 4 | low)
                        position += 3
                    } else {
                        result.bytes.append(byte)
                        garbage += 1
                        position += 1
                    }
                }
                if hasBreak, !soft {
                    result.bytes.append(Byte.cr)
                    result.bytes.append(Byte.lf)
                }
                index = next
            }
            result.garbage = garbage
        }
        return result
    }

    /// Base64 with CR LF after every `lineLength` characters (76 by RFC 2045) and at the end.
    static func encodeBase64(_ input: [UInt8], lineLength: Int = 76) -> [UInt8] {
        guard !input.isEmpty else { return [] }
        let perLine = max(4, lineLength / 4 * 4)
        let encodedCount = (input.count + 2) / 3 * 4
        let lineCount = encodedCount / perLine + (encodedCount % perLine == 0 ? 0 : 1)
        var output = [UInt8](repeating: 0, count: encodedCount + lineCount * 2)
        let alphabet = base64Alphabet
        output.withUnsafeMutableBufferPointer { out in
            input.withUnsafeBufferPointer { bytes in
                alphabet.withUnsafeBufferPointer { alphabet in
                    var written = 0
                    var column = 0
                    func put(_ byte: UInt8) {
                        out[written] = byte
                        written += 1
                        column += 1
                        if column == perLine {
                            out[written] = Byte.cr
                            out[written + 1] = Byte.lf
                            written += 2
                            column = 0
                        }
                    }
                    var index = 0
                    while index < bytes.count {
                        let rest = bytes.count - index
                        var value = UInt32(bytes[index]) << 16
                        if rest > 1 { value |= UInt32(bytes[index + 1]) << 8 }
                        if rest > 2 { value |= UInt32(bytes[index + 2]) }
                        put(alphabet[Int(value >> 18 & 63)])
                        put(alphabet[Int(value >> 12 & 63)])
                        put(rest > 1 ? alphabet[Int(value >> 6 & 63)] : Byte.equals)
                        put(rest > 2 ? alphabet[Int(value & 63)] : Byte.equals)
                        index += 3
                    }
                    if column > 0 {
                        out[written] = Byte.cr
                        out[written + 1] = Byte.lf
                    }
                }
            }
        }
        return output
    }

    /// Quoted-printable for text: input line breaks (LF or CR LF) become CR LF, output lines are
    /// at most 76 characters with `=` soft breaks, trailing spaces and a leading `From ` or `.`
    /// are escaped so no transport can alter them.
    static func encodeQuotedPrintable(_ input: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(input.count + input.count / 8)
        let hex = Array("0123456789ABCDEF".utf8)
        var lineStart = 0
        while lineStart <= input.count {
            var lineEnd = lineStart
            while lineEnd < input.count, input[lineEnd] != Byte.lf { lineEnd += 1 }
            var contentEnd = lineEnd
            if contentEnd > lineStart, input[contentEnd - 1] == Byte.cr { contentEnd -= 1 }
            var column = 0
            for position in lineStart..<contentEnd {
                let byte = input[position]
                let isLast = position == contentEnd - 1
                let atStart = position == lineStart
                let literal =
                    (byte >= 33 && byte <= 126 && byte != Byte.equals && !(atStart && byte == 0x2E)
                        && !(atStart && byte == 0x46
                            && input.hasBytes(Array("From ".utf8), at: position, end: contentEnd)))
                    || ((byte == Byte.space || byte == Byte.tab) && !isLast)
                let width = literal ? 1 : 3
                // Leave room for a trailing "=" soft break unless this is the line's last byte.
                if column + width > (isLast ? 76 : 75) {
                    output.append(contentsOf: [Byte.equals, Byte.cr, Byte.lf])
                    column = 0
                }
                if literal {
                    output.append(byte)
                } else {
                    output.append(contentsOf: [Byte.equals, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
                }
                column += width
            }
            guard lineEnd < input.count else { break }
            output.append(contentsOf: [Byte.cr, Byte.lf])
            lineStart = lineEnd + 1
        }
        return output
    }
}
