import EmailMIME
import Foundation
import Testing

@Suite struct MailBuilderTests {
    static let date = Date(timeIntervalSince1970: 1_704_708_120)  // Mon, 08 Jan 2024 10:02:00 +0000

    static func builder() -> MailBuilder {
        var builder = MailBuilder(
            from: MailAddress(name: "Support Team", address: "support@example.com"),
            to: [MailAddress(name: "Zoë Ünal-Øster, Jr.", address: "zoe@example.com")],
            subject: "Re: Ihre Bestellung – Lieferung verzögert sich um ein paar Tage, wir bitten um Entschuldigung",
            messageID: "reply-1@hub.example.com", date: date)
        builder.cc = [
            MailAddress(address: "cc@example.com"), MailAddress(name: "A \"quoted\" name", address: "q@example.com"),
        ]
        builder.replyTo = [MailAddress(name: "Support", address: "reply+t1@hub.example.com")]
        builder.inReplyTo = "orig@customer.example"
        builder.references = ["first@customer.example", "orig@customer.example"]
        builder.extraHeaders = [("Auto-Submitted", "auto-replied"), ("Content-Type", "evil"), ("Bad Name", "x")]
        builder.text =
            "Hallo Zoë,\n\nIhre Bestellung ist unterwegs. = 100% sicher.\nFrom now on…\n.\n"
            + String(repeating: "long line ", count: 30)
        return builder
    }

    static func lines(_ bytes: [UInt8]) -> [String] {
        String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")
    }

    @Test func textOnlyRoundTrips() {
        let bytes = Self.builder().build()
        let mail = MIMEParser.parse(bytes)
        #expect(mail.warnings.isEmpty, "\(mail.warnings)")
        #expect(mail.contentType == "text/plain")
        #expect(mail.subject == Self.builder().subject)
        #expect(mail.from == [MailAddress(name: "Support Team", address: "support@example.com")])
        #expect(mail.to == [MailAddress(name: "Zoë Ünal-Øster, Jr.", address: "zoe@example.com")])
        #expect(mail.cc == Self.builder().cc)
        #expect(mail.replyTo == Self.builder().replyTo)
        #expect(mail.messageID == "reply-1@hub.example.com")
        #expect(mail.inReplyTo == ["orig@customer.example"])
        #expect(mail.references == ["first@customer.example", "orig@customer.example"])
        #expect(mail.date == Self.date)
        #expect(mail.header("Auto-Submitted") == "auto-replied")
        #expect(mail.headers(named: "Content-Type") == ["text/plain; charset=utf-8"])
        #expect(mail.header("Bad Name") == nil)
        #expect(mail.text == Self.builder().text)
    }

    @Test func wireFormIsCRLFFoldedAndEncoded() {
        let bytes = Self.builder().build()
        // Every LF is part of a CR LF.
        for (index, byte) in bytes.enumerated() where byte == 0x0A { #expect(index > 0 && bytes[index - 1] == 0x0D) }
        let lines = Self.lines(bytes)
        let headerEnd = lines.firstIndex(of: "") ?? lines.count
        for line in lines[..<headerEnd] {
            #expect(line.utf8.count <= 78, "header line too long: \(line)")
            #expect(line.unicodeScalars.allSatisfy { $0.isASCII })
        }
        for line in lines[headerEnd...] { #expect(line.utf8.count <= 76, "body line too long: \(line)") }
        let header = lines[..<headerEnd].joined(separator: "\n")
        #expect(header.contains("Date: Mon, 08 Jan 2024 10:02:00 +0000"))
        #expect(header.contains("MIME-Version: 1.0"))
        #expect(header.contains("Content-Transfer-Encoding: quoted-printable"))
        #expect(header.contains("<zoe@example.com>"), "the addr-spec is never encoded")
        #expect(header.contains("Subject: =?utf-8?"))
        #expect(header.contains("\"A \\\"quoted\\\" name\" <q@example.com>"))
        #expect(!header.contains("evil"))
        let body = lines[(headerEnd + 1)...].joined(separator: "\n")
        #expect(body.contains("=3D 100% sicher"))
        #expect(body.contains("=46rom now on"), "a leading From is escaped")
        #expect(body.contains("\n=2E\n"), "a lone dot line is escaped")
    }

    @Test func buildIsDeterministic() {
        var builder = Self.builder()
        builder.html = "<p>x</p>"
        #expect(builder.build() == builder.build())
    }

    @Test func alternativeRelatedAndMixed() {
        var builder = Self.builder()
        builder.html = "<p>Hallo <img src=\"cid:logo@hub\"></p>"
        let pdf = [UInt8](repeating: 0x25, count: 5000) + [0, 1, 2, 255]
        builder.attachments = [
            MIMEAttachment(
                filename: "logo.png", contentType: "image/png", contentID: "logo@hub", isInline: true, data: [1, 2, 3]),
            MIMEAttachment(
                filename: "Rechnung März 2024 – sehr langer Dateiname.pdf", contentType: "application/pdf", data: pdf),
            MIMEAttachment(
                filename: nil, contentType: "message/rfc822",
                data: Array("Subject: inner\r\nFrom: a@b.c\r\n\r\ninner body\r\n".utf8)),
        ]
        let bytes = builder.build()
        let mail = MIMEParser.parse(bytes)
        #expect(mail.warnings.isEmpty, "\(mail.warnings)")
        #expect(mail.contentType == "multipart/mixed")
        #expect(mail.text == builder.text)
        #expect(mail.html == builder.html)
        #expect(mail.attachments.count == 3)
        #expect(mail.attachments[0] == builder.attachments[0])
        #expect(mail.attachments[1] == builder.attachments[1])
        #expect(mail.attachments[2].contentType == "message/rfc822")
        #expect(mail.attachments[2].filename == "inner.eml")
        #expect(MIMEParser.parse(mail.attachments[2].data).text == "inner body\n")
        for line in Self.lines(bytes) { #expect(line.utf8.count <= 998) }
        let wire = String(decoding: bytes, as: UTF8.self)
        #expect(wire.contains("multipart/alternative"))
        #expect(wire.contains("multipart/related"))
        #expect(wire.contains("filename*0*=utf-8''"))
    }

    @Test func headerValuesCannotInjectLines() {
        var builder = Self.builder()
        builder.subject = "Hello\r\nBcc: victim@example.com"
        builder.extraHeaders = [("X-Tag", "a\nX-Injected: 1")]
        let mail = MIMEParser.parse(builder.build())
        #expect(mail.header("Bcc") == nil)
        #expect(mail.header("X-Injected") == nil)
        #expect(mail.subject == "Hello  Bcc: victim@example.com")
    }

    @Test func foldsLongASCIISubjectAtSpaces() {
        var builder = Self.builder()
        builder.subject = (1...40).map { "word\($0)" }.joined(separator: " ")
        let bytes = builder.build()
        let subjectLines = Self.lines(bytes).drop { !$0.hasPrefix("Subject:") }.prefix {
            $0.hasPrefix("Subject:") || $0.hasPrefix(" ")
        }
        #expect(subjectLines.count > 1)
        #expect(subjectLines.allSatisfy { $0.utf8.count <= 78 })
        #expect(MIMEParser.parse(bytes).subject == builder.subject)
    }
}
