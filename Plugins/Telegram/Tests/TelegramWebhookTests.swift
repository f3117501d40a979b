import Foundation
import SwitchboardAdapterKit
import SwitchboardAdapterTesting
import Synchronization
import Testing

@testable import TelegramAdapter

/// The secret-token check of https://core.telegram.org/bots/api#setwebhook: Telegram sends
/// `X-Telegram-Bot-Api-Secret-Token` with the setWebhook `secret_token` in every request.
@Suite struct TelegramWebhookTests {
    @Test func theRouteExistsOnlyInWebhookMode() {
        let routes = makeAdapter(mode: .webhook).webhookRoutes
        #expect(routes.map(\.path) == ["/update"])
        #expect(routes.map(\.method) == ["POST"])
        #expect(makeAdapter(mode: .polling).webhookRoutes.isEmpty)
    }

    @Test func theRightSecretPassesWhateverTheHeaderCase() throws {
        let route = try requireRoute(makeAdapter(mode: .webhook))
        try route.verify(telegramRequest(privateText))
        var lowerCased = telegramRequest(privateText, secret: nil)
        lowerCased.headers.append(("x-telegram-bot-api-secret-token", secretToken))
        try route.verify(lowerCased)
    }

    @Test func aMissingOrWrongSecretIs403AndNeverEchoesTheSecret() throws {
        let route = try requireRoute(makeAdapter(mode: .webhook))
        for secret in [nil, "", "wrong", secretToken + "x", String(secretToken.dropLast()), secretToken.uppercased()] {
            do {
                try route.verify(telegramRequest(privateText, secret: secret))
                Issue.record("accepted secret \(secret ?? "nil")")
            } catch {
                #expect(error.status == 403)
                #expect(error.message.contains("X-Telegram-Bot-Api-Secret-Token"))
                #expect(!error.message.contains(secretToken))
                #expect(!error.message.contains(botToken))
            }
        }
        // The secret is not accepted in the URL either.
        var inQuery = telegramRequest(privateText, secret: nil)
        inQuery.query = [("secret_token", secretToken)]
        #expect(throws: WebhookAuthError.self) { try route.verify(inQuery) }
    }

    @Test func setWebhookAtStartRegistersOurURLSecretAndUpdateTypes() async throws {
        let http = fakeTelegramAPI()
        http.answer(200, #"{"ok": true, "result": true, "description": "Webhook was set"}"#)
        let logs = LogRecorder()
        let adapter = makeAdapter(mode: .webhook, http: http, setWebhook: true, logs: logs)
        let running = Task { try await adapter.run() }
        try await waitUntil { http.requests.withLock { !$0.isEmpty } }
        running.cancel()
        _ = await running.result
        let requests = http.requests.withLock { $0 }
        #expect(requests.count == 1)
        let request = try #require(requests.first)
        #expect(request.method == "POST")
        #expect(request.url == "\(apiBase)/bot\(botToken)/setWebhook")
        let body = jsonBody(request)
        #expect(body["url"] as? String == "http://127.0.0.1:8080/webhooks/telegram/update")
        #expect(body["secret_token"] as? String == secretToken)
        #expect(body["allowed_updates"] as? [String] == ["message", "edited_message"])
        #expect(logs.text.contains("Telegram webhook set"))
        #expect(!logs.text.contains(botToken))
    }

    @Test func aFailedSetWebhookIsLoggedClearlyWithoutTheToken() async throws {
        let http = fakeTelegramAPI()
        http.answer(400, errorAnswer(400, "Bad Request: bad webhook: HTTPS url must be provided for webhook"))
        let logs = LogRecorder()
        let adapter = makeAdapter(mode: .webhook, http: http, setWebhook: true, logs: logs)
        let failure = await TelegramWebhook.register(
            url: adapter.webhookURL, secretToken: secretToken, api: adapter.api, logger: logs.logger())
        #expect(failure?.code == 400)
        #expect(logs.text.contains("setWebhook failed"))
        #expect(logs.text.contains("HTTPS url must be provided"))
        #expect(!logs.text.contains(botToken))
        #expect(!logs.text.contains(secretToken))
    }

    @Test func withoutSetWebhookNothingIsCalled() async throws {
        let http = fakeTelegramAPI()
        let adapter = makeAdapter(mode: .webhook, http: http)
        let running = Task { try await adapter.run() }
        try await Task.sleep(for: .milliseconds(50))
        running.cancel()
        _ = await running.result
        #expect(http.requests.withLock { $0.isEmpty })
    }
}

/// A condition never held, or an expected failure never came.
struct TimedOut: Error {}

/// Waits (up to two seconds) until `condition` holds.
func waitUntil(_ condition: @Sendable () -> Bool) async throws {
    for _ in 0..<400 {
        if condition() { return }
        try await Task.sleep(for: .milliseconds(5))
    }
    throw TimedOut()
}
