import Foundation
import SwitchboardAdapterKit
import SwitchboardCurl
import Testing

/// Issue 7's promises on the running hub: a reply whose channel stays down is failed visibly
/// (timeline, API, `/health`) and an agent's retry delivers it once; events reach the customer's
/// own systems signed, and are retried with the same delivery id until taken.
@Suite(.serialized)
struct DeliveryEndToEndTests {
    @Test func aReplyPastTheRetryCeilingFailsVisiblyAndAManualRetryDeliversItOnce() async throws {
        let receiver = Receiver()
        // Down for every attempt the policy allows (max_attempts is 8 by default).
        receiver.failNext(Array(repeating: 503, count: 8))
        try await receiver.run { url in
            try await withHub(outboundURL: url) { hub in
                let customer = try await ingest(
                    hub, #"{"id":"d-1","from":"email:dee@example.com","text":"Is my parcel lost?","thread":"t-1"}"#)
                let conversation = try #require(
                    (try conversations(hub, "email:dee@example.com").first)?["id"] as? String)
                let reply = try await hub.api(
                    "POST", "/conversations/\(conversation)/replies", json: #"{"text":"Checking now.","author":"Bo"}"#)
                let replyID = try #require(try json(reply)["id"] as? String)

                #expect(
                    try await eventually(timeout: .seconds(60)) {
                        try await deliveryStatus(hub, conversation, replyID) == "failed"
                    })
                #expect(receiver.requests.count == 8)
                // In the timeline, with the reason.
                let entry = try #require(
                    try timeline(hub, "email:dee@example.com").first { $0["id"] as? String == replyID })
                let history = try #require(entry["status_history"] as? [[String: Any]])
                let failed = try #require(history.last)
                #expect(failed["status"] as? String == "failed")
                #expect((failed["detail"] as? String)?.contains("not sent after 8 attempt(s)") == true)
                #expect((failed["detail"] as? String)?.contains("503") == true)
                // In the API's dead letters, and counted in the channel's health.
                let dead = try jsonArray(try await hub.api("GET", "/dead-letters"))
                #expect(dead.map { $0["message_id"] as? String } == [replyID])
                #expect(dead.first?["conversation_id"] as? String == conversation)
                #expect((dead.first?["last_error"] as? String)?.contains("503") == true)
                #expect(try await eventually { try await shopHealth(hub)?["dead_lettered"] as? Int == 1 })

                // The channel is back: the agent's retry delivers it, once.
                #expect(try await hub.api("POST", "/messages/\(replyID)/retry").status == 202)
                #expect(try await eventually { try await deliveryStatus(hub, conversation, replyID) == "sent" })
                try await Task.sleep(for: .seconds(1))
                #expect(receiver.requests.count == 9, "one more request: the retry, and nothing after it")
                #expect(Set(receiver.requests.map { $0.headers["idempotency-key"] }) == ["sb-\(replyID)"])
                #expect(try jsonArray(try await hub.api("GET", "/dead-letters")).isEmpty)
                #expect(try await eventually { try await shopHealth(hub)?["dead_lettered"] as? Int == 0 })
                #expect(!customer.isEmpty)
            }
        }
    }

    @Test func eventsReachTheCustomersSystemSignedAndAreRetriedWithTheSameDeliveryID() async throws {
        let secret = "outgoing-secret-0123456789"
        let events = Receiver(path: "/events")
        events.failNext([500])
        try await events.run { eventsURL in
            let hub = try await HubProcess.start(
                extraYAML: """
                    webhooks:
                      - id: crm
                        url: \(eventsURL)
                        secret: \(secret)
                        events: [message.received]
                    """)
            do {
                try await checkEvents(hub, events, secret: secret)
            } catch {
                await hub.stop()
                throw error
            }
            await hub.stop()
        }
    }

    func checkEvents(_ hub: HubProcess, _ events: Receiver, secret: String) async throws {
        do {
            _ = try await ingest(
                hub, #"{"id":"e-1","from":"email:eve@example.com","text":"Hello from Eve","thread":"t-1"}"#)
            #expect(try await eventually { events.requests.count >= 2 })
            let first = events.requests[0]
            let second = events.requests[1]
            #expect(first.headers["x-switchboard-delivery"] == second.headers["x-switchboard-delivery"])
            #expect(first.body == second.body, "the same body on the retry")
            #expect(second.headers["x-switchboard-event"] == "message.received")
            let timestamp = try #require(second.headers["x-switchboard-timestamp"])
            #expect(
                second.headers["x-switchboard-signature"]
                    == "sha256="
                    + IndependentHMAC.sha256Hex(secret: secret, body: Array("\(timestamp).".utf8) + second.body))
            let body = try #require(try JSONSerialization.jsonObject(with: Data(second.body)) as? [String: Any])
            let message = try #require((body["data"] as? [String: Any])?["message"] as? [String: Any])
            #expect(message["text"] as? String == "Hello from Eve")
            #expect(body["id"] as? String == second.headers["x-switchboard-delivery"])

            // The receiver sees the request before the hub has read the answer and marked it sent.
            #expect(
                try await eventually {
                    !(try jsonArray(try await hub.api("GET", "/webhook-deliveries?state=sent"))).isEmpty
                })
            let sent = try jsonArray(try await hub.api("GET", "/webhook-deliveries?state=sent"))
            #expect(sent.map { $0["id"] as? String } == [second.headers["x-switchboard-delivery"]])
            #expect(sent.first?["attempts"] as? Int == 1)
            let health = try json(try await hub.client.execute(HTTPClientRequest(url: hub.baseURL + "/health")))
            #expect((health["webhooks"] as? [[String: Any]])?.first?["endpoint"] as? String == "crm")
            #expect(!hub.log.contains(secret), "the secret is never logged")
            try await Task.sleep(for: .seconds(1))
            #expect(events.requests.count == 2, "taken once, not sent again")
        }
    }
}

/// The `shop` channel's entry in `/health`.
func shopHealth(_ hub: HubProcess) async throws -> [String: Any]? {
    let health = try json(try await hub.client.execute(HTTPClientRequest(url: hub.baseURL + "/health")))
    return (health["channels"] as? [[String: Any]])?.first { $0["channel"] as? String == "shop" }
}
