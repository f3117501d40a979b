import Foundation
import SwitchboardAdapterKit
import SwitchboardCurl
import Synchronization
import Testing

/// Telegram in a running hub, against a local stand-in of the Bot API that behaves as Telegram
/// documents it (https://core.telegram.org/bots/api#getupdates: updates are kept until a call's
/// `offset` is above their `update_id`). Webhook mode checks the secret header; polling mode
/// survives a restart with nothing lost or repeated; edits update the stored message.
@Suite(.serialized) struct TelegramEndToEndTests {
    /// The Bot API's own example token (https://core.telegram.org/bots/api#authorizing-your-bot).
    static let botToken = "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11"
    static let secret = "e2e_telegram-secret-0123456789"

    /// The Bot API: `getUpdates` from a queue the test fills, `sendMessage` accepted with new ids.
    final class BotAPI: Sendable {
        let updates = Mutex<[(id: Int, json: String)]>([])
        let sent = Mutex(0)

        func add(_ id: Int, _ json: String) { updates.withLock { $0.append((id, json)) } }

        var standIn: StandIn {
            StandIn { request in
                if request.path.hasSuffix("/getUpdates") {
                    let offset = (try? request.json())?["offset"] as? Int ?? 0
                    let due = self.updates.withLock { $0.filter { $0.id >= offset } }
                    // A long poll with nothing new waits before answering, as Telegram does.
                    return .init(
                        status: 200, body: #"{"ok":true,"result":[\#(due.map(\.json).joined(separator: ","))]}"#,
                        delay: due.isEmpty ? .milliseconds(300) : .zero)
                }
                if request.path.hasSuffix("/sendMessage") {
                    let number = self.sent.withLock { value in
                        value += 1
                        return value
                    }
                    let chat = (try? request.json())?["chat_id"] as? Int ?? 0
                    return .init(
                        status: 200,
                        body: #"{"ok":true,"result":{"message_id":\#(9000 + number),"date":1700000000,"#
                            + #""chat":{"id":\#(chat),"type":"private"},"text":"ok"}}"#)
                }
                return .init(status: 404, body: #"{"ok":false,"error_code":404,"description":"Not Found"}"#)
            }
        }
    }

    /// A private text message (https://core.telegram.org/bots/api#update, #message, #user, #chat).
    static func message(_ update: Int, id: Int, text: String, date: Int = 1_700_000_000, edited: Int? = nil) -> String {
        let from = #"{"id":1111111,"is_bot":false,"first_name":"Ana","last_name":"Silva","language_code":"pt-BR"}"#
        let chat = #"{"id":1111111,"type":"private","first_name":"Ana","last_name":"Silva"}"#
        let key = edited == nil ? "message" : "edited_message"
        let edit = edited.map { #","edit_date":\#($0)"# } ?? ""
        return #"{"update_id":\#(update),"\#(key)":{"message_id":\#(id),"from":\#(from),"chat":\#(chat),"#
            + #""date":\#(date)\#(edit),"text":"\#(text)"}}"#
    }

    static func channel(mode: String, api: String) -> String {
        """
          - id: tg
            type: telegram
            settings:
              bot_token: "\(botToken)"
              mode: \(mode)
              secret_token: \(secret)
              api_base_url: \(api)
              poll_timeout: 1s
        """
    }

    @Test func webhookModeChecksTheSecretHeaderAppliesEditsAndRepliesToTheMessage() async throws {
        let api = BotAPI()
        let standIn = api.standIn
        try await standIn.run { apiURL in
            let hub = try await HubProcess.start(channelsYAML: Self.channel(mode: "webhook", api: apiURL))
            defer { Task { await hub.stop() } }
            let update = Self.message(500, id: 1365, text: "Bonjour, my order?")
            func post(_ body: String, secret: String?) async throws -> HTTPClientResponse {
                var headers: [(name: String, value: String)] = [("Content-Type", "application/json")]
                if let secret { headers.append(("X-Telegram-Bot-Api-Secret-Token", secret)) }
                return try await hub.request("POST", "/webhooks/tg/update", headers: headers, body: body)
            }
            for wrong in [nil, "wrong", Self.secret + "x", ""] as [String?] {
                let response = try await post(update, secret: wrong)
                #expect(response.status == 403, "secret \(String(describing: wrong))")
                #expect(!response.text.contains(Self.secret))
            }
            #expect(try hub.cli(["customers", "show", "telegram:1111111"]).status != 0, "nothing stored")
            #expect(try await post(update, secret: Self.secret).status == 200)
            #expect(try await post(update, secret: Self.secret).status == 200, "a redelivery is fine")
            #expect(try timelineTexts(hub, "telegram:1111111") == ["Bonjour, my order?"])

            let edit = Self.message(501, id: 1365, text: "Bonjour, where is order 42?", edited: 1_700_000_400)
            #expect(try await post(edit, secret: Self.secret).status == 200)
            #expect(
                try timelineTexts(hub, "telegram:1111111") == ["Bonjour, where is order 42?"],
                "the edit replaced the text, once")

            let conversation = try #require(try conversations(hub, "telegram:1111111").first?["id"] as? String)
            let reply = try hub.cli(["reply", conversation, "--text", "It ships today", "--json"])
            let replyID = try #require((try jsonObject(reply.output) as? [String: Any])?["id"] as? String)
            #expect(try await eventually { try await deliveryStatus(hub, conversation, replyID) == "sent" })
            let sent = try #require(standIn.requests(to: "/bot\(Self.botToken)/sendMessage").first).json()
            #expect(sent["chat_id"] as? Int == 1_111_111)
            #expect(sent["text"] as? String == "It ships today")
            #expect((sent["reply_parameters"] as? [String: Any])?["message_id"] as? Int == 1365)
            #expect(!hub.log.contains(Self.botToken) && !hub.log.contains(Self.secret))
            await hub.stop()
        }
    }

    @Test func pollingModeNeitherLosesNorRepeatsAcrossARestart() async throws {
        let api = BotAPI()
        let standIn = api.standIn
        try await standIn.run { apiURL in
            for number in 1...3 {
                api.add(700 + number, Self.message(700 + number, id: number, text: "before \(number)"))
            }
            let hub = try await HubProcess.start(channelsYAML: Self.channel(mode: "polling", api: apiURL))
            do {
                #expect(try await eventually { try timelineTexts(hub, "telegram:1111111").count == 3 })
            } catch {
                await hub.stop()
                throw error
            }
            await hub.stop(keepingData: true)

            // While the hub is down the customer writes more; Telegram keeps what was not confirmed.
            for number in 4...6 {
                api.add(700 + number, Self.message(700 + number, id: number, text: "meanwhile \(number)"))
            }
            let callsBefore = standIn.requests(to: "/getUpdates").count
            let again = try await HubProcess.start(
                channelsYAML: Self.channel(mode: "polling", api: apiURL), directory: hub.directory)
            defer { Task { await again.stop() } }
            #expect(try await eventually { try timelineTexts(again, "telegram:1111111").count == 6 })
            // Give the poller a few more rounds: nothing may be imported twice.
            try await Task.sleep(for: .seconds(2))
            let texts = try timelineTexts(again, "telegram:1111111")
            #expect(texts.count == 6, "\(texts)")
            #expect(Set(texts) == Set((1...3).map { "before \($0)" } + (4...6).map { "meanwhile \($0)" }))
            let firstAfterRestart = try #require(standIn.requests(to: "/getUpdates").dropFirst(callsBefore).first)
            let offset = try firstAfterRestart.json()["offset"] as? Int
            #expect(
                offset.map { $0 >= 704 } == true,
                "the restart started from the stored offset, got \(String(describing: offset))")
            await again.stop()
        }
    }
}
