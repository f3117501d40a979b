import Foundation
import SwitchboardAdapterKit
import SwitchboardCurl
import Testing

/// Issue 9's CSAT on the running hub: resolving a conversation sends the question on its channel;
/// an email customer rates on the linked page, an SMS customer replies with a number; both scores
/// are on the conversations and in the report.
@Suite(.serialized) struct SatisfactionEndToEndTests {
    @Test func resolvedConversationsAreAskedAndTheAnswersAreStoredAndReported() async throws {
        let receiver = Receiver()
        try await receiver.run { url in
            let hub = try await HubProcess.start(outboundURL: url, extraYAML: "csat: { window: 1d }")
            do {
                try await Self.scenario(hub, receiver)
            } catch {
                await hub.stop()
                throw error
            }
            await hub.stop()
        }
    }

    static func scenario(_ hub: HubProcess, _ receiver: Receiver) async throws {
        func sent(to address: String) throws -> [String] {
            try receiver.requests.compactMap { request in
                let body = try json(text: request.body)
                return body["to"] as? String == address ? body["text"] as? String : nil
            }
        }
        func resolve(_ address: String) async throws -> String {
            let conversation = try #require((try conversations(hub, address).first)?["id"] as? String)
            let answer = try await hub.api(
                "POST", "/conversations/\(conversation)/status", json: #"{"status":"resolved","actor":"Bo"}"#)
            #expect(answer.status == 200)
            return conversation
        }
        func rating(_ conversation: String) async throws -> [String: Any]? {
            try json(try await hub.api("GET", "/conversations/\(conversation)"))["rating"] as? [String: Any]
        }

        // Email: the question links to the rating page.
        _ = try await ingest(hub, #"{"id":"c-1","from":"email:ann@example.com","text":"Help","thread":"t-1"}"#)
        let mail = try await resolve("email:ann@example.com")
        #expect(try await eventually { try sent(to: "email:ann@example.com").count == 1 }, "\(hub.log)")
        let question = try #require(try sent(to: "email:ann@example.com").first)
        #expect(question.hasPrefix("How did we do? Rate this conversation from 1 to 5: http"))
        let token = String(try #require(question.split(separator: "/").last))
        let page = try await hub.client.execute(HTTPClientRequest(url: hub.baseURL + "/csat/\(token)"))
        #expect(page.status == 200 && page.text.components(separatedBy: "name=\"score\"").count == 6)
        func post(_ form: String, to token: String) async throws -> HTTPClientResponse {
            try await hub.client.execute(
                HTTPClientRequest(
                    method: "POST", url: hub.baseURL + "/csat/\(token)",
                    headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array(form.utf8)))
        }
        #expect(try await post("score=9", to: token).status == 400)
        #expect(try await post("score=5", to: "not-a-token").status == 404)
        let rated = try await post("score=5", to: token)
        #expect(rated.status == 200 && rated.text.contains("you rated this conversation 5 out of 5"))
        #expect(try await post("score=1", to: token).status == 409, "one answer per survey")
        #expect(try await rating(mail)?["score"] as? Int == 5)

        // SMS-like (a phone number): a bare number is the rating, and the conversation stays resolved.
        _ = try await ingest(hub, #"{"id":"c-2","from":"tel:+15550100","text":"Refund?","thread":"t-2"}"#)
        let sms = try await resolve("tel:+15550100")
        #expect(try await eventually { try sent(to: "tel:+15550100").count == 1 })
        #expect(try sent(to: "tel:+15550100").first?.contains("Reply with a number from 1 (poor) to 5 (great)") == true)
        _ = try await ingest(hub, #"{"id":"c-3","from":"tel:+15550100","text":"4","thread":"t-2"}"#)
        #expect(try await rating(sms)?["score"] as? Int == 4)
        let detail = try json(try await hub.api("GET", "/conversations/\(sms)"))
        #expect((detail["conversation"] as? [String: Any])?["status"] as? String == "resolved")
        // Resolved again later: not asked twice.
        #expect(try await hub.api("POST", "/conversations/\(sms)/status", json: #"{"status":"open"}"#).status == 200)
        _ = try await resolve("tel:+15550100")
        try await Task.sleep(for: .seconds(1))
        #expect(try sent(to: "tel:+15550100").count == 1)

        let report = try json(try await hub.api("GET", "/reports?group=all"))
        let all = try #require((report["rows"] as? [[String: Any]])?.first { $0["channel"] as? String == "all" })
        #expect(all["ratings"] as? Int == 2 && all["rating_mean"] as? Double == 4.5)
    }
}
