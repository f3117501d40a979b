import EmailMIME
import Testing

@Suite struct MultipartTests {
    @Test func alternativePicksPlainAndHTML() {
        let mail = Support.parse(
            """
            Content-Type: multipart/alternative; boundary="b1"

            preamble
            --b1
            Content-Type: text/plain; charset=utf-8

            Plain body
            --b1
            Content-Type: text/html; charset=utf-8

            <p>HTML <b>body</b></p>
            --b1--
            epilogue
            """)
        #expect(mail.contentType == "multipart/alternative")
        #expect(mail.text == "Plain body")
        #expect(mail.html == "<p>HTML <b>body</b></p>")
        #expect(mail.attachments.isEmpty)
        #expect(mail.warnings.isEmpty)
    }

    @Test func mixedWithRelatedAndAttachments() {
        let mail = Support.parse(
            """
            Content-Type: multipart/mixed; boundary=outer

            --outer
            Content-Type: multipart/alternative; boundary="outer-alt"

            --outer-alt
            Content-Type: text/plain

            Text version
            --outer-alt
            Content-Type: multipart/related; boundary=rel; type="text/html"

            --rel
            Content-Type: text/html

            <img src="cid:logo@x">
            --rel
            Content-Type: image/png
            Content-ID: <logo@x>
            Content-Transfer-Encoding: base64

            iVBORw0KGgo=
            --rel--
            --outer-alt--
            --outer
            Content-Type: application/pdf; name="report.pdf"
            Content-Disposition: attachment
            Content-Transfer-Encoding: base64

            JVBERi0xLjQ=
            --outer
            Content-Type: text/plain; name="notes.txt"
            Content-Disposition: attachment; filename="notes.txt"

            attached text
            --outer--
            """)
        #expect(mail.text == "Text version")
        #expect(mail.html == "<img src=\"cid:logo@x\">")
        #expect(mail.attachments.count == 3)
        let logo = mail.attachments[0]
        #expect(logo.contentType == "image/png")
        #expect(logo.contentID == "logo@x")
        #expect(logo.isInline)
        #expect(logo.data == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(mail.attachments[1].filename == "report.pdf")
        #expect(mail.attachments[1].data == Array("%PDF-1.4".utf8))
        #expect(!mail.attachments[1].isInline)
        #expect(mail.attachments[2].filename == "notes.txt")
        #expect(mail.attachments[2].data == Array("attached text".utf8))
        #expect(mail.warnings.isEmpty)
    }

    @Test func reportKeepsTypeAndStatusParts() throws {
        let mail = Support.parse(
            """
            Content-Type: multipart/report; report-type=delivery-status; boundary="dsn"

            --dsn
            Content-Type: text/plain

            Delivery failed.
            --dsn
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mx.example.com

            Final-Recipient: rfc822; gone@example.com
            Action: failed
            Status: 5.1.1
            --dsn
            Content-Type: message/rfc822

            Subject: My original / question?
            From: me@example.com

            original body
            --dsn--
            """)
        #expect(mail.reportType == "delivery-status")
        #expect(mail.text == "Delivery failed.")
        #expect(mail.attachments.map(\.contentType) == ["message/delivery-status", "message/rfc822"])
        let status = String(decoding: mail.attachments[0].data, as: UTF8.self)
        #expect(status.contains("Status: 5.1.1"))
        let original = mail.attachments[1]
        #expect(original.filename == "My original  question.eml")
        let inner = MIMEParser.parse(original.data)
        #expect(inner.subject == "My original / question?")
        #expect(inner.text == "original body")
    }

    @Test func dispositionNotificationReportType() {
        let mail = Support.parse(
            """
            Content-Type: multipart/report; report-type="disposition-notification"; boundary=m

            --m
            Content-Type: text/plain

            Your message was displayed.
            --m
            Content-Type: message/disposition-notification

            Disposition: manual-action/MDN-sent-manually; displayed
            --m--
            """)
        #expect(mail.reportType == "disposition-notification")
        #expect(mail.text == "Your message was displayed.")
    }

    @Test func nestedBoundaryThatExtendsTheOuterOne() {
        let mail = Support.parse(
            """
            Content-Type: multipart/mixed; boundary="==b"

            --==b
            Content-Type: multipart/alternative; boundary="==b_alt"

            --==b_alt
            Content-Type: text/plain

            inner text
            --==b_alt--
            --==b
            Content-Type: image/gif
            Content-Disposition: inline; filename=a.gif

            GIF
            --==b--
            """)
        #expect(mail.text == "inner text")
        #expect(mail.attachments.map(\.filename) == ["a.gif"])
        #expect(mail.attachments[0].isInline)
        #expect(mail.warnings.isEmpty)
    }

    @Test func rfc2231FilenamesAndEncodedWordFilenames() {
        let mail = Support.parse(
            """
            Content-Type: multipart/mixed; boundary=x

            --x
            Content-Type: text/plain

            see attachments
            --x
            Content-Type: application/octet-stream
            Content-Disposition: attachment;
             filename*0*=utf-8''%E2%82%AC%20rapport;
             filename*1*=%20%C3%A9t%C3%A9;
             filename*2=".pdf"

            x
            --x
            Content-Type: application/octet-stream; name="=?UTF-8?B?0L/RgNC40LLQtdGCLnR4dA==?="

            y
            --x
            Content-Type: application/octet-stream
            Content-Disposition: attachment; filename*=iso-8859-1'fr'caf%E9.txt

            z
            --x--
            """)
        #expect(mail.attachments.map(\.filename) == ["€ rapport été.pdf", "привет.txt", "café.txt"])
    }

    @Test func messageRFC822IsAnEmlAttachment() {
        let mail = Support.parse(
            """
            Content-Type: multipart/mixed; boundary=fw

            --fw
            Content-Type: text/plain

            FYI, see below.
            --fw
            Content-Type: message/rfc822; name="forwarded.eml"

            Subject: Inner
            Content-Type: text/plain

            inner text
            --fw--
            """)
        #expect(mail.text == "FYI, see below.")
        #expect(mail.attachments.count == 1)
        #expect(mail.attachments[0].contentType == "message/rfc822")
        #expect(mail.attachments[0].filename == "forwarded.eml")
        #expect(MIMEParser.parse(mail.attachments[0].data).text == "inner text")
    }

    @Test func htmlOnlyMailGetsTextFromHTML() {
        let mail = Support.parse(
            """
            Content-Type: text/html; charset=utf-8

            <html><head><title>T</title><style>p{}</style></head><body><p>Hello&nbsp;there</p><p>Bye</p></body></html>
            """)
        #expect(mail.text == "Hello there\n\nBye")
        #expect(mail.html?.contains("<p>Hello") == true)
    }

    @Test func digestPartsDefaultToMessage() {
        let mail = Support.parse(
            """
            Content-Type: multipart/digest; boundary=d

            --d

            Subject: first

            one
            --d--
            """)
        #expect(mail.attachments.map(\.contentType) == ["message/rfc822"])
        #expect(mail.attachments[0].filename == "first.eml")
    }
}
