import Foundation
import SwitchboardAdapterKit
import SwitchboardAdapterTesting
import Testing

@testable import MetaAdapter

/// The three Meta channels against the adapter contract (SwitchboardAdapterTesting's conformance
/// check), each fed the plugin's documented payloads, signed by Meta's rule and forged, and Graph
/// error answers in the documented shape (https://developers.facebook.com/docs/graph-api/guides/error-handling).
@Suite struct MetaConformanceTests {
    /// The configuration's secrets: none may show in a refusal or a send error.
    let secrets = [appSecret, accessToken, verifyToken]

    /// What a forger could send instead of `json`: an all-zero signature, one under another app's
    /// secret, a bare hex digest without `sha256=`, and no signature header at all.
    func forgeries(of json: String) -> [WebhookRequest] {
        var unsigned = signedPost(json)
        unsigned.headers.removeAll { $0.name == MetaWebhookSignature.header }
        return [
            signedPost(json, signature: "sha256=" + String(repeating: "0", count: 64)),
            signedPost(json, secret: "another-app-secret-0123456789"),
            signedPost(json, signature: HMACSignature.sha256Hex(secret: appSecret, body: Array(json.utf8))),
            unsigned,
        ]
    }

    /// A Graph API error answer: `{"error":{"message","type","code","error_subcode","fbtrace_id"}}`.
    func graphError(
        _ status: Int, code: Int, subcode: Int? = nil, message: String = "Meta says no",
        headers: [(name: String, value: String)] = []
    ) -> HTTPClientResponse {
        let json =
            #"{"error":{"message":"\#(message)","type":"OAuthException","code":\#(code)"#
            + (subcode.map { #","error_subcode":\#($0)"# } ?? "") + #","fbtrace_id":"Az8or2yhqkZfEZ-_4Qn_Bam"}}"#
        return HTTPClientResponse(status: status, headers: headers, body: Array(json.utf8))
    }

    /// The answers every Graph send may get, whatever the channel: throttling, Meta-side faults
    /// (with and without a JSON body), a refused token (whose message quotes the token) and a
    /// missing permission.
    var commonFailures: [(answer: HTTPClientResponse, expected: SendError.Code)] {
        [
            (graphError(429, code: 4, headers: [("Retry-After", "30")]), .rateLimited),
            (graphError(400, code: 613), .rateLimited),
            (graphError(500, code: 1), .transient),
            (graphError(503, code: 2), .transient),
            (HTTPClientResponse(status: 502, body: Array("<html>Bad Gateway</html>".utf8)), .transient),
            (
                graphError(
                    401, code: 190, message: "Invalid OAuth access token - Cannot parse access token \(accessToken)"),
                .unauthorized
            ),
            (graphError(403, code: 200), .unauthorized),
            (HTTPClientResponse(status: 400, body: Array("{}".utf8)), .permanent),
        ]
    }

    @Test func whatsAppConforms() async throws {
        let http = RecordingHTTPClient()
        let payloads = [
            whatsappText, whatsappTextWithBSUID, whatsappUsernameUser, whatsappMedia, whatsappLocation,
            whatsappInteractive, whatsappReactionAndUnsupported, whatsappStatuses, whatsappTwoNumbers,
        ]
        let reply = OutboundMessage(
            messageID: "msg_1", conversationID: "con_1", channel: "whatsapp",
            to: try Address(parsing: "whatsapp:+16505551234"), threadKey: "whatsapp:+16505551234",
            text: "Yes, in blue", inReplyTo: "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=",
            idempotencyKey: "sb-msg_1", lastInboundAt: Date().addingTimeInterval(-600))
        let conformance = ConformanceCase(
            authentic: payloads.map { signedPost($0) },
            forged: [whatsappText, whatsappStatuses].flatMap(forgeries(of:)),
            reply: reply,
            sendFailures: commonFailures + [
                (graphError(400, code: 130429), .rateLimited),
                (graphError(500, code: 131000), .transient),
                (graphError(400, code: 131047, message: "Re-engagement message"), .permanent),
                (graphError(400, code: 132001), .permanent),
                (graphError(400, code: 131026), .invalidRecipient),
            ],
            secrets: secrets)
        let violations = await AdapterConformance.violations(
            of: whatsApp(http: http), channel: "whatsapp", http: http, case: conformance)
        #expect(violations == [])
    }

    @Test func messengerConforms() async throws {
        let http = RecordingHTTPClient()
        let payloads = [messengerText, messengerVariants, messengerEmailQuickReply, messengerDeliveryAndRead]
        let reply = try outbound(to: "messenger:\(pageID)/5551234567890123", channel: "messenger")
        let conformance = ConformanceCase(
            authentic: payloads.map { signedPost($0) },
            // Meta echoes the Page's own sends: recognised and not imported.
            ignored: [signedPost(messengerEcho)],
            forged: [messengerText, messengerDeliveryAndRead].flatMap(forgeries(of:)),
            reply: reply,
            sendFailures: commonFailures + [
                (graphError(400, code: 10, subcode: 2_018_278), .permanent),
                (graphError(400, code: 100, subcode: 2_018_001), .invalidRecipient),
                (graphError(400, code: 551), .invalidRecipient),
            ],
            secrets: secrets)
        let violations = await AdapterConformance.violations(
            of: messenger(http: http), channel: "messenger", http: http, case: conformance)
        #expect(violations == [])
    }

    @Test func instagramConforms() async throws {
        let http = RecordingHTTPClient()
        let payloads = [instagramMessages, instagramComments]
        let reply = try outbound(to: "instagram:\(igAccountID)/6661234567890123", channel: "instagram")
        let conformance = ConformanceCase(
            authentic: payloads.map { signedPost($0) },
            forged: payloads.flatMap(forgeries(of:)),
            reply: reply,
            sendFailures: commonFailures + [
                (graphError(400, code: 10, subcode: 2_534_022), .permanent),
                (graphError(400, code: 100, subcode: 2_018_001), .invalidRecipient),
            ],
            secrets: secrets)
        let violations = await AdapterConformance.violations(
            of: instagram(http: http), channel: "instagram", http: http, case: conformance)
        #expect(violations == [])
    }
}
