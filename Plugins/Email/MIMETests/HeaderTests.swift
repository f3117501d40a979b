import EmailMIME
import Foundation
import Testing

@Suite struct HeaderTests {
    @Test func unfoldsContinuationLinesAndKeepsRawValue() {
        let mail = Support.parse(
            """
            Subject: a long
             subject line
            \tcontinued
            X-Empty:
            From: a@example.com

            body
            """)
        #expect(mail.subject == "a long subject line\tcontinued")
        #expect(mail.headers.map(\.name) == ["Subject", "X-Empty", "From"])
        #expect(mail.headers[0].rawValue == "a long subject line\tcontinued")
        #expect(mail.headers[1].rawValue == "")
        #expect(mail.text == "body")
    }

    @Test func headerLookupIsCaseInsensitiveAndDecoded() {
        let mail = Support.parse(
            """
            X-Note: =?utf-8?Q?caf=C3=A9?= first
            x-note: second
            Received: one
            RECEIVED: two

            """)
        #expect(mail.header("X-NOTE") == "café first")
        #expect(mail.headers(named: "received") == ["one", "two"])
        #expect(mail.header("Missing") == nil)
    }

    @Test func acceptsBareLFAndCRLFAlike() {
        let text = "Subject: hi\nFrom: a@b.c\n\nline 1\nline 2\n"
        let lf = Support.parse(text, crlf: false)
        let crlf = Support.parse(text)
        #expect(lf.subject == crlf.subject)
        #expect(lf.text == "line 1\nline 2\n")
        #expect(crlf.text == lf.text)
    }

    @Test func skipsMboxFromLine() {
        let mail = Support.parse("From MAILER-DAEMON Mon Jan  1 00:00:00 2024\nSubject: x\n\nbody")
        #expect(mail.subject == "x")
        #expect(mail.warnings.isEmpty)
    }

    @Test func parsesAddressLists() {
        let mail = Support.parse(
            #"""
            From: "Doe, John" <John.Doe@Example.com>
            To: alice@example.com, Bob <bob@example.com>, carol@example.com (Carol C)
            Cc: team: d@example.com, "E \"quoted\"" <e@example.com>;, undisclosed-recipients:;
            Reply-To: =?utf-8?Q?Andr=C3=A9?= <andre@example.com>

            """#)
        #expect(mail.from == [MailAddress(name: "Doe, John", address: "John.Doe@Example.com")])
        #expect(
            mail.to == [
                MailAddress(address: "alice@example.com"), MailAddress(name: "Bob", address: "bob@example.com"),
                MailAddress(name: "Carol C", address: "carol@example.com"),
            ])
        #expect(mail.cc.map(\.address) == ["d@example.com", "e@example.com"])
        #expect(mail.cc[1].name == "E \"quoted\"")
        #expect(mail.replyTo == [MailAddress(name: "André", address: "andre@example.com")])
    }

    @Test func encodedCommaInDisplayNameDoesNotSplitTheList() {
        let list = MailAddress.parseList("=?iso-8859-1?Q?Last=DFlName=2C_First?= <c@example.com>, d@example.com")
        #expect(
            list == [MailAddress(name: "LastßlName, First", address: "c@example.com"), .init(address: "d@example.com")])
        #expect(
            MailAddress.parseList("<@route.example:user@example.com>") == [MailAddress(address: "user@example.com")])
        #expect(MailAddress.parseList("") == [])
    }

    @Test func messageIDsWithoutBrackets() {
        let mail = Support.parse(
            """
            Message-ID:  <abc@example.com>
            In-Reply-To: <p1@example.com> (John's message of Monday)
            References: <r1@example.com>
             <r2@example.com><r3@example.com>

            """)
        #expect(mail.messageID == "abc@example.com")
        #expect(mail.inReplyTo == ["p1@example.com"])
        #expect(mail.references == ["r1@example.com", "r2@example.com", "r3@example.com"])
    }

    @Test func eightBitHeadersUseUTF8OrThePartCharset() {
        var bytes = Array("Content-Type: text/plain; charset=koi8-r\r\nSubject: ".utf8)
        bytes += [0xF0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4]  // "Привет" in KOI8-R
        bytes += Array("\r\n\r\nbody".utf8)
        #expect(MIMEParser.parse(bytes).subject == "Привет")
        #expect(Support.parse("Subject: Grüße\n\nx").subject == "Grüße")
    }

    @Test(arguments: [
        ("Tue, 3 Apr 2012 16:23:59 +0400", 1_333_455_839.0),
        ("3 Apr 2012 12:23:59 GMT", 1_333_455_839.0),
        ("Tue, 03 Apr 12 08:23:59 EDT", 1_333_455_839.0),
        ("Tue, 3 Apr 2012 04:23:59 -0800 (PST)", 1_333_455_839.0),
        ("Tuesday, April 3, 2012 12:23:59 UT", 1_333_455_839.0),
        ("Tue Apr  3 12:23:59 2012", 1_333_455_839.0),
        ("Tue, 3 Apr 2012 12:23 +0000", 1_333_455_780.0),
        ("3 Apr 2012 12:23:59 Z", 1_333_455_839.0),
        ("Tue, 3 Apr 2012 12:23:59 A", 1_333_455_839.0),
        ("Mon, 29 Feb 2016 00:00:00 +0000", 1_456_704_000.0),
        ("Fri, 1 Jan 99 00:00:00 +0000", 915_148_800.0),
    ])
    func parsesDates(_ input: String, _ expected: Double) {
        #expect(Support.parse("Date: \(input)\n\n").date == Date(timeIntervalSince1970: expected))
    }

    @Test(arguments: [
        "", "yesterday", "31 Feb 2012 00:00:00 +0000", "1 Foo 2012 10:00:00", "3 Apr 2012 25:00:00 +0000",
    ])
    func rejectsUnparsableDates(_ input: String) {
        #expect(Support.parse("Date: \(input)\n\n").date == nil)
    }
}
