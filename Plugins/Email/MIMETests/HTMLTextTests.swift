import EmailMIME
import Foundation
import Testing

@Suite struct HTMLTextTests {
    @Test func blocksBreaksAndWhitespace() {
        let html = """
            <html><head><title>Ignored</title><style>body { color: red }</style>
            <script>alert("x")</script></head>
            <body>
              <h1>Title</h1>
              <p>First   paragraph
                 continues.</p>
              <div>Line one<br>Line two<BR/>Line three</div>
              <ul><li>one</li><li>two</li></ul>
              <table><tr><td>a</td><td>b</td></tr></table>
              <pre>  keep   spaces</pre>
              <!-- a comment with <p> inside -->
            </body></html>
            """
        #expect(
            HTMLText.plainText(fromHTML: html) == """
                Title

                First paragraph continues.

                Line one
                Line two
                Line three

                one
                two

                a b

                keep   spaces
                """)
    }

    @Test func entities() {
        #expect(
            HTMLText.plainText(fromHTML: "a &amp; b &lt;c&gt; &quot;d&quot; &#39;e&#39; &#x20AC; &euro; &eacute;")
                == "a & b <c> \"d\" 'e' € € é")
        #expect(
            HTMLText.plainText(fromHTML: "&copy 2024 &nbsp;x &unknown; &#150; &#0;") == "© 2024  x &unknown; – \u{FFFD}"
        )
        #expect(HTMLText.plainText(fromHTML: "5 < 6 and 7 > 3") == "5 < 6 and 7 > 3")
    }

    @Test func unclosedHeadEndsAtBody() {
        #expect(HTMLText.plainText(fromHTML: "<head><meta charset=utf-8><body>Hi</body>") == "Hi")
        #expect(HTMLText.plainText(fromHTML: "<p title=\"a > b\">x</p>") == "x")
        #expect(HTMLText.plainText(fromHTML: "<script>never closed") == "")
    }

    /// Real HTML replies (talon's fixtures) convert to text that holds the reply and the quote.
    @Test(arguments: [
        "gmail", "hotmail", "mail_ru", "ms_outlook_2003", "ms_outlook_2007", "ms_outlook_2010", "thunderbird",
        "windows_mail", "yandex_ru",
    ])
    func clientHTML(_ name: String) throws {
        let url = Support.corpus.appendingPathComponent("talon/html_replies/\(name).html")
        let html = String(decoding: Support.bytes(url), as: UTF8.self)
        let text = HTMLText.plainText(fromHTML: html)
        #expect(text.hasPrefix("Hi. I am fine."), "\(name): \(text)")
        #expect(!text.contains("<div") && !text.contains("class="), "\(name): \(text)")
        #expect(ReplyText.newText(text).hasPrefix("Hi. I am fine."))
    }
}
