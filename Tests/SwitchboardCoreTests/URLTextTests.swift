import SwitchboardAdapterKit
import Testing

/// The SDK's one spelling of base URLs and percent-encoding, which the Matrix and X adapters and
/// every configuration with a URL use.
struct URLTextTests {
    @Test(arguments: [
        ("https://api.x.com/", "https://api.x.com"), ("https://api.x.com//", "https://api.x.com"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"), ("", ""),
    ])
    func trailingSlashesGo(_ url: String, _ expected: String) {
        #expect(URLText.trimmingTrailingSlashes(url) == expected)
    }

    @Test func onlyUnreservedCharactersStay() {
        #expect(URLText.percentEncoded("AZaz09-._~") == "AZaz09-._~")
        #expect(URLText.percentEncoded("!room/v12+x:hub.test") == "%21room%2Fv12%2Bx%3Ahub.test")
        #expect(URLText.percentEncoded("Acme rocket *é") == "Acme%20rocket%20%2A%C3%A9")
        #expect(
            URLText.query([("query", "(Acme) -is:retweet"), ("since_id", "17")])
                == "query=%28Acme%29%20-is%3Aretweet&since_id=17")
    }
}
