import EmailMIME
import Foundation
import Testing

@Suite struct ReplyTextTests {
    /// Real replies from mail clients (talon's fixtures): the new text is just "Hello".
    @Test(arguments: [
        "android", "aol", "apple_mail", "comcast", "gmail", "hotmail", "iphone", "outlook", "sparrow", "thunderbird",
        "yahoo",
    ])
    func clientReplies(_ name: String) {
        let url = Support.corpus.appendingPathComponent("talon/\(name).eml")
        let mail = MIMEParser.parse(Support.bytes(url))
        #expect(ReplyText.newText(mail.text) == "Hello", "\(name): \(mail.text)")
    }

    @Test func appleMailTwo() {
        let mail = MIMEParser.parse(Support.bytes(Support.corpus.appendingPathComponent("talon/apple_mail_2.eml")))
        #expect(ReplyText.newText(mail.text) == "Hello")
    }

    @Test func talonExpectationsMinusSignatures() throws {
        // talon keeps signatures; we also strip "-- " blocks and "Sent from my iPhone".
        let expected = try String(
            contentsOf: Support.corpus.appendingPathComponent("talon/iphone_reply_text"), encoding: .utf8)
        #expect(ReplyText.newText(expected) == "Hello")
    }

    @Test func gmailWrappedAttribution() {
        let text = """
            Thanks, that fixed it.

            On Mon, Jan 8, 2024 at 10:02 AM Support Team <
            support@example.com> wrote:

            > Please try again.
            """
        #expect(ReplyText.newText(text) == "Thanks, that fixed it.")
    }

    @Test(arguments: [
        "Le lun. 8 janv. 2024 à 10:02, Support <support@example.com> a écrit :",
        "Am 08.01.2024 um 10:02 schrieb Support <support@example.com>:",
        "El lun, 8 ene 2024 a las 10:02, Support (<support@example.com>) escribió:",
        "02.04.2012 14:20 пользователь \"bob@example.com\" <bob@example.com> написал:",
        "-----Original Message-----",
        "----- Original Message -----",
        "-----Ursprüngliche Nachricht-----",
    ])
    func localizedAndOutlookSeparators(_ separator: String) {
        let text = "Merci beaucoup !\n\n\(separator)\nold text\n> quoted"
        #expect(ReplyText.newText(text) == "Merci beaucoup !")
    }

    @Test func outlookHeaderBlock() {
        let text = """
            Yes, Tuesday works.

            ________________________________
            From: Support <support@example.com>
            Sent: Monday, January 8, 2024 10:02 AM
            To: Customer <c@example.com>
            Subject: RE: Appointment

            Does Tuesday work?
            """
        #expect(ReplyText.newText(text) == "Yes, Tuesday works.")
        let plain = "Yes.\n\nFrom: a@example.com\nSent: today\nTo: b@example.com\nSubject: x\n\nold"
        #expect(ReplyText.newText(plain) == "Yes.")
    }

    @Test func signaturesAreRemoved() {
        #expect(ReplyText.newText("Hi there\n\n-- \nJohn Doe\nACME Inc.") == "Hi there")
        #expect(ReplyText.newText("Hi there\n\nSent from my iPhone") == "Hi there")
        #expect(ReplyText.newText("Hi there\n\nVon meinem iPhone gesendet") == "Hi there")
        #expect(ReplyText.newText("Hi there\nGet Outlook for Android") == "Hi there")
    }

    @Test func interleavedQuotesKeepTheAnswers() {
        let text = "> Can you do Monday?\nYes.\n> And the price?\nAs quoted."
        #expect(ReplyText.newText(text) == "Yes.\nAs quoted.")
    }

    @Test func neverReturnsEmpty() {
        #expect(ReplyText.newText("> only a quote\n> nothing else\n") == "> only a quote\n> nothing else")
        #expect(ReplyText.newText("  plain message  ") == "plain message")
        #expect(ReplyText.newText("") == "")
    }

    @Test func ordinaryTextIsUntouched() {
        let text =
            "Hello,\n\nMy order #123 did not arrive. From: my house to yours, it should take 2 days.\n\nBest,\nAnn"
        #expect(ReplyText.newText(text) == text)
    }
}
