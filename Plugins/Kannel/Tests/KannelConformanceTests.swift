import Foundation
import SwitchboardAdapterKit
import SwitchboardAdapterTesting
import Testing

@testable import KannelAdapter

/// The Kannel channel against the adapter contract (SwitchboardAdapterTesting's conformance check),
/// from the get-url and dlr-url requests of KannelAdapterTests.swift.
struct KannelConformanceTests {
    @Test func theKannelChannelConforms() async throws {
        let http = fakeSendsms()
        let inbound =
            "from=%2B33612345678&to=12345&text=Bonjour+commande+42&charset=UTF-8&coding=0&time=1795425615"
            + "&id=0b7c1f2e-5a3d-4c1b-9e2f-111111111111&smsc=fake1"
        let conformance = ConformanceCase(
            authentic: [
                moRequest(inbound),
                WebhookRequest(method: "GET", path: "/dlr", rawQuery: "secret=\(secret)&id=msg_7&status=1&answer="),
                WebhookRequest(
                    method: "GET", path: "/dlr", rawQuery: "secret=\(secret)&id=msg_7&status=16&answer=NACK%2Fno+SMSC"),
            ],
            forged: [
                moRequest(inbound, secret: "not-the-secret-0123456789"),
                WebhookRequest(method: "GET", path: "/inbound", rawQuery: inbound),
                WebhookRequest(method: "GET", path: "/dlr", rawQuery: "secret=&id=msg_7&status=1&answer="),
                WebhookRequest(method: "GET", path: "/dlr", rawQuery: "id=msg_7&status=1&answer="),
            ],
            reply: try message("Votre commande est partie"),
            sendFailures: [
                (HTTPClientResponse(status: 403, body: Array("Authorization failed for sendsms".utf8)), .unauthorized),
                (HTTPClientResponse(status: 503, body: Array("Bearerbox not available".utf8)), .transient),
                (HTTPClientResponse(status: 400, body: Array("Invalid destination number".utf8)), .permanent),
            ],
            secrets: [secret, "sendsms-password"])
        let violations = await AdapterConformance.violations(
            of: makeAdapter(http: http), channel: "kannel", http: http, case: conformance)
        #expect(violations == [])
    }
}
