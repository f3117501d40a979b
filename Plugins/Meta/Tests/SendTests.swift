import Foundation
import SwitchboardAdapterKit
import SwitchboardAdapterTesting
import Synchronization
import Testing

@testable import MetaAdapter

@Suite struct SendTests {
    func whatsAppAPI() -> RecordingHTTPClient {
        RecordingHTTPClient { count in
            HTTPClientResponse(
                status: 200,
                body: Array(
                    #"{"messaging_product":"whatsapp","contacts":[{"input":"16505551234","wa_id":"16505551234"}],"messages":[{"id":"wamid.SENT\#(count)"}]}"#
                        .utf8))
        }
    }

    func sendAPI() -> RecordingHTTPClient {
        RecordingHTTPClient { count in
            HTTPClientResponse(
                status: 200, body: Array(#"{"recipient_id":"5551234567890123","message_id":"m_SENT\#(count)"}"#.utf8))
        }
    }

    @Test func whatsAppTextWithReplyContext() async throws {
        let http = whatsAppAPI()
        let receipt = try await whatsApp(http: http).send(
            try outbound(to: "whatsapp:+16505551234", text: "Yes, in blue 💙", inReplyTo: "wamid.IN1"))
        #expect(receipt.externalID == "wamid.SENT1")
        let (request, json) = try firstRequest(http)
        #expect(request.method == "POST")
        #expect(request.url == "http://graph.test/v23.0/106540352242922/messages")
        #expect(request.headers.contains { $0.name == "Authorization" && $0.value == "Bearer \(accessToken)" })
        #expect(request.headers.contains { $0.name == "Content-Type" && $0.value == "application/json" })
        #expect(!request.url.contains(accessToken))
        #expect(json["messaging_product"] as? String == "whatsapp")
        #expect(json["to"] as? String == "16505551234")
        #expect(json["recipient"] == nil)
        #expect(json["type"] as? String == "text")
        #expect((json["text"] as? [String: Any])?["body"] as? String == "Yes, in blue 💙")
        #expect((json["context"] as? [String: Any])?["message_id"] as? String == "wamid.IN1")
    }

    @Test func whatsAppUserIsAddressedByBSUID() async throws {
        let http = whatsAppAPI()
        _ = try await whatsApp(http: http).send(try outbound(to: "whatsapp-user:US.13491208655302741918"))
        let (_, json) = try firstRequest(http)
        #expect(json["recipient"] as? String == "US.13491208655302741918")
        #expect(json["to"] == nil)
        #expect(json["context"] == nil)
    }

    @Test func whatsAppTemplateWithBodyParameters() async throws {
        let http = whatsAppAPI()
        let template = MessageTemplate(name: "order_update", language: "en_US", parameters: ["123", "Friday"])
        _ = try await whatsApp(http: http).send(
            try outbound(to: "whatsapp:+16505551234", text: template.summary, template: template))
        let (_, json) = try firstRequest(http)
        #expect(json["type"] as? String == "template")
        #expect(json["text"] == nil)
        let body = try #require(json["template"] as? [String: Any])
        #expect(body["name"] as? String == "order_update")
        #expect((body["language"] as? [String: Any])?["code"] as? String == "en_US")
        let component = try #require((body["components"] as? [[String: Any]])?.first)
        #expect(component["type"] as? String == "body")
        let parameters = try #require(component["parameters"] as? [[String: Any]])
        #expect(parameters.map { $0["text"] as? String } == ["123", "Friday"])
        #expect(parameters.allSatisfy { $0["type"] as? String == "text" })
    }

    @Test func whatsAppRefusesOtherAddressKinds() async throws {
        await #expect(throws: SendError.self) {
            _ = try await whatsApp().send(try outbound(to: "tel:+16505551234"))
        }
    }

    @Test func messengerReplyCarriesOurMetadataAndBearerToken() async throws {
        let http = sendAPI()
        let receipt = try await messenger(http: http).send(
            try outbound(to: "messenger:1234567890/5551234567890123", channel: "messenger"))
        #expect(receipt.externalID == "m_SENT1")
        let (request, json) = try firstRequest(http)
        #expect(request.url == "http://graph.test/v23.0/1234567890/messages")
        #expect(!request.url.contains(accessToken))
        #expect(request.headers.contains { $0.name == "Authorization" && $0.value == "Bearer \(accessToken)" })
        #expect((json["recipient"] as? [String: Any])?["id"] as? String == "5551234567890123")
        #expect(json["messaging_type"] as? String == "RESPONSE")
        let message = try #require(json["message"] as? [String: Any])
        #expect(message["text"] as? String == "Thanks, on its way")
        #expect(message["metadata"] as? String == "switchboard:msg_1")
    }

    @Test func messengerRefusesAnotherPagesCustomer() async throws {
        do {
            _ = try await messenger().send(try outbound(to: "messenger:42/5551234567890123", channel: "messenger"))
            Issue.record("sent to another page's PSID")
        } catch let error as SendError {
            #expect(error.code == .invalidRecipient)
        }
    }

    @Test func instagramReplyGoesToTheAccountsMessagesEdge() async throws {
        let http = sendAPI()
        let receipt = try await instagram(http: http).send(
            try outbound(to: "instagram:17841400000000001/6661234567890123", channel: "instagram"))
        #expect(receipt.externalID == "m_SENT1")
        let (request, json) = try firstRequest(http)
        #expect(request.url == "http://graph.test/v23.0/17841400000000001/messages")
        #expect((json["recipient"] as? [String: Any])?["id"] as? String == "6661234567890123")
        #expect((json["message"] as? [String: Any])?["text"] as? String == "Thanks, on its way")
    }

    @Test func capabilitiesStateTheWindowAndTemplates() {
        #expect(whatsApp().capabilities.replyWindow == .seconds(86_400))
        #expect(whatsApp().capabilities.templates)
        #expect(messenger().capabilities.replyWindow == .seconds(86_400))
        #expect(!messenger().capabilities.templates)
        #expect(instagram().capabilities.replyWindow == .seconds(86_400))
        #expect(!instagram().capabilities.templates)
        #expect(WhatsAppAdapter.kind == "whatsapp" && MessengerAdapter.kind == "messenger")
        #expect(InstagramAdapter.kind == "instagram")
    }
}
