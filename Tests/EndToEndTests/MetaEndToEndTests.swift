import Crypto
import Foundation
import SwitchboardAdapterKit
import SwitchboardCurl
import Testing

/// The Meta channels (WhatsApp Cloud, Messenger, Instagram) in a running hub: the subscription
/// handshake, `X-Hub-Signature-256` on the raw body, documented payloads becoming customers and
/// messages, status webhooks, the 24-hour window and template sends against a local stand-in of
/// the Graph API. Payloads are Meta's documented examples (sources in `MetaPayloads`).
@Suite(.serialized) struct MetaEndToEndTests {
    static let appSecret = "e2e-meta-app-secret-0123456789"
    static let verifyToken = "e2e-verify-token-abc"
    static let accessToken = "EAAe2eGraphAccessToken0123456789"

    static func channels(graph: String) -> String {
        """
          - id: wa
            type: whatsapp
            settings:
              app_secret: \(appSecret)
              verify_token: \(verifyToken)
              access_token: \(accessToken)
              phone_number_id: "106540352242922"
              graph_base_url: \(graph)
          - id: fb
            type: messenger
            settings:
              app_secret: \(appSecret)
              verify_token: \(verifyToken)
              access_token: \(accessToken)
              page_id: "1234567890"
              graph_base_url: \(graph)
          - id: ig
            type: instagram
            settings:
              app_secret: \(appSecret)
              verify_token: \(verifyToken)
              access_token: \(accessToken)
              instagram_account_id: "17841400000000001"
              graph_base_url: \(graph)
        """
    }

    /// The Graph API: every send is accepted with a new wamid / mid.
    static func graph() -> StandIn {
        StandIn { request in
            if request.path.hasSuffix("/messages") {
                // The Cloud API's answer (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages),
                // with Messenger's `message_id` beside it so one stand-in serves both.
                let id = UUID().uuidString.prefix(8)
                return .init(
                    status: 200,
                    body:
                        #"{"messaging_product":"whatsapp","contacts":[{"input":"16505551234","wa_id":"16505551234"}],"#
                        + #""messages":[{"id":"wamid.OUT\#(id)"}],"recipient_id":"5551234567890123","#
                        + #""message_id":"m_OUT\#(id)"}"#)
            }
            return .init(status: 404, body: #"{"error":{"message":"unknown path","type":"OAuthException","code":803}}"#)
        }
    }

    static func signature(_ body: String, secret: String = appSecret) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(body.utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    func post(_ hub: HubProcess, _ channel: String, _ body: String, signature: String?) async throws
        -> HTTPClientResponse
    {
        var headers: [(name: String, value: String)] = [("Content-Type", "application/json")]
        if let signature { headers.append(("X-Hub-Signature-256", signature)) }
        return try await hub.request("POST", "/webhooks/\(channel)/webhook", headers: headers, body: body)
    }

    func customerCount(_ hub: HubProcess) throws -> Int {
        let list = try hub.cli(["customers", "list", "--json"])
        return try items(list.output).count
    }

    func conversationID(_ hub: HubProcess, _ address: String) throws -> String {
        try #require(try conversations(hub, address).first?["id"] as? String, "no conversation for \(address)")
    }

    @Test func theHandshakeAnswersTheChallengeOnlyToTheRightVerifyToken() async throws {
        try await Self.graph().run { graph in
            let hub = try await HubProcess.start(channelsYAML: Self.channels(graph: graph))
            defer { Task { await hub.stop() } }
            let query = "hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token="
            let right = try await hub.request("GET", "/webhooks/wa/webhook?" + query + Self.verifyToken)
            #expect(right.status == 200)
            #expect(right.text == "1158201444")
            for wrong in ["nope", "", Self.verifyToken + "x"] {
                let refused = try await hub.request("GET", "/webhooks/wa/webhook?" + query + wrong)
                #expect(refused.status == 403, "verify token '\(wrong)'")
                #expect(!refused.text.contains("1158201444"))
            }
            await hub.stop()
        }
    }

    @Test func wrongOrMissingSignaturesAreRefusedAndNothingIsStored() async throws {
        try await Self.graph().run { graph in
            let hub = try await HubProcess.start(channelsYAML: Self.channels(graph: graph))
            defer { Task { await hub.stop() } }
            let body = MetaPayloads.whatsappText
            let reserialised = String(
                decoding: try JSONSerialization.data(withJSONObject: try jsonObject(body), options: [.sortedKeys]),
                as: UTF8.self)
            let attempts: [(String, String?)] = [
                ("no signature", nil),
                ("another secret", Self.signature(body, secret: "another-secret-0123456789")),
                ("the body re-serialised", Self.signature(reserialised)),
                ("a mangled signature", "sha256=" + String(repeating: "0", count: 64)),
                ("the bare hex", String(Self.signature(body).dropFirst(7))),
            ]
            for (what, signature) in attempts {
                let response = try await post(hub, "wa", body, signature: signature)
                #expect(response.status == 403, "\(what): \(response.status) \(response.text)")
            }
            #expect(try customerCount(hub) == 0, "nothing stored for refused requests")
            #expect(try await post(hub, "wa", body, signature: Self.signature(body)).status == 200)
            #expect(try customerCount(hub) == 1)
            #expect(!hub.log.contains(Self.appSecret) && !hub.log.contains(Self.accessToken))
            await hub.stop()
        }
    }

    @Test func documentedPayloadsBecomeTheRightCustomersConversationsAndMessages() async throws {
        try await Self.graph().run { graph in
            let hub = try await HubProcess.start(channelsYAML: Self.channels(graph: graph))
            defer { Task { await hub.stop() } }
            for (channel, body) in [
                ("wa", MetaPayloads.whatsappTextWithBSUID), ("fb", MetaPayloads.messengerText),
                ("ig", MetaPayloads.instagramText), ("fb", MetaPayloads.messengerEcho),
            ] {
                let response = try await post(hub, channel, body, signature: Self.signature(body))
                #expect(response.status == 200, "\(channel): \(response.text)")
            }
            // A redelivery changes nothing.
            let again = MetaPayloads.whatsappTextWithBSUID
            #expect(try await post(hub, "wa", again, signature: Self.signature(again)).status == 200)
            #expect(try customerCount(hub) == 3, "WhatsApp, Messenger and Instagram customers; the echo is ours")

            let show = try hub.cli(["customers", "show", "whatsapp-user:US.13491208655302741918", "--json"])
            let view = try #require(try jsonObject(show.output) as? [String: Any], "\(show.error)")
            let identities = (view["identities"] as? [[String: Any]] ?? []).compactMap { $0["address"] as? String }
            #expect(Set(identities) == ["whatsapp-user:US.13491208655302741918", "whatsapp:+16505551234"])
            #expect((view["customer"] as? [String: Any])?["display_name"] as? String == "Sheena Nelson")
            let whatsapp = try hub.cli(["customers", "timeline", "whatsapp:+16505551234", "--json"])
            #expect(try messageTexts(whatsapp.output) == ["Does it come in another color?"])
            let messenger = try hub.cli(["customers", "timeline", "messenger:1234567890/5551234567890123", "--json"])
            #expect(try messageTexts(messenger.output) == ["This is a text message"])
            let instagram = try hub.cli([
                "customers", "timeline", "instagram:17841400000000001/6661234567890123", "--json",
            ])
            #expect(try messageTexts(instagram.output) == ["Is this still available?"])
            await hub.stop()
        }
    }

    /// A reply inside the window is sent and its statuses reach the delivery history; outside the
    /// window a free-form reply fails with the rule named and is never sent, and a template is.
    @Test func theWindowTemplatesAndStatusWebhooks() async throws {
        let graph = Self.graph()
        try await graph.run { graphURL in
            let hub = try await HubProcess.start(channelsYAML: Self.channels(graph: graphURL))
            defer { Task { await hub.stop() } }
            // The documented message, sent an hour ago: inside the window.
            let recent = MetaPayloads.whatsappText.replacingOccurrences(
                of: "\"1749416383\"", with: "\"\(Int(Date().timeIntervalSince1970) - 3600)\"")
            #expect(try await post(hub, "wa", recent, signature: Self.signature(recent)).status == 200)
            let conversation = try conversationID(hub, "whatsapp:+16505551234")
            let reply = try hub.cli(["reply", conversation, "--text", "Yes, in blue", "--author", "Bo", "--json"])
            #expect(reply.status == 0, "\(reply.error)")
            let replyID = try #require((try jsonObject(reply.output) as? [String: Any])?["id"] as? String)
            #expect(try await eventually { try await deliveryStatus(hub, conversation, replyID) == "sent" })
            let sent = try #require(graph.requests(to: "/106540352242922/messages").first)
            #expect(sent.headers["authorization"] == "Bearer \(Self.accessToken)")
            let body = try sent.json()
            #expect(body["to"] as? String == "16505551234")
            #expect((body["text"] as? [String: Any])?["body"] as? String == "Yes, in blue")
            #expect(
                (body["context"] as? [String: Any])?["message_id"] as? String
                    == "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=")

            // Meta's status webhooks for the wamid the stand-in gave.
            let detail = try json(try await hub.api("GET", "/conversations/\(conversation)"))
            let messages = detail["messages"] as? [[String: Any]] ?? []
            let wamid = try #require(messages.first { $0["id"] as? String == replyID }?["external_id"] as? String)
            let statuses = MetaPayloads.whatsappStatuses(for: wamid)
            #expect(try await post(hub, "wa", statuses, signature: Self.signature(statuses)).status == 200)
            #expect(try await deliveryStatus(hub, conversation, replyID) == "read")

            // The documented message as it was sent (June 2025): far outside the window.
            let old = MetaPayloads.whatsappText.replacingOccurrences(of: "16505551234", with: "16505550000")
                .replacingOccurrences(of: "wamid.HBgL", with: "wamid.OLDx")
            #expect(try await post(hub, "wa", old, signature: Self.signature(old)).status == 200)
            let stale = try conversationID(hub, "whatsapp:+16505550000")
            let late = try hub.cli(["reply", stale, "--text", "Sorry for the wait", "--json"])
            let lateID = try #require((try jsonObject(late.output) as? [String: Any])?["id"] as? String)
            #expect(try await eventually { try await deliveryStatus(hub, stale, lateID) == "failed" })
            let staleDetail = try json(try await hub.api("GET", "/conversations/\(stale)"))
            let failed = (staleDetail["messages"] as? [[String: Any]] ?? []).first { $0["id"] as? String == lateID }
            let history = failed?["status_history"] as? [[String: Any]] ?? []
            let reason = history.compactMap { $0["detail"] as? String }.joined()
            #expect(reason.contains("24-hour customer-service window"), "\(reason)")
            #expect(!graph.requests.contains { $0.text.contains("Sorry for the wait") }, "never sent")

            let template = try hub.cli([
                "reply", stale, "--template", "order_update", "--language", "en_US", "--param", "A-17", "--param",
                "Friday", "--json",
            ])
            let templateID = try #require((try jsonObject(template.output) as? [String: Any])?["id"] as? String)
            #expect(try await eventually { try await deliveryStatus(hub, stale, templateID) == "sent" })
            let templateSend = try #require(graph.requests.last).json()
            #expect(templateSend["type"] as? String == "template")
            let sentTemplate = templateSend["template"] as? [String: Any]
            #expect(sentTemplate?["name"] as? String == "order_update")
            #expect((sentTemplate?["language"] as? [String: Any])?["code"] as? String == "en_US")
            let parameters =
                ((sentTemplate?["components"] as? [[String: Any]])?.first?["parameters"] as? [[String: Any]])?
                .compactMap { $0["text"] as? String }
            #expect(parameters == ["A-17", "Friday"])
            await hub.stop()
        }
    }

    /// Acceptance 5: WhatsApp and SMS from one number are one customer; a Messenger user who gives an
    /// email address in chat is suggested for a merge with that email's profile, or merged where the
    /// config says so.
    @Test(arguments: ["suggest", "merge"]) func oneNumberOneCustomerAndAnEmailGivenInChat(_ rule: String) async throws {
        try await Self.graph().run { graph in
            let hub = try await HubProcess.start(
                extraYAML: "identity:\n  addresses_in_text: \(rule)", channelsYAML: Self.channels(graph: graph))
            defer { Task { await hub.stop() } }
            // An SMS (through the generic webhook channel, as an SMS gateway posts it) and WhatsApp.
            let sms = #"{"id":"sms-1","from":"tel:+16505551234","text":"Texting you too"}"#
            #expect(try await hub.postWebhook("/webhooks/shop/inbound", body: sms).status == 200)
            let whatsapp = MetaPayloads.whatsappTextWithBSUID
            #expect(try await post(hub, "wa", whatsapp, signature: Self.signature(whatsapp)).status == 200)
            #expect(try customerCount(hub) == 1, "SMS and WhatsApp from one number are one customer")

            let email = #"{"id":"mail-1","from":"email:ana@example.com","text":"Where is my parcel?"}"#
            #expect(try await hub.postWebhook("/webhooks/shop/inbound", body: email).status == 200)
            let chat = MetaPayloads.messengerText.replacingOccurrences(
                of: "This is a text message", with: "It's Ana, my email is ana@example.com")
            #expect(try await post(hub, "fb", chat, signature: Self.signature(chat)).status == 200)
            let suggestions = try hub.cli(["merges", "suggestions", "--json"])
            if rule == "suggest" {
                #expect(try customerCount(hub) == 3)
                #expect(suggestions.output.contains("ana@example.com"), "\(suggestions.output)")
            } else {
                #expect(try customerCount(hub) == 2, "the Messenger profile was merged into Ana's")
                let timeline = try hub.cli(["customers", "timeline", "email:ana@example.com", "--json"])
                #expect(Set(try messageTexts(timeline.output)).contains("It's Ana, my email is ana@example.com"))
            }
            await hub.stop()
        }
    }
}
