import EmailMIME
import Testing

@Suite struct TransferEncodingTests {
    @Test func quotedPrintableSoftBreaksAndEscapes() {
        let mail = Support.parse(
            "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
                + "caf=C3=A9 and a long line that was wrapped here=\n and continues=20\n"
                + "trailing spaces are dropped   \t\n"
                + "=3D literal equals, bad =ZZ escape kept, lowercase =c3=a9")
        #expect(
            mail.text == "café and a long line that was wrapped here and continues \ntrailing spaces are dropped\n"
                + "= literal equals, bad =ZZ escape kept, lowercase é")
        #expect(mail.warnings.contains { $0.contains("invalid quoted-printable") })
    }

    @Test func base64WithLineBreaksAndMissingPadding() {
        let mail = Support.parse(
            """
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: BASE64

            SGVsbG8s
            IHfDtnJs
            ZCE
            """)
        #expect(mail.text == "Hello, wörld!")
        #expect(mail.warnings.isEmpty)
    }

    @Test func base64GarbageIsSkippedWithAWarning() {
        let mail = Support.parse(
            """
            Content-Type: text/plain
            Content-Transfer-Encoding: base64

            SGVs*bG8gd2!9ybGQ=
            """)
        #expect(mail.text == "Hello world")
        #expect(mail.warnings.contains { $0.hasPrefix("invalid base64 in message body") })
    }

    @Test func unknownTransferEncodingLeavesBody() {
        let mail = Support.parse("Content-Transfer-Encoding: x-custom\n\nhello")
        #expect(mail.text == "hello")
        #expect(mail.warnings.contains { $0.contains("unknown Content-Transfer-Encoding x-custom") })
    }

    @Test func formatFlowedIsRejoined() {
        let mail = Support.parse(
            "Content-Type: text/plain; charset=utf-8; format=flowed\n\n"
                + "This paragraph was \nwrapped by the sender.\n From here on it is space-stuffed.\n"
                + "> quoted and \n> flowed\n-- \nsig")
        #expect(
            mail.text == "This paragraph was wrapped by the sender.\nFrom here on it is space-stuffed.\n"
                + "> quoted and flowed\n-- \nsig")
        let delSp = Support.parse("Content-Type: text/plain; format=flowed; delsp=yes\n\nJapa \nnese")
        #expect(delSp.text == "Japanese")
    }
}
