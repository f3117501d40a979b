import Foundation
import SwitchboardAdapterKit
import SwitchboardAdapterTesting
import Testing

@testable import XAdapter

/// The X channel in webhook mode against the adapter contract (SwitchboardAdapterTesting's
/// conformance check), from the Account Activity fixtures and the error answers of XSendTests.
@Suite struct XConformanceTests {
    @Test func theXChannelConforms() async throws {
        let http = fakeXAPI()
        // The mention is filed under its conversation, looked up once per handling: the check
        // handles each authentic request twice (to compare the dedup keys).
        http.answer(200, conversationLookup)
        http.answer(200, conversationLookup)
        let otherSecret = XWebhookSecurity.sign(
            Array(accountActivityDM.utf8), consumerSecret: "another-secret-0123456789")
        let conformance = ConformanceCase(
            authentic: [activityPOST(accountActivityDM), activityPOST(accountActivityMentionAndDM)],
            forged: [
                activityPOST(accountActivityDM, signature: ""),
                activityPOST(
                    accountActivityDM, signature: "sha256=" + Data(repeating: 0, count: 32).base64EncodedString()),
                activityPOST(accountActivityDM, signature: otherSecret),
                activityPOST(
                    accountActivityMentionAndDM,
                    signature: XWebhookSecurity.sign(Array(accountActivityDM.utf8), consumerSecret: consumerSecret)),
            ],
            reply: OutboundMessage(
                messageID: "msg_1", conversationID: "con_1", channel: "x", to: try Address(parsing: "x:3001969357"),
                threadKey: "dm:3001969357", text: "Could you send us your order number?",
                inReplyTo: "dm:954491830116155396", visibility: .private, idempotencyKey: "key-1"),
            sendFailures: [
                (answer(429, "", headers: [("Retry-After", "7")]), .rateLimited),
                (answer(401, #"{"title":"Unauthorized","type":"about:blank","status":401}"#), .unauthorized),
                (answer(403, dmNotAllowedProblem), .invalidRecipient),
                (
                    answer(
                        403,
                        #"{"title":"Client Forbidden","detail":"This request must be made using an approved developer account.","type":"https://api.x.com/2/problems/client-forbidden"}"#
                    ), .unauthorized
                ),
                (answer(404, #"{"title":"Not Found Error","detail":"User not found"}"#), .invalidRecipient),
                (answer(400, invalidRequestProblem), .permanent),
                (answer(503, "<html>over capacity</html>"), .transient),
                (answer(201, #"{"data": {}}"#), .permanent),
            ],
            secrets: [accessToken, consumerSecret])
        let adapter = makeAdapter(http: http, accountID: "4337869213", mode: .webhook)
        let violations = await AdapterConformance.violations(of: adapter, channel: "x", http: http, case: conformance)
        #expect(violations == [])
    }

    /// An HTTP answer of the X API.
    func answer(_ status: Int, _ body: String, headers: [(name: String, value: String)] = []) -> HTTPClientResponse {
        HTTPClientResponse(status: status, headers: headers, body: Array(body.utf8))
    }
}
