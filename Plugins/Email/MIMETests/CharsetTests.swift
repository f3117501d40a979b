import Foundation
import Testing

@testable import EmailMIME

/// Which charsets decode on this platform's Foundation (or, where it cannot, through iconv):
/// each sample is a short word in that charset.
@Suite struct CharsetTests {
    static let samples: [(charset: String, bytes: [UInt8], text: String)] = [
        ("utf-8", [0xE2, 0x82, 0xAC, 0x31], "€1"),
        ("us-ascii", Array("plain".utf8), "plain"),
        ("iso-8859-1", [0x63, 0x61, 0x66, 0xE9], "café"),
        ("latin1", [0xE9], "é"),
        ("iso-8859-2", [0xB1, 0xE6], "ąć"),
        ("iso-8859-5", [0xBF, 0xE0, 0xD8], "При"),
        ("iso-8859-7", [0xE1, 0xE2, 0xE3], "αβγ"),
        ("iso-8859-9", [0xFD, 0xF0], "ığ"),
        ("iso-8859-15", [0xA4], "€"),
        ("iso-8859-6", [0xC7], "ا"),
        ("iso-8859-8", [0xE0], "א"),
        ("iso-8859-16", [0xAA], "Ș"),
        ("windows-1250", [0x9A, 0xE8], "šč"),
        ("windows-1251", [0xCF, 0xF0, 0xE8, 0xE2, 0xE5, 0xF2], "Привет"),
        ("windows-1252", [0x93, 0x68, 0x69, 0x94, 0x80], "“hi”€"),
        ("windows-1253", [0xE1], "α"),
        ("windows-1254", [0xFE], "ş"),
        ("windows-1255", [0xE0], "א"),
        ("windows-1256", [0xC7], "ا"),
        ("windows-1257", [0xE0], "ą"),
        ("windows-1258", [0xE0], "à"),
        ("koi8-r", [0xF0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4], "Привет"),
        ("gb2312", [0xD6, 0xD0, 0xCE, 0xC4], "中文"),
        ("gbk", [0xD6, 0xD0, 0xCE, 0xC4], "中文"),
        ("gb18030", [0xD6, 0xD0, 0xCE, 0xC4], "中文"),
        ("big5", [0xA4, 0xA4, 0xA4, 0xE5], "中文"),
        ("shift_jis", [0x93, 0xFA, 0x96, 0x7B], "日本"),
        ("euc-jp", [0xC6, 0xFC, 0xCB, 0xDC], "日本"),
        ("iso-2022-jp", [0x1B, 0x24, 0x42, 0x46, 0x7C, 0x4B, 0x5C, 0x1B, 0x28, 0x42], "日本"),
        ("euc-kr", [0xC7, 0xD1, 0xB1, 0xB9], "한국"),
        ("ks_c_5601-1987", [0xC7, 0xD1, 0xB1, 0xB9], "한국"),
    ]

    static func message(charset: String, body: [UInt8]) -> [UInt8] {
        Array("Content-Type: text/plain; charset=\"\(charset)\"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n".utf8) + body
    }

    @Test(arguments: samples.indices)
    func decodesBody(_ index: Int) {
        let sample = Self.samples[index]
        let mail = MIMEParser.parse(Self.message(charset: sample.charset, body: sample.bytes))
        #expect(mail.text == sample.text, "\(sample.charset)")
        #expect(mail.warnings.isEmpty, "\(sample.charset): \(mail.warnings)")
    }

    /// Which charsets swift-corelibs-foundation itself decodes here; the rest go through iconv.
    @Test func foundationDecodesWhatTheTableClaims() throws {
        var viaIconv: [String] = []
        for sample in Self.samples {
            let codec = try #require(Charsets.codec(for: sample.charset), "\(sample.charset)")
            if let encoding = codec.foundation {
                #expect(String(bytes: sample.bytes, encoding: encoding) == sample.text, "\(sample.charset)")
            } else {
                viaIconv.append(sample.charset)
                #expect(Charsets.iconvDecode(sample.bytes[...], from: codec.iconv ?? "")?.0 == sample.text)
            }
        }
        #expect(viaIconv == ["euc-jp"])
    }

    @Test func decodesEncodedWordsInEachCharset() {
        for sample in Self.samples where sample.charset != "iso-2022-jp" {
            let base64 = TestBase64.base64(sample.bytes)
            #expect(EncodedWord.decode("=?\(sample.charset)?B?\(base64)?=") == sample.text, "\(sample.charset)")
        }
    }

    @Test func unknownCharsetFallsBackWithWarning() {
        let utf8 = MIMEParser.parse(Self.message(charset: "x-foo", body: Array("café".utf8)))
        #expect(utf8.text == "café")
        #expect(utf8.warnings == ["unknown charset x-foo, decoded as utf-8 in message body"])
        let latin = MIMEParser.parse(Self.message(charset: "x-foo", body: [0x63, 0x61, 0x66, 0xE9]))
        #expect(latin.text == "café")
        #expect(latin.warnings == ["unknown charset x-foo, decoded as latin-1 in message body"])
    }

    @Test func invalidBytesAreReplacedNotFatal() {
        let mail = MIMEParser.parse(Self.message(charset: "utf-8", body: [0x61, 0xFF, 0x62]))
        #expect(mail.text == "a\u{FFFD}b")
        #expect(mail.warnings.count == 1)
        let gbk = MIMEParser.parse(Self.message(charset: "gb2312", body: [0xD6, 0xD0, 0xFF, 0xCE, 0xC4]))
        #expect(gbk.text.hasPrefix("中"))
        #expect(gbk.text.contains("\u{FFFD}"))
    }

    @Test func mislabelledUTF8IsRecognised() {
        let body = Array("Grüße aus Köln, schöne Grüße".utf8)
        let mail = MIMEParser.parse(Self.message(charset: "iso-8859-1", body: body))
        #expect(mail.text == "Grüße aus Köln, schöne Grüße")
        #expect(mail.warnings.count == 1)
    }
}

/// Base64 for building test inputs, written independently of the parser's encoder.
enum TestBase64 {
    static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var output = ""
        var index = 0
        while index < bytes.count {
            let chunk = Array(bytes[index..<min(index + 3, bytes.count)])
            let value = chunk.enumerated().reduce(0) { $0 | Int($1.element) << (16 - 8 * $1.offset) }
            for position in 0..<4 {
                output.append(position <= chunk.count ? alphabet[value >> (18 - 6 * position) & 63] : "=")
            }
            index += 3
        }
        return output
    }
}
