import Foundation
import SwitchboardAdapterKit
import SwitchboardAdapterTesting
import Testing

@testable import TelegramAdapter

/// The Telegram channel in webhook mode against the adapter contract (SwitchboardAdapterTesting's
/// conformance check), from the Bot API fixtures and the error answers of TelegramSendTests.
@Suite struct TelegramConformanceTests {
    @Test func theTelegramChannelConforms() async throws {
        let http = fakeTelegramAPI()
        let conformance = ConformanceCase(
            authentic: [privateText, supergroupMessage, groupMessage, photoWithCaption, editedText].map {
                telegramRequest($0)
            },
            forged: [
                telegramRequest(privateText, secret: nil), telegramRequest(privateText, secret: ""),
                telegramRequest(privateText, secret: "wrong"), telegramRequest(privateText, secret: secretToken + "x"),
                telegramRequest(privateText, secret: secretToken.uppercased()),
            ],
            reply: try outbound(inReplyTo: "1111111:1368"),
            sendFailures: [
                (
                    answer(
                        429, errorAnswer(429, "Too Many Requests: retry after 7", parameters: #"{"retry_after": 7}"#)),
                    .rateLimited
                ),
                (answer(403, errorAnswer(403, "Forbidden: bot was blocked by the user")), .invalidRecipient),
                (answer(400, errorAnswer(400, "Bad Request: chat not found")), .invalidRecipient),
                (answer(401, errorAnswer(401, "Unauthorized")), .unauthorized),
                (
                    answer(502, "<html><body>502 Bad Gateway for POST /bot\(botToken)/sendMessage</body></html>"),
                    .transient
                ),
            ],
            secrets: [botToken, secretToken])
        let violations = await AdapterConformance.violations(
            of: makeAdapter(mode: .webhook, http: http), channel: "telegram", http: http, case: conformance)
        #expect(violations == [])
    }

    /// An HTTP answer of the Bot API.
    func answer(_ status: Int, _ body: String) -> HTTPClientResponse {
        HTTPClientResponse(status: status, body: Array(body.utf8))
    }
}
