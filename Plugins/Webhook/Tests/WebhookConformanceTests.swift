import Foundation
import SwitchboardAdapterKit
import SwitchboardAdapterTesting
import Testing

@testable import WebhookAdapter

/// The webhook channel against the adapter contract (SwitchboardAdapterTesting's conformance check).
struct WebhookConformanceTests {
    @Test func theWebhookChannelConforms() async throws {
        let http = RecordingHTTPClient()
        let message =
            #"{"id":"order-7-1","from":"email:Ana@Example.COM","name":"Ana","text":"Where is my order?","thread":"order-7"}"#
        let status = #"{"id":"ext-1","status":"delivered"}"#
        let reply = OutboundMessage(
            messageID: "msg_1", conversationID: "con_1", channel: "shop",
            to: try Address(parsing: "email:ana@example.com"),
            threadKey: "order-7", text: "It ships today", idempotencyKey: "sb-msg_1")
        let conformance = ConformanceCase(
            authentic: [signed(message), signed(status, path: "/status")],
            forged: [
                signed(message, signature: "sha256=" + String(repeating: "0", count: 64)),
                signed(
                    message,
                    signature: "sha256="
                        + HMACSignature.sha256Hex(secret: "another-secret-0123", body: Array(message.utf8))),
            ],
            reply: reply,
            sendFailures: [
                (HTTPClientResponse(status: 503), .transient), (HTTPClientResponse(status: 429), .rateLimited),
                (HTTPClientResponse(status: 401), .unauthorized), (HTTPClientResponse(status: 400), .permanent),
            ],
            secrets: [secret])
        let violations = await AdapterConformance.violations(
            of: adapter(http: http), channel: "shop", http: http, case: conformance)
        #expect(violations == [])
    }
}
