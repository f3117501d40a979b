import EmailMIME
import Foundation
import Testing

/// Damaged and hostile input: each parse returns what it can and says what it repaired.
@Suite struct MalformedInputTests {
    @Test func truncatedMultipart() {
        let mail = Support.parse(
            """
            Content-Type: multipart/mixed; boundary=cut

            --cut
            Content-Type: text/plain

            The text survives.
            --cut
            Content-Type: application/pdf
            Content-Transfer-Encoding: base64

            JVBERi0x
            """)
        #expect(mail.text == "The text survives.")
        #expect(mail.attachments.count == 1)
        #expect(mail.attachments.first?.data == Array("%PDF-1".utf8))
        #expect(mail.warnings == ["truncated multipart (no closing boundary for \"cut\") in message body"])
    }

    @Test func multipartWithoutBoundaryOrWithWrongOne() {
        let none = Support.parse("Content-Type: multipart/mixed\n\nJust text.")
        #expect(none.text == "Just text.")
        #expect(none.warnings.count == 1)
        let wrong = Support.parse("Content-Type: multipart/mixed; boundary=nope\n\nno parts here")
        #expect(wrong.text == "no parts here")
        #expect(wrong.warnings.first?.hasPrefix("no boundary") == true)
    }

    @Test func brokenBase64() {
        let mail = Support.parse("Content-Transfer-Encoding: base64\n\nSGVsbG8g!!!d29y\u{1}bGQhI")
        #expect(mail.text == "Hello world!")
        #expect(mail.warnings.contains { $0.hasPrefix("invalid base64 in message body") })
        #expect(mail.warnings.contains { $0.hasPrefix("truncated base64") })
    }

    @Test func unknownCharset() {
        let mail = Support.parse("Content-Type: text/plain; charset=x-foo\n\nhello")
        #expect(mail.text == "hello")
        let eightBit = MIMEParser.parse(Array("Content-Type: text/plain; charset=x-foo\n\n".utf8) + [0xE9, 0x74, 0xE9])
        #expect(eightBit.text == "été")
        #expect(eightBit.warnings.contains { $0.hasPrefix("unknown charset x-foo, decoded as latin-1") })
    }

    @Test func fiveMegabyteHeaderLine() {
        var bytes = Array("Subject: ".utf8)
        bytes += [UInt8](repeating: 0x61, count: 5 * 1024 * 1024)
        bytes += Array("\r\nFrom: a@example.com\r\n\r\nbody".utf8)
        let clock = ContinuousClock()
        var mail = ParsedMail()
        let elapsed = clock.measure { mail = MIMEParser.parse(bytes) }
        #expect(elapsed < .seconds(10))
        #expect((65_000...65_536).contains(mail.subject?.utf8.count ?? 0))
        #expect(mail.from.map(\.address) == ["a@example.com"])
        #expect(mail.text == "body")
        #expect(mail.warnings == ["header line longer than 65536 bytes truncated (Subject)"])
    }

    @Test func twentyFiveMegabyteAttachmentComesBackWhole() {
        var data = [UInt8](repeating: 0, count: 25 * 1024 * 1024)
        var state: UInt32 = 2_463_534_242
        for index in data.indices {
            state ^= state << 13
            state ^= state >> 17
            state ^= state << 5
            data[index] = UInt8(truncatingIfNeeded: state)
        }
        var builder = MailBuilder(
            from: MailAddress(address: "a@example.com"), to: [MailAddress(address: "b@example.com")], subject: "big",
            messageID: "big@example.com", date: Date(timeIntervalSince1970: 0))
        builder.text = "see attachment"
        builder.attachments = [MIMEAttachment(filename: "big.bin", contentType: "application/octet-stream", data: data)]
        let clock = ContinuousClock()
        var bytes: [UInt8] = []
        let buildTime = clock.measure { bytes = builder.build() }
        var mail = ParsedMail()
        let parseTime = clock.measure { mail = MIMEParser.parse(bytes) }
        #expect(buildTime < .seconds(60))
        #expect(parseTime < .seconds(60))
        #expect(mail.text == "see attachment")
        #expect(mail.attachments.count == 1)
        #expect(mail.attachments.first?.data.count == data.count)
        #expect(mail.attachments.first?.data == data)
        #expect(mail.warnings.isEmpty)
    }

    @Test func missingHeaders() {
        let mail = Support.parse("Just a body line with no headers.\nSecond line.")
        #expect(mail.text == "Just a body line with no headers.\nSecond line.")
        #expect(mail.subject == nil && mail.from.isEmpty && mail.date == nil && mail.messageID == nil)
        #expect(!mail.warnings.isEmpty)
        let headersOnly = Support.parse("Subject: only headers")
        #expect(headersOnly.subject == "only headers")
        #expect(headersOnly.text == "")
    }

    @Test func emptyInput() {
        let mail = MIMEParser.parse([])
        #expect(mail.text == "")
        #expect(mail.headers.isEmpty)
        #expect(mail.contentType == "text/plain")
        #expect(mail.warnings == ["empty message"])
    }

    @Test func binaryGarbage() {
        var state: UInt64 = 88_172_645_463_325_252
        for length in [1, 7, 100, 4096, 100_000] {
            var bytes = [UInt8](repeating: 0, count: length)
            for index in bytes.indices {
                state ^= state << 13
                state ^= state >> 7
                state ^= state << 17
                bytes[index] = UInt8(truncatingIfNeeded: state)
            }
            let mail = MIMEParser.parse(bytes)
            _ = ReplyText.newText(mail.text)
            #expect(mail.contentType == "text/plain")
        }
        let nulls = MIMEParser.parse([UInt8](repeating: 0, count: 1000))
        #expect(nulls.text.count == 1000 || !nulls.warnings.isEmpty)
    }

    @Test func nestingBeyondMaxDepth() {
        var message = "Content-Type: multipart/mixed; boundary=b0\n\n--b0\nContent-Type: text/plain\n\nouter text\n"
        for level in 0..<40 {
            message += "--b\(level)\nContent-Type: multipart/mixed; boundary=b\(level + 1)\n\n"
        }
        message += "--b40\nContent-Type: text/plain\n\ndeep text\n"
        for level in (0...40).reversed() { message += "--b\(level)--\n" }
        let mail = Support.parse(message)
        #expect(mail.text == "outer text")
        #expect(mail.warnings.contains { $0.hasPrefix("multipart nested deeper than 20 levels") })
        let shallow = MIMEParser.parse(Support.crlf(message), limits: MIMELimits(maxDepth: 50))
        #expect(shallow.text == "outer text")
        #expect(shallow.attachments.map(\.contentType) == ["text/plain"])
    }

    @Test func tooManyParts() {
        var message = "Content-Type: multipart/mixed; boundary=p\n\n"
        for index in 0..<50 { message += "--p\nContent-Type: application/octet-stream\n\n\(index)\n" }
        message += "--p--\n"
        let mail = MIMEParser.parse(Support.crlf(message), limits: MIMELimits(maxParts: 10))
        #expect(mail.attachments.count <= 10)
        #expect(mail.warnings.contains { $0.hasPrefix("more than 10 MIME parts") })
    }

    @Test func manyWarningsAreCapped() {
        var message = "Subject: x\n"
        for _ in 0..<500 { message += " \(String(repeating: "y", count: 200))\n" }
        let mail = MIMEParser.parse(Support.crlf(message), limits: MIMELimits(maxHeaderLineBytes: 100))
        #expect(mail.warnings.count == 101)
    }

    @Test func invalidContentType() {
        let mail = Support.parse("Content-Type: garbage\n\nhello")
        #expect(mail.contentType == "text/plain")
        #expect(mail.text == "hello")
        #expect(mail.warnings.first?.hasPrefix("invalid Content-Type") == true)
    }
}
