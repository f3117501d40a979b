import EmailMIME
import Testing

@Suite struct EncodedWordTests {
    @Test func decodesBAndQ() {
        #expect(EncodedWord.decode("=?UTF-8?B?w6l0w6k=?=") == "été")
        #expect(EncodedWord.decode("=?iso-8859-1?q?caf=E9_cr=E8me?=") == "café crème")
        #expect(EncodedWord.decode("=?utf-8*fr?Q?=C3=A9?=") == "é")
        #expect(EncodedWord.decode("plain text") == "plain text")
    }

    @Test func whitespaceBetweenAdjacentEncodedWordsIsDropped() {
        #expect(EncodedWord.decode("=?utf-8?Q?a?= =?utf-8?Q?b?=") == "ab")
        #expect(EncodedWord.decode("=?utf-8?Q?a?=\t =?utf-8?Q?b?=") == "ab")
        #expect(EncodedWord.decode("=?utf-8?Q?a_?= =?utf-8?Q?b?=") == "a b")
        // Whitespace between an encoded word and ordinary text stays.
        #expect(EncodedWord.decode("Re: =?utf-8?Q?a?= b") == "Re: a b")
        #expect(EncodedWord.decode("=?utf-8?Q?a?= x =?utf-8?Q?b?=") == "a x b")
    }

    @Test func characterSplitAcrossWordsSurvives() {
        // "€" is E2 82 AC; split over two words.
        #expect(EncodedWord.decode("=?utf-8?Q?=E2=82?= =?utf-8?Q?=AC?=") == "€")
        #expect(EncodedWord.decode("=?utf-8?B?4oI=?= =?utf-8?B?rA==?=") == "€")
    }

    @Test func toleratesBrokenWords() {
        #expect(EncodedWord.decode("=?utf-8?X?abc?=") == "=?utf-8?X?abc?=")
        #expect(EncodedWord.decode("=?utf-8?Q?unterminated") == "=?utf-8?Q?unterminated")
        #expect(EncodedWord.decode("pre=?utf-8?Q?fix?=post") == "prefixpost")
        #expect(EncodedWord.decode("=?x-unknown?Q?abc?=") == "abc")
    }

    @Test func encodeLeavesASCIIAlone() {
        #expect(EncodedWord.encodeIfNeeded("Hello, world") == "Hello, world")
    }

    @Test func encodedWordsRoundTripAndStayShort() {
        let samples = [
            "Grüße aus Köln", "日本語のテキストです。とても長い件名になるかもしれませんが、問題ありません。",
            "Emoji 🎉🎉🎉 party " + String(repeating: "é", count: 80), "=?not an encoded word?=",
        ]
        for sample in samples {
            let encoded = EncodedWord.encodeIfNeeded(sample)
            #expect(encoded.unicodeScalars.allSatisfy { $0.isASCII })
            for word in encoded.split(separator: " ") { #expect(word.count <= 75, "\(word)") }
            #expect(EncodedWord.decode(encoded) == sample)
        }
    }
}
