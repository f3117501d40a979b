import Foundation
import SwitchboardAdapterKit
import SwitchboardAdapterTesting
import Synchronization
import Testing

@testable import XAdapter

@Suite struct XWebhookTests {
    /// The CRC answer per https://docs.x.com/x-api/webhooks/quickstart ("How to build the CRC
    /// response"), checked against Python's hmac, as X's own example computes it:
    /// `"sha256=" + base64.b64encode(hmac.new(b"x-consumer-secret-0123456789abcdef",
    /// b"challenge_string", hashlib.sha256).digest()).decode()`
    /// → `sha256=o1mlrdNEoSJMDFMjsbftLvrNPH+/scDRLT73ZMLI+Ak=`
    @Test func crcAnswerMatchesAnIndependentlyComputedHMAC() async throws {
        let adapter = makeAdapter(accountID: "4337869213", mode: .webhook)
        let request = WebhookRequest(
            method: "GET", path: "/webhook", query: [("crc_token", "challenge_string")],
            rawQuery: "crc_token=challenge_string")
        let result = try await deliver(request, to: adapter)
        let response = try #require(result.response)
        #expect(response.status == 200)
        #expect(response.contentType == "application/json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: String])
        #expect(object == ["response_token": "sha256=o1mlrdNEoSJMDFMjsbftLvrNPH+/scDRLT73ZMLI+Ak="])
        #expect(result.envelopes.isEmpty)
    }

    @Test func crcWithoutATokenOrWithAForgedBodyIsRefused() async throws {
        let adapter = makeAdapter(accountID: "4337869213", mode: .webhook)
        await #expect(throws: WebhookRequestError.self) {
            _ = try await deliver(WebhookRequest(method: "GET", path: "/webhook"), to: adapter)
        }
        // A CRC answer is a signature over the token: a JSON body as token would forge an event.
        let forged = WebhookRequest(method: "GET", path: "/webhook", query: [("crc_token", accountActivityDM)])
        await #expect(throws: WebhookRequestError.self) { _ = try await deliver(forged, to: adapter) }
    }

    /// Signed by the rule of https://docs.x.com/x-api/webhooks/quickstart ("Signature verification");
    /// the header value is Python's `"sha256=" + base64(hmac.new(secret, body, sha256).digest())` for
    /// the body `{"for_user_id": "4337869213"}`.
    @Test func aCorrectlySignedPOSTIsAccepted() async throws {
        let adapter = makeAdapter(accountID: "4337869213", mode: .webhook)
        let body = #"{"for_user_id": "4337869213"}"#
        #expect(
            XWebhookSecurity.sign(Array(body.utf8), consumerSecret: consumerSecret)
                == "sha256=tVLbmmVk+TROr4MP96Doa7q+XnWJEv0uGLPQZJ/x2x8=")
        let result = try await deliver(
            activityPOST(body, signature: "sha256=tVLbmmVk+TROr4MP96Doa7q+XnWJEv0uGLPQZJ/x2x8="), to: adapter)
        #expect(result.envelopes.isEmpty)
    }

    @Test func wrongOrMissingSignaturesAre403() throws {
        let adapter = makeAdapter(accountID: "4337869213", mode: .webhook)
        let route = try #require(adapter.webhookRoutes.first { $0.method == "POST" })
        let good = activityPOST(accountActivityDM)
        try route.verify(good)

        var tampered = good
        tampered.body = Array(accountActivityDM.replacingOccurrences(of: "Hello World!", with: "Hello Wor1d!").utf8)
        let otherSecret = activityPOST(
            accountActivityDM,
            signature: XWebhookSecurity.sign(Array(accountActivityDM.utf8), consumerSecret: "another-secret-0123456789")
        )
        for request in [tampered, otherSecret, activityPOST(accountActivityDM, signature: "")] {
            do {
                try route.verify(request)
                Issue.record("a request with a bad or missing signature was accepted")
            } catch {
                #expect(error.status == 403)
                #expect(!error.message.contains(consumerSecret))
                #expect(!error.message.contains(XWebhookSecurity.sign(request.body, consumerSecret: consumerSecret)))
            }
        }
    }

    @Test func aDMEventBecomesAPrivateEnvelope() async throws {
        let adapter = makeAdapter(accountID: "4337869213", mode: .webhook)
        let result = try await deliver(activityPOST(accountActivityDM), to: adapter)
        #expect(result.envelopes.count == 1)
        let envelope = try #require(result.envelopes.first)
        #expect(envelope.externalID == "dm:954491830116155396")
        #expect(envelope.visibility == .private)
        #expect(envelope.threadKey == "dm:3001969357")
        #expect(envelope.from == (try Address(parsing: "x:3001969357")))
        #expect(envelope.to == (try Address(parsing: "x:4337869213")))
        #expect(envelope.text == "Hello World!")
        #expect(envelope.hints.displayName == "Jordan Brinks")
        #expect(envelope.hints.rawHandle == "@furiouscamper")
        #expect(envelope.sentAt == Date(timeIntervalSince1970: 1_516_403_560.557))
    }

    @Test func aMentionAndADMArePublicAndPrivateForOneCustomer() async throws {
        let http = fakeXAPI()
        http.answer(200, conversationLookup)
        let adapter = makeAdapter(http: http, accountID: "4337869213", mode: .webhook)
        let result = try await deliver(activityPOST(accountActivityMentionAndDM), to: adapter)
        #expect(result.envelopes.map(\.visibility) == [.public, .private])
        #expect(Set(result.envelopes.map(\.from)) == [try Address(parsing: "x:3001969357")])
        let mention = try #require(result.envelopes.first)
        #expect(mention.externalID == "1307025659294674945")
        #expect(mention.inReplyTo == "1304102743196356610")
        #expect(mention.threadKey == "post:1304102743196356610")
        #expect(mention.text.hasPrefix("Here’s an article that highlights"))
        #expect(mention.text.hasSuffix("https://t.co/oeF3ZHeKQQ"))
        #expect(mention.hints.rawHandle == "@furiouscamper")
        #expect(mention.sentAt == Date(timeIntervalSince1970: 1_600_454_175))
        #expect(mention.parseWarnings.isEmpty)
        let lookup = try #require(http.requests.withLock { $0.first })
        #expect(path(lookup) == "/2/tweets")
        #expect(query(lookup)["ids"] == "1307025659294674945")
        #expect(query(lookup)["tweet.fields"] == "conversation_id")
    }

    @Test func aFailedConversationLookupFilesTheReplyUnderItsParent() async throws {
        let http = fakeXAPI()
        http.answer(503, "")
        let adapter = makeAdapter(http: http, accountID: "4337869213", mode: .webhook)
        let result = try await deliver(activityPOST(accountActivityMentionAndDM), to: adapter)
        let mention = try #require(result.envelopes.first)
        #expect(mention.threadKey == "post:1304102743196356610")
        #expect(mention.parseWarnings.count == 1)
    }

    @Test func ourOwnPostsAndSendsAreSkipped() async throws {
        let http = fakeXAPI()
        let own = try await deliver(
            activityPOST(accountActivityOwnPost), to: makeAdapter(http: http, accountID: "2244994945", mode: .webhook))
        #expect(own.envelopes.isEmpty)
        #expect(http.requests.withLock { $0.isEmpty })
        // The DM example as the sender's own subscription receives it: our send's echo.
        let echo = accountActivityDM.replacingOccurrences(
            of: #""for_user_id": "4337869213""#, with: #""for_user_id": "3001969357""#)
        let sent = try await deliver(activityPOST(echo), to: makeAdapter(accountID: "3001969357", mode: .webhook))
        #expect(sent.envelopes.isEmpty)
    }

    @Test func eventsForAnotherSubscribedAccountAreIgnored() async throws {
        let result = try await deliver(
            activityPOST(accountActivityDM), to: makeAdapter(accountID: "1111111111", mode: .webhook))
        #expect(result.envelopes.isEmpty)
    }

    @Test func dmsOffMeansOnlyPosts() async throws {
        let http = fakeXAPI()
        http.answer(200, conversationLookup)
        let adapter = makeAdapter(http: http, accountID: "4337869213", mode: .webhook, dms: false)
        let result = try await deliver(activityPOST(accountActivityMentionAndDM), to: adapter)
        #expect(result.envelopes.map(\.visibility) == [.public])
    }

    @Test func anAuthenticButUnreadableBodyIs400() async throws {
        let adapter = makeAdapter(accountID: "4337869213", mode: .webhook)
        await #expect(throws: WebhookRequestError.self) { _ = try await deliver(activityPOST("[1, 2"), to: adapter) }
        let badAuthor = #"{"for_user_id": "4337869213", "tweet_create_events": [\#(v1Tweet(userID: "-5"))]}"#
        await #expect(throws: WebhookRequestError.self) { _ = try await deliver(activityPOST(badAuthor), to: adapter) }
    }

    @Test func routesAndPollSourcesFollowTheMode() {
        #expect(makeAdapter(mode: .polling).webhookRoutes.isEmpty)
        #expect(
            makeAdapter(mode: .polling, listen: ["Acme"]).pollSources == [
                .mentions, .directMessages, .listening("Acme"),
            ])
        #expect(makeAdapter(mode: .polling, dms: false).pollSources == [.mentions])
        let webhook = makeAdapter(mode: .webhook, listen: ["Acme"])
        #expect(webhook.webhookRoutes.map { "\($0.method) \($0.path)" } == ["GET /webhook", "POST /webhook"])
        #expect(webhook.pollSources == [.listening("Acme")])
    }
}
