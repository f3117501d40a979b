#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Byte constants and linear-time scanning helpers shared by the parser's stages.
///
/// The parser works on the message's byte array and index ranges into it, so that a 25 MB
/// attachment is never copied into a `String` and every stage stays linear in the input.
enum Byte {
    static let tab: UInt8 = 0x09
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let quote: UInt8 = 0x22
    static let dash: UInt8 = 0x2D
    static let colon: UInt8 = 0x3A
    static let semicolon: UInt8 = 0x3B
    static let equals: UInt8 = 0x3D
    static let question: UInt8 = 0x3F
    static let backslash: UInt8 = 0x5C
    static let underscore: UInt8 = 0x5F

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == space || byte == tab || byte == lf || byte == cr
    }

    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
    }

    /// The value of an ASCII hex digit, or nil.
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x41...0x46: return byte - 0x41 + 10
        case 0x61...0x66: return byte - 0x61 + 10
        default: return nil
        }
    }
}

extension Array where Element == UInt8 {
    /// The index of the first `byte` in `range`, found with `memchr`; nil if absent.
    func firstIndex(of byte: UInt8, in range: Range<Int>) -> Int? {
        guard !range.isEmpty else { return nil }
        return withUnsafeBufferPointer { buffer -> Int? in
            guard let base = buffer.baseAddress else { return nil }
            guard let found = memchr(base + range.lowerBound, Int32(byte), range.count) else { return nil }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// Whether the bytes at `index` equal `prefix` (false when they run past `end`).
    func hasBytes(_ prefix: [UInt8], at index: Int, end: Int) -> Bool {
        guard index >= 0, end - index >= prefix.count else { return false }
        for offset in 0..<prefix.count where self[index + offset] != prefix[offset] {
            return false
        }
        return true
    }

    /// `range` without leading and trailing spaces, tabs, CRs and LFs.
    func trimmedRange(_ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, Byte.isWhitespace(self[lower]) { lower += 1 }
        while upper > lower, Byte.isWhitespace(self[upper - 1]) { upper -= 1 }
        return lower..<upper
    }
}

/// One line of a byte range: its content (without the line break) and where the next line starts.
struct Line {
    var start: Int
    /// End of the content, before any CR LF or LF.
    var contentEnd: Int
    /// Start of the following line (equal to the range's end on the last line).
    var next: Int

    /// The line starting at `start`, which must be inside `bytes[..<end]`.
    init(in bytes: [UInt8], at start: Int, end: Int) {
        self.start = start
        if let lf = bytes.firstIndex(of: Byte.lf, in: start..<end) {
            next = lf + 1
            contentEnd = lf > start && bytes[lf - 1] == Byte.cr ? lf - 1 : lf
        } else {
            next = end
            contentEnd = end
        }
    }
}

extension String {
    /// This string's characters with ASCII letters lowercased; cheaper than `lowercased()` and
    /// never changes the length, so it is safe for header names and tokens.
    var asciiLowercased: String {
        String(decoding: utf8.map(Byte.lowercased), as: UTF8.self)
    }

    /// Whether every character is 7-bit ASCII.
    var isASCII: Bool { utf8.allSatisfy { $0 < 0x80 } }
}
