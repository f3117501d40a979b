import SwitchboardAdapterKit
import Testing

/// The checks the server makes on every authentic webhook before the adapter reads it.
struct WebhookRequestCheckTests {
    func request(contentType: String?) -> WebhookRequest {
        WebhookRequest(
            method: "POST", path: "/x", query: [], headers: contentType.map { [("Content-Type", $0)] } ?? [],
            body: Array("{}".utf8))
    }

    let json = WebhookRoute(
        method: "POST", path: "/x", accepts: ["application/json"], verify: { _ throws(WebhookAuthError) in },
        handle: { _ in WebhookResult() })

    @Test func theDeclaredMediaTypeIsAcceptedWithParametersAndInAnyCase() {
        #expect(json.contentTypeRefusal(request(contentType: "application/json")) == nil)
        #expect(json.contentTypeRefusal(request(contentType: "Application/JSON; charset=utf-8")) == nil)
    }

    @Test func anotherOrAMissingContentTypeIsA415NamingWhatTheRouteTakes() throws {
        let plain = try #require(json.contentTypeRefusal(request(contentType: "text/plain")))
        #expect(plain.status == 415)
        #expect(plain.message == "this route takes application/json; the request's Content-Type was 'text/plain'")
        let missing = try #require(json.contentTypeRefusal(request(contentType: nil)))
        #expect(missing.message.hasSuffix("was missing"))
    }

    @Test func aRouteThatDeclaresNothingTakesAnything() {
        let any = WebhookRoute(
            method: "GET", path: "/x", verify: { _ throws(WebhookAuthError) in }, handle: { _ in WebhookResult() })
        #expect(any.contentTypeRefusal(request(contentType: "text/plain")) == nil)
    }

    @Test func strictFormDecodingRefusesBytesThatAreNotUTF8() {
        #expect(
            FormEncoding.parseUTF8(bytes: Array("Body=Hi%20there&From=%2B1".utf8))?.map(\.value) == ["Hi there", "+1"])
        #expect(FormEncoding.parseUTF8(bytes: Array("Body=caf%C3%A9".utf8))?.first?.value == "café")
        #expect(FormEncoding.parseUTF8(bytes: Array("Body=Hi%FF%FE".utf8)) == nil)
        #expect(FormEncoding.parseUTF8(bytes: Array("B%FFody=Hi".utf8)) == nil)
        #expect(
            FormEncoding.parse(bytes: Array("Body=Hi%FF".utf8)).first?.value == "Hi\u{FFFD}", "the lenient one is kept")
    }
}
