import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Decodes text in a MIME charset to a `String`, never failing.
///
/// Mail declares charsets loosely, so labels are first mapped to the superset that mail clients
/// and browsers actually use (the WHATWG Encoding Standard's choice): `iso-8859-1` and
/// `us-ascii` decode as windows-1252, `gb2312` and `gbk` as GB18030, `ks_c_5601-1987` as
/// EUC-KR. Foundation decodes what it supports on this platform; where it does not (EUC-JP on
/// swift-corelibs-foundation) or where the bytes are invalid, the C library's `iconv` decodes
/// with U+FFFD for each bad byte. An unknown charset decodes as UTF-8 when the bytes are valid
/// UTF-8, else as windows-1252, and says so in a warning.
enum Charsets {
    /// A decoder for one canonical charset.
    struct Codec {
        /// The name used in warnings.
        var name: String
        /// Foundation's encoding, where swift-corelibs-foundation decodes it correctly.
        var foundation: String.Encoding?
        /// The name `iconv_open` knows, for the fallback.
        var iconv: String?
        /// Whether pure-ASCII input decodes as itself (false for ISO-2022, UTF-7, UTF-16).
        var asciiCompatible = true
    }

    /// Foundation encodings that are not predefined constants are CFStringEncoding values with
    /// the high bit set (what `CFStringConvertEncodingToNSStringEncoding` returns).
    private static func cf(_ value: UInt) -> String.Encoding {
        String.Encoding(rawValue: 0x8000_0000 | value)
    }

    static let utf8 = Codec(name: "utf-8", foundation: .utf8, iconv: "UTF-8")
    static let windows1252 = Codec(name: "windows-1252", foundation: .windowsCP1252, iconv: "WINDOWS-1252")

    /// Maps a charset label (any case, quotes and spaces trimmed) to its codec; nil if unknown.
    static func codec(for label: String) -> Codec? {
        let name = label.trimmingCharacters(in: CharacterSet(charactersIn: "\"' \t")).asciiLowercased
        if let codec = aliases[name] { return codec }
        for prefix in ["iso-8859-", "iso8859-", "iso_8859-", "iso8859_", "iso_8859_", "iso-8859_"]
        where name.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count).prefix { $0.isNumber }
            if let part = Int(rest), let codec = isoCodec(part) { return codec }
        }
        for prefix in ["windows-", "cp", "x-cp", "win-", "windows"] where name.hasPrefix(prefix) {
            if let page = Int(name.dropFirst(prefix.count)), (1250...1258).contains(page) {
                return windowsCodec(page)
            }
        }
        if name.hasPrefix("latin"), let number = Int(name.dropFirst(5)) {
            let parts = [1: 1, 2: 2, 3: 3, 4: 4, 5: 9, 6: 10, 7: 13, 8: 14, 9: 15, 10: 16]
            if let part = parts[number] { return isoCodec(part) }
        }
        return nil
    }

    private static func isoCodec(_ part: Int) -> Codec? {
        guard (1...16).contains(part), part != 12 else { return nil }
        if part == 1 { return windows1252 }
        let foundation: String.Encoding = part == 2 ? .isoLatin2 : cf(0x0200 + UInt(part))
        return Codec(name: "iso-8859-\(part)", foundation: foundation, iconv: "ISO-8859-\(part)")
    }

    private static func windowsCodec(_ page: Int) -> Codec {
        let predefined: [Int: String.Encoding] = [
            1250: .windowsCP1250, 1251: .windowsCP1251, 1252: .windowsCP1252, 1253: .windowsCP1253,
            1254: .windowsCP1254,
        ]
        let foundation = predefined[page] ?? cf(0x0500 + UInt(page - 1250))
        return Codec(name: "windows-\(page)", foundation: foundation, iconv: "WINDOWS-\(page)")
    }

    private static let aliases: [String: Codec] = {
        var table: [String: Codec] = [:]
        func add(_ codec: Codec, _ labels: [String]) { for label in labels { table[label] = codec } }
        add(utf8, ["utf-8", "utf8", "unicode-1-1-utf-8", "x-unicode20utf8", "unicode-2-0-utf-8"])
        add(
            windows1252,
            [
                "us-ascii", "ascii", "ansi_x3.4-1968", "iso646-us", "us", "iso-ir-6", "cp367", "ibm367",
                "iso-8859-1", "iso8859-1", "iso_8859-1", "l1", "cp819", "ibm819", "iso-ir-100", "latin1",
                "x-user-defined", "default", "unknown-8bit", "x-unknown",
            ])
        add(Codec(name: "koi8-r", foundation: cf(0x0A02), iconv: "KOI8-R"), ["koi8-r", "koi8r", "koi8", "cskoi8r"])
        add(Codec(name: "koi8-u", foundation: cf(0x0A08), iconv: "KOI8-U"), ["koi8-u", "koi8u", "koi8-ru"])
        add(
            Codec(name: "gb18030", foundation: cf(0x0632), iconv: "GB18030"),
            [
                "gb18030", "gb2312", "gbk", "x-gbk", "gb_2312-80", "gb_2312", "chinese", "csgb2312", "euc-cn",
                "cp936", "ms936", "windows-936", "iso-ir-58", "csiso58gb231280", "hz-gb-2312",
            ])
        add(
            Codec(name: "big5", foundation: cf(0x0A03), iconv: "BIG5-HKSCS"),
            ["big5", "big5-hkscs", "x-x-big5", "cn-big5", "csbig5", "cp950"])
        add(
            Codec(name: "shift_jis", foundation: .shiftJIS, iconv: "CP932"),
            [
                "shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "csshiftjis", "windows-31j", "cp932",
                "ms932", "x-ms-cp932",
            ])
        add(
            Codec(name: "euc-jp", foundation: nil, iconv: "EUC-JP-MS"),
            ["euc-jp", "x-euc-jp", "eucjp", "cseucpkdfmtjapanese"])
        add(
            Codec(name: "iso-2022-jp", foundation: .iso2022JP, iconv: "ISO-2022-JP-3", asciiCompatible: false),
            ["iso-2022-jp", "csiso2022jp", "iso-2022-jp-1", "iso-2022-jp-2", "iso-2022-jp-3"])
        add(
            Codec(name: "euc-kr", foundation: cf(0x0940), iconv: "CP949"),
            [
                "euc-kr", "ks_c_5601-1987", "ks_c_5601-1989", "ks_c_5601", "ksc5601", "ksc_5601", "cp949",
                "windows-949", "korean", "csksc56011987", "iso-ir-149", "cseuckr",
            ])
        add(
            Codec(name: "iso-2022-kr", foundation: nil, iconv: "ISO-2022-KR", asciiCompatible: false),
            ["iso-2022-kr", "csiso2022kr"])
        add(Codec(name: "utf-16", foundation: .utf16, iconv: "UTF-16", asciiCompatible: false), ["utf-16", "ucs-2"])
        add(
            Codec(name: "utf-16le", foundation: .utf16LittleEndian, iconv: "UTF-16LE", asciiCompatible: false),
            ["utf-16le"])
        add(
            Codec(name: "utf-16be", foundation: .utf16BigEndian, iconv: "UTF-16BE", asciiCompatible: false),
            ["utf-16be"])
        add(
            Codec(name: "utf-7", foundation: nil, iconv: "UTF-7", asciiCompatible: false),
            ["utf-7", "unicode-1-1-utf-7"])
        add(Codec(name: "tis-620", foundation: cf(0x020B), iconv: "TIS-620"), ["tis-620", "windows-874", "cp874"])
        add(Codec(name: "macintosh", foundation: .macOSRoman, iconv: "MACINTOSH"), ["macintosh", "mac", "x-mac-roman"])
        add(Codec(name: "ibm866", foundation: cf(0x0413), iconv: "CP866"), ["ibm866", "cp866", "866"])
        return table
    }()

    /// Decodes `bytes` declared as `label` (nil or empty: US-ASCII). Returns the text and, when
    /// the result is a repair (unknown charset, invalid bytes), a warning.
    static func decode(_ bytes: ArraySlice<UInt8>, label: String?) -> (text: String, warning: String?) {
        let declared = label.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        let known = declared.isEmpty ? windows1252 : codec(for: declared)
        let codec = known ?? Codec(name: declared, foundation: nil, iconv: declared)
        if codec.asciiCompatible, bytes.allSatisfy({ $0 < 0x80 }) {
            return (String(decoding: bytes, as: UTF8.self), nil)
        }
        if codec.name == "utf-8" {
            if let text = validUTF8(bytes) { return (text, nil) }
            return (String(decoding: bytes, as: UTF8.self), "invalid UTF-8, replaced with U+FFFD")
        }
        // Text declared in a legacy charset is often really UTF-8 (a mislabelled template). Valid
        // UTF-8 is improbable in legacy multi-byte text beyond a few characters, so take it then.
        if known != nil, codec.asciiCompatible, codec.name == "windows-1252" || nonASCIICount(bytes) >= 8,
            let text = validUTF8(bytes)
        {
            let name = declared.isEmpty ? "us-ascii" : declared
            return (text, "declared charset \(name) but the bytes are UTF-8; decoded as utf-8")
        }
        if let encoding = codec.foundation, let text = String(bytes: bytes, encoding: encoding) {
            return (text, nil)
        }
        if let name = codec.iconv, let (text, bad) = iconvDecode(bytes, from: name) {
            return (text, bad > 0 ? "\(bad) invalid byte(s) for charset \(codec.name), replaced with U+FFFD" : nil)
        }
        if known == nil, let text = validUTF8(bytes) {
            return (text, "unknown charset \(declared), decoded as utf-8")
        }
        let text =
            String(bytes: bytes, encoding: .windowsCP1252)
            ?? String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        return (text, "unknown charset \(declared), decoded as latin-1")
    }

    private static func nonASCIICount(_ bytes: ArraySlice<UInt8>) -> Int {
        var count = 0
        for byte in bytes where byte >= 0x80 {
            count += 1
            if count >= 8 { break }
        }
        return count
    }

    static func validUTF8(_ bytes: ArraySlice<UInt8>) -> String? {
        String(validating: bytes, as: UTF8.self)
    }

    /// Converts with `iconv`, replacing each undecodable byte with U+FFFD. Nil if `iconv` does
    /// not know the charset. Also returns how many bytes were replaced.
    static func iconvDecode(_ bytes: ArraySlice<UInt8>, from charset: String) -> (String, Int)? {
        #if canImport(Glibc) || canImport(Musl) || canImport(Darwin)
            let descriptor = iconv_open("UTF-8", charset)
            guard descriptor != iconv_t(bitPattern: -1) else { return nil }
            defer { iconv_close(descriptor) }
            var input = Array(bytes)
            var output: [UInt8] = []
            output.reserveCapacity(input.count * 2)
            var chunk = [UInt8](repeating: 0, count: 64 * 1024)
            var replaced = 0
            var position = 0
            input.withUnsafeMutableBufferPointer { inBuffer in
                chunk.withUnsafeMutableBufferPointer { outBuffer in
                    guard let inBase = inBuffer.baseAddress, let outBase = outBuffer.baseAddress else { return }
                    while position < inBuffer.count {
                        var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBase + position)
                            .assumingMemoryBound(to: CChar.self)
                        var inLeft = inBuffer.count - position
                        var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBase)
                            .assumingMemoryBound(to: CChar.self)
                        var outLeft = outBuffer.count
                        let result = iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft)
                        let failure = errno
                        output.append(contentsOf: UnsafeBufferPointer(start: outBase, count: outBuffer.count - outLeft))
                        position = inBuffer.count - inLeft
                        if result != -1 { break }
                        if failure == E2BIG { continue }
                        // EILSEQ or EINVAL: replace one byte and go on.
                        output.append(contentsOf: [0xEF, 0xBF, 0xBD])
                        replaced += 1
                        position += 1
                        _ = iconv(descriptor, nil, nil, nil, nil)
                    }
                }
            }
            return (String(decoding: output, as: UTF8.self), replaced)
        #else
            return nil
        #endif
    }
}
