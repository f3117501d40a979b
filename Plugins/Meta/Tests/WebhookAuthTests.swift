import Foundation
import SwitchboardAdapterKit
import Testing

@testable import MetaAdapter

/// The handshake and the `X-Hub-Signature-256` check, shared by all three channels.
@Suite struct WebhookAuthTests {
    func handshake(mode: String? = "subscribe", token: String? = verifyToken, challenge: String? = "1158201444")
        -> WebhookRequest
    {
        var query: [(name: String, value: String)] = []
        if let mode { query.append(("hub.mode", mode)) }
        if let challenge { query.append(("hub.challenge", challenge)) }
        if let token { query.append(("hub.verify_token", token)) }
        return WebhookRequest(method: "GET", path: "/webhook", query: query)
    }

    @Test func handshakeEchoesTheChallengeAsPlainText() async throws {
        for routes in [whatsApp().webhookRoutes, messenger().webhookRoutes, instagram().webhookRoutes] {
            let result = try await deliver(handshake(), to: routes)
            let response = try #require(result.response)
            #expect(response.status == 200)
            #expect(response.contentType == "text/plain")
            #expect(String(decoding: response.body, as: UTF8.self) == "1158201444")
            #expect(result.envelopes.isEmpty)
        }
    }

    @Test func handshakeWithWrongTokenOrModeIsRefused() async throws {
        let routes = whatsApp().webhookRoutes
        for request in [
            handshake(token: "wrong-token-123"), handshake(token: nil), handshake(token: verifyToken + "x"),
            handshake(mode: "unsubscribe"), handshake(mode: nil), handshake(challenge: nil),
        ] {
            do {
                _ = try await deliver(request, to: routes)
                Issue.record("a handshake without our verify token was answered")
            } catch let error as WebhookAuthError {
                #expect(error.status == 403)
                #expect(!error.message.contains(verifyToken))
            }
        }
    }

    @Test func rightSignatureIsAccepted() async throws {
        let result = try await deliver(signedPost(whatsappText), to: whatsApp().webhookRoutes)
        #expect(result.envelopes.count == 1)
    }

    @Test func wrongMissingOrReserialisedSignaturesAreRefusedAndNothingIsStored() async throws {
        let good = signedPost(whatsappText)
        var missing = good
        missing.headers.removeAll { $0.name == "X-Hub-Signature-256" }
        var tampered = good
        tampered.body = Array(whatsappText.replacingOccurrences(of: "another color", with: "a refund").utf8)
        // The same JSON, parsed and written again (other spacing and escaping), under the original signature.
        var reserialised = good
        let object = try JSONSerialization.jsonObject(with: Data(whatsappText.utf8))
        reserialised.body = Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
        #expect(reserialised.body != good.body)
        let noPrefix = signedPost(
            whatsappText, signature: HMACSignature.sha256Hex(secret: appSecret, body: Array(whatsappText.utf8)))
        let requests = [
            signedPost(whatsappText, secret: "another-app-secret-0123456789"), missing, tampered, reserialised,
            noPrefix,
            signedPost(whatsappText, signature: "sha256="),
        ]
        for routes in [whatsApp().webhookRoutes, messenger().webhookRoutes, instagram().webhookRoutes] {
            for request in requests {
                var stored: [InboundEnvelope] = []
                do {
                    stored = try await deliver(request, to: routes).envelopes
                    Issue.record("a request with a wrong signature was accepted")
                } catch let error as WebhookAuthError {
                    #expect(error.status == 403)
                    #expect(!error.message.contains(appSecret))
                }
                #expect(stored.isEmpty)
            }
        }
    }

    @Test func signatureHexIsComparedCaseInsensitively() async throws {
        let body = Array(whatsappText.utf8)
        let upper = "sha256=" + HMACSignature.sha256Hex(secret: appSecret, body: body).uppercased()
        let result = try await deliver(signedPost(whatsappText, signature: upper), to: whatsApp().webhookRoutes)
        #expect(result.envelopes.count == 1)
    }

    @Test func authenticButUnreadableBodiesAre400() async throws {
        for body in ["not json", #"{"object":"page","entry":[]}"#] {
            await #expect(throws: WebhookRequestError.self) {
                _ = try await deliver(signedPost(body), to: whatsApp().webhookRoutes)
            }
        }
        await #expect(throws: WebhookRequestError.self) {
            _ = try await deliver(signedPost(whatsappText), to: messenger().webhookRoutes)
        }
    }
}
