import Foundation
import SwitchboardAdapterKit
import Testing

@testable import TelegramAdapter

/// The `settings:` block, decoded from JSON (the hub's YAML decoder hands the same keys).
@Suite struct TelegramConfigurationTests {
    func decode(_ fields: [String: Any]) throws -> TelegramConfiguration {
        try JSONDecoder().decode(TelegramConfiguration.self, from: JSONSerialization.data(withJSONObject: fields))
    }

    /// The key and message of the decoding error `fields` cause.
    func failure(_ fields: [String: Any]) -> (key: String, message: String)? {
        do {
            _ = try decode(fields)
        } catch DecodingError.dataCorrupted(let context) {
            return (context.codingPath.last?.stringValue ?? "", context.debugDescription)
        } catch {
            return ("?", "\(error)")
        }
        return nil
    }

    let webhook: [String: Any] = ["bot_token": botToken, "mode": "webhook", "secret_token": secretToken]
    let polling: [String: Any] = ["bot_token": botToken, "mode": "polling"]

    func with(_ base: [String: Any], _ changes: [String: Any?]) -> [String: Any] {
        var fields = base
        for (key, value) in changes { fields[key] = value }
        return fields
    }

    @Test func aWebhookChannelDecodesWithDefaults() throws {
        let configuration = try decode(webhook)
        #expect(configuration.mode == .webhook)
        #expect(configuration.botToken == botToken)
        #expect(configuration.secretToken == secretToken)
        #expect(configuration.apiBaseURL == "https://api.telegram.org")
        #expect(configuration.pollTimeout == .seconds(30))
        #expect(configuration.setWebhook == false)
    }

    @Test func aPollingChannelTakesItsTimeoutAndBaseURL() throws {
        let configuration = try decode(
            with(polling, ["poll_timeout": "50s", "api_base_url": "http://127.0.0.1:8081/"]))
        #expect(configuration.mode == .polling)
        #expect(configuration.pollTimeout == .seconds(50))
        #expect(configuration.apiBaseURL == "http://127.0.0.1:8081")
        #expect(configuration.secretToken == nil)
        #expect(try decode(with(webhook, ["set_webhook": true])).setWebhook)
    }

    @Test func theModeIsRequiredAndNamed() {
        for mode in [nil, "push", "Webhook"] as [String?] {
            let error = failure(with(polling, ["mode": mode]))
            #expect(error?.key == "mode")
            #expect(error?.message.contains("'webhook'") == true)
            #expect(error?.message.contains("'polling'") == true)
        }
    }

    @Test func aBadBotTokenIsRefusedWithoutRepeatingIt() {
        let wrong = [
            "", "123456", "ABC-DEF1234ghIkl-zyx57W2v1u123ew11", "abc:ABC-DEF1234ghIkl-zyx57W2v1u123ew11",
            "123456:short", "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11 ", "123456:ABC+DEF1234ghIkl/zyx57W2v1u123ew11",
        ]
        for token in wrong {
            let error = failure(with(polling, ["bot_token": token]))
            #expect(error?.key == "bot_token")
            #expect(error?.message.contains("@BotFather") == true)
            #expect(token.isEmpty || error?.message.contains(token) == false)
        }
        #expect(failure(with(polling, ["bot_token": nil]))?.key == "bot_token")
    }

    @Test func webhookModeNeedsAWellFormedSecretToken() {
        let missing = failure(with(webhook, ["secret_token": nil]))
        #expect(missing?.key == "secret_token")
        #expect(missing?.message.contains("mode: webhook") == true)
        for secret in ["", "has space", "semi;colon", "é", String(repeating: "a", count: 257)] {
            let error = failure(with(webhook, ["secret_token": secret]))
            #expect(error?.key == "secret_token")
            #expect(error?.message.contains("1 to 256") == true)
        }
        #expect(failure(with(webhook, ["secret_token": String(repeating: "a", count: 256)])) == nil)
        #expect(failure(with(webhook, ["secret_token": "a"])) == nil)
    }

    @Test func pollTimeoutIsWholeSecondsUpTo50() {
        for timeout in ["51s", "0s", "1500ms", "2m"] {
            let error = failure(with(polling, ["poll_timeout": timeout]))
            #expect(error?.key == "poll_timeout")
            #expect(error?.message.contains("50s") == true)
        }
        // Not a duration at all: DurationSetting's own message.
        #expect(failure(with(polling, ["poll_timeout": "soon"]))?.message.contains("30s") == true)
        #expect(failure(with(polling, ["poll_timeout": "1s"])) == nil)
    }

    @Test func setWebhookOnlyInWebhookModeAndTheBaseURLIsHTTP() {
        let error = failure(with(polling, ["set_webhook": true]))
        #expect(error?.key == "set_webhook")
        #expect(error?.message.contains("mode: webhook") == true)
        #expect(failure(with(polling, ["api_base_url": "api.telegram.org"]))?.key == "api_base_url")
    }
}
