import Foundation
import SwitchboardAdapterKit
import SwitchboardCurl
import Testing

/// Real Kannel (bearerbox + smsbox + fakesmsc from `scripts/peers/kannel.sh`) in front of a running
/// hub. The peers' get-url points at 127.0.0.1:23180, so the hub listens there.
@Suite(.serialized) struct KannelEndToEndTests {
    static let secret = "kannel-test-secret-0123456789"
    static let hubPort = 23180

    static func kannel(_ arguments: String...) throws -> String {
        try MailPeers.peer("kannel.sh", arguments)
    }

    static let channels = """
          - id: kannel
            type: kannel
            settings:
              secret: \(secret)
              sendsms_url: http://127.0.0.1:23113/cgi-bin/sendsms
              username: switchboard
              password: switchboard-sendsms-pass
              from: "12345"
              default_region: FR
              max_parts: 3
        """ + "\n" + TwilioEndToEndTests.channel(api: "http://127.0.0.1:9")

    func reply(_ hub: HubProcess, _ conversation: String, _ text: String) async throws -> String {
        let body = String(
            decoding: try JSONSerialization.data(withJSONObject: ["text": text, "author": "Bo"]), as: UTF8.self)
        let response = try await hub.api("POST", "/conversations/\(conversation)/replies", json: body)
        guard response.status == 202, let id = try json(response)["id"] as? String else {
            throw E2EError("reply refused: \(response.status) \(response.text)")
        }
        return id
    }

    func history(_ hub: HubProcess, _ conversation: String, _ message: String) async throws -> [[String: Any]] {
        let detail = try json(try await hub.api("GET", "/conversations/\(conversation)"))
        let messages = detail["messages"] as? [[String: Any]] ?? []
        return messages.first { $0["id"] as? String == message }?["status_history"] as? [[String: Any]] ?? []
    }

    /// Acceptance 2, 4 (Kannel half) and 5, in one run because the fake SMSC serves one phone at a time.
    @Test func smsInReplyOutDeliveryReportAndOptOut() async throws {
        _ = try Self.kannel("start")
        let hub = try await HubProcess.start(channelsYAML: Self.channels, port: Self.hubPort)
        defer { Task { await hub.stop() } }
        _ = try Self.kannel("listen")
        // mt.log only grows: look at what arrives during this run.
        let earlier = try Self.kannel("mt").count
        func received() throws -> String { String(try Self.kannel("mt").dropFirst(earlier)) }

        // An SMS from fakesmsc appears in the timeline, filed under the number in E.164.
        _ = try Self.kannel("mo", "0612345678", "12345", "Bonjour, ma commande 42 ?")
        #expect(try await eventually { try timelineTexts(hub, "tel:+33612345678") == ["Bonjour, ma commande 42 ?"] })
        // UCS-2 arrives as UTF-16BE bytes; the text is kept exactly, newline and emoji included.
        _ = try Self.kannel("mo", "+33612345678", "12345", "Merci 👍\nRéponse € ✓")
        #expect(try await eventually { try timelineTexts(hub, "tel:+33612345678").first == "Merci 👍\nRéponse € ✓" })
        let view = try #require(try customerView(hub, "tel:+33612345678"))
        let identity = try #require((view["identities"] as? [[String: Any]])?.first)
        #expect(identity["raw_handle"] as? String == "0612345678", "the number as the phone sent it")
        let conversation = try #require((view["conversations"] as? [[String: Any]])?.first?["id"] as? String)

        // The agent's reply reaches fakesmsc, and the delivery report marks it delivered.
        let answer = try await reply(hub, conversation, "Votre commande 42 part demain.")
        #expect(
            try await eventually { try received().contains("+33612345678 text Votre commande 42 part demain.") })
        #expect(try await eventually { try await deliveryStatus(hub, conversation, answer) == "delivered" })
        let states = try await history(hub, conversation, answer).compactMap { $0["status"] as? String }
        #expect(states.contains("sent") && states.contains("delivered"), "\(states)")

        // A long reply goes as one concatenated SMS: Kannel splits it into UDH parts.
        let long = String(repeating: "Merci pour votre patience. ", count: 8)
        let longID = try await reply(hub, conversation, long)
        #expect(try await eventually { try received().components(separatedBy: " udh ").count >= 3 })
        #expect(try await eventually { try await deliveryStatus(hub, conversation, longID) == "delivered" })

        // The same person on WhatsApp (through Twilio) is the same customer, with one timeline.
        let whatsapp = TwilioEndToEndTests.sms(
            "SM00000000000000000000000000000d01", from: "whatsapp:+33612345678", body: "Et sur WhatsApp",
            to: "whatsapp:+14155238886")
        let signature = try TwilioOracle.sign(
            token: TwilioEndToEndTests.token, [(TwilioEndToEndTests.publicURL + "/sms", whatsapp)])[0].signature
        let posted = try await hub.client.execute(
            HTTPClientRequest(
                method: "POST", url: hub.baseURL + "/webhooks/twilio/sms",
                headers: [("Content-Type", "application/x-www-form-urlencoded"), ("X-Twilio-Signature", signature)],
                body: Array(FormEncoding.encode(whatsapp).utf8)))
        #expect(posted.status == 200, "\(posted.text)")
        let merged = try #require(try customerView(hub, "whatsapp:+33612345678"))
        #expect(
            (merged["customer"] as? [String: Any])?["id"] as? String == (view["customer"] as? [String: Any])?["id"]
                as? String)
        #expect(try timelineTexts(hub, "tel:+33612345678").contains("Et sur WhatsApp"))

        // STOP: the next reply is refused for good, with the reason in the timeline; START lifts it.
        _ = try Self.kannel("mo", "+33612345678", "12345", "STOP")
        #expect(try await eventually { (try customerView(hub, "tel:+33612345678")?["opt_outs"] as? [Any])?.count == 1 })
        let refused = try await reply(hub, conversation, "Une dernière chose ?")
        #expect(try await eventually { try await deliveryStatus(hub, conversation, refused) == "failed" })
        let reason = try await history(hub, conversation, refused).last?["detail"] as? String ?? ""
        #expect(reason.contains("opted out") && reason.contains("STOP") && reason.contains("START"), "\(reason)")
        #expect(!(try received().contains("Une derni")), "nothing reached the phone")
        let show = try hub.cli(["customers", "show", "tel:+33612345678"])
        #expect(show.output.contains("opted out tel:+33612345678 by texting STOP"))

        _ = try Self.kannel("mo", "+33612345678", "12345", "Start")
        #expect(
            try await eventually { (try customerView(hub, "tel:+33612345678")?["opt_outs"] as? [Any])?.isEmpty == true }
        )
        #expect(try await hub.api("POST", "/messages/\(refused)/retry").status == 202)
        #expect(try await eventually { try received().contains("Une derni") })
        #expect(try await eventually { try await deliveryStatus(hub, conversation, refused) == "delivered" })
        #expect(!hub.log.contains("switchboard-sendsms-pass"), "the sendsms password never reaches a log line")
        _ = try? Self.kannel("unlisten")
        await hub.stop()
    }
}
