import EmailMIME
import Foundation
import Testing

/// Inputs built to trigger quadratic behaviour: each must parse in bounded time.
@Suite struct PathologicalInputTests {
    static func fast(_ bytes: [UInt8], limits: MIMELimits = .default) -> (ParsedMail, Duration) {
        let clock = ContinuousClock()
        var mail = ParsedMail()
        let elapsed = clock.measure {
            mail = MIMEParser.parse(bytes, limits: limits)
            _ = ReplyText.newText(mail.text)
            _ = mail.header("Subject")
        }
        return (mail, elapsed)
    }

    @Test func manyStrayEncodedWordStarts() {
        let subject = String(repeating: "=?a?q?", count: 150_000)
        let (mail, elapsed) = Self.fast(
            Array("Subject: \(subject)\n\nx".utf8), limits: MIMELimits(maxHeaderLineBytes: 1 << 20))
        #expect(elapsed < .seconds(10))
        #expect(mail.subject?.hasPrefix("=?a?q?") == true)
    }

    @Test func addressListOfColons() {
        let to = "a@b" + String(repeating: ":", count: 60_000) + ", c@d"
        let (mail, elapsed) = Self.fast(Array("To: \(to)\n\nx".utf8))
        #expect(elapsed < .seconds(10))
        #expect(mail.to.last?.address == "c@d")
    }

    @Test func manyLineBreakTags() {
        let html = String(repeating: "<br>", count: 100_000) + String(repeating: "<p>", count: 100_000) + "end"
        let clock = ContinuousClock()
        var text = ""
        let elapsed = clock.measure { text = HTMLText.plainText(fromHTML: html) }
        #expect(elapsed < .seconds(10))
        #expect(text == "end")
    }

    @Test func manyPartsAndBoundaries() {
        var message = "Content-Type: multipart/mixed; boundary=b\n\n"
        message += String(repeating: "--b\n\n", count: 50_000) + "--b--\n"
        let (mail, elapsed) = Self.fast(Array(message.utf8))
        #expect(elapsed < .seconds(10))
        #expect(mail.warnings.contains { $0.hasPrefix("more than 1000 MIME parts") })
    }

    @Test func longTextLinesForReplyText() {
        let text =
            String(repeating: "On and on it goes wrote ", count: 100_000) + "\n> quote\n"
            + String(repeating: "x\n", count: 100_000)
        let clock = ContinuousClock()
        let elapsed = clock.measure { _ = ReplyText.newText(text) }
        #expect(elapsed < .seconds(10))
    }
}
