import Foundation
import SwitchboardAdapterKit
import SwitchboardAdapterTesting
import Testing

@testable import MatrixAdapter

/// The Matrix channel against the adapter contract (SwitchboardAdapterTesting's conformance
/// check). Matrix has no webhook routes (the adapter syncs), so only the send side is checked,
/// with the standard error responses of MatrixSendTests.
@Suite struct MatrixConformanceTests {
    @Test func theMatrixChannelConforms() async throws {
        let harness = MatrixHarness()
        #expect(harness.adapter.webhookRoutes.isEmpty)
        let conformance = ConformanceCase(
            reply: try outbound(inReplyTo: "$143273582443PhrSn:example.org"),
            sendFailures: [
                (
                    answer(
                        429, #"{"errcode": "M_LIMIT_EXCEEDED", "error": "Too many requests", "retry_after_ms": 2000}"#),
                    .rateLimited
                ),
                (
                    answer(401, #"{"errcode": "M_UNKNOWN_TOKEN", "error": "Invalid access token passed."}"#),
                    .unauthorized
                ),
                (
                    answer(
                        403,
                        #"{"errcode": "M_FORBIDDEN", "error": "User @hub:example.org not in room !726s6s6q:example.com"}"#
                    ),
                    .permanent
                ),
                (answer(404, #"{"errcode": "M_NOT_FOUND", "error": "Unknown room"}"#), .invalidRecipient),
                (answer(502, "<html>Bad Gateway</html>"), .transient),
            ],
            secrets: [accessToken])
        let violations = await AdapterConformance.violations(
            of: harness.adapter, channel: "matrix", http: harness.http, case: conformance)
        #expect(violations == [])
    }

    /// An HTTP answer of the homeserver.
    func answer(_ status: Int, _ body: String) -> HTTPClientResponse {
        HTTPClientResponse(status: status, body: Array(body.utf8))
    }
}
