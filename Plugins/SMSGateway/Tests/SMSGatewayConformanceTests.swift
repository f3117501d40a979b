import Foundation
import SwitchboardAdapterKit
import SwitchboardAdapterTesting
import Testing

@testable import SMSGatewayAdapter

/// The configurable SMS channel against the adapter contract (SwitchboardAdapterTesting's
/// conformance check), with the JSON provider and the requests of SMSGatewayAdapterTests.swift.
struct SMSGatewayConformanceTests {
    @Test func theSMSGatewayChannelConforms() async throws {
        let http = fakeProvider()
        let batch = """
            {"messages": [
              {"id": "p-1", "sender": {"msisdn": "06 12 34 56 78"}, "recipient": "+33700000000",
               "content": {"text": "Bonjour"}, "ts": 1795425615},
              {"id": "p-2", "sender": {"msisdn": "+33612345678"}, "content": {"text": "encore"}, "ts": "2026-11-23T10:00:00Z"}
            ]}
            """
        let report = #"{"ref": "prov-1", "state": "DELIVRD", "error": ""}"#
        var unsigned = signed("/inbound", batch)
        unsigned.headers.removeAll { $0.name == "X-Signature" }
        let otherSecret =
            "sha256=" + HMACSignature.sha256Hex(secret: "another-secret-0123456789", body: Array(batch.utf8))
        let reply = OutboundMessage(
            messageID: "msg_9", conversationID: "con_1", channel: "acme", to: try Address(parsing: "tel:+33612345678"),
            threadKey: "t", text: "Votre commande est partie", idempotencyKey: "key-9")
        let conformance = ConformanceCase(
            authentic: [signed("/inbound", batch), signed("/status", report)],
            forged: [
                signed("/inbound", batch, signature: "sha256=" + String(repeating: "0", count: 64)),
                signed("/inbound", batch, signature: otherSecret),
                signed("/status", report, signature: "sha256=00"),
                unsigned,
            ],
            reply: reply,
            sendFailures: [
                (HTTPClientResponse(status: 429, body: Array("slow down".utf8)), .rateLimited),
                (HTTPClientResponse(status: 503, body: Array("down".utf8)), .transient),
                (HTTPClientResponse(status: 401, body: Array("no".utf8)), .unauthorized),
                (HTTPClientResponse(status: 422, body: Array("bad number".utf8)), .permanent),
                (HTTPClientResponse(status: 200, body: Array("{}".utf8)), .permanent),
            ],
            secrets: [hmacSecret, "outbound-token-0123456789"])
        let violations = await AdapterConformance.violations(
            of: try makeAdapter(http: http), channel: "acme", http: http, case: conformance)
        #expect(violations == [])
    }
}
