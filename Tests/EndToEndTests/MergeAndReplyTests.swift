import Foundation
import SwitchboardAdapterKit
import SwitchboardCurl
import Testing

/// Acceptance 3 (merge and un-merge, through the CLI while the hub runs) and 4 (a reply leaves
/// through the conversation's channel, signed).
@Suite(.serialized)
struct MergeAndReplyTests {
    @Test func emailAndPhoneProfilesMergeAndUnmerge() async throws {
        try await withHub { hub in
            let email = try await ingest(
                hub,
                #"{"id":"e-1","from":"email:ana@example.com","text":"email first","sent_at":"2026-11-20T10:00:00Z"}"#)
            let phone = try await ingest(
                hub, #"{"id":"p-1","from":"tel:+1 415 555 0100","text":"sms second","sent_at":"2026-11-20T11:00:00Z"}"#)
            #expect(email != phone, "two addresses, two profiles until merged")

            let merged = try hub.cli([
                "merge", phone, "--into", email, "--reason", "same person, confirmed by phone", "--actor", "bo",
                "--json",
            ])
            #expect(merged.status == 0, "\(merged.error)")
            let merge = try #require(try jsonObject(merged.output) as? [String: Any])
            let mergeID = try #require(merge["id"] as? String)

            // One timeline, both messages, newest first; the merge event is in it too.
            let timeline = try hub.cli(["customers", "timeline", email, "--json"])
            #expect(timeline.status == 0)
            let texts = try messageTexts(timeline.output)
            #expect(texts == ["sms second", "email first"])
            #expect(timeline.output.contains("\"kind\" : \"merge\""))
            let customers = try hub.cli(["customers", "list", "--json"])
            #expect(try items(customers.output).count == 1)

            // A message from the merged-away address after the merge joins the merged profile.
            let later = try await ingest(
                hub,
                #"{"id":"p-2","from":"tel:+14155550100","text":"sms after merge","sent_at":"2026-11-20T12:00:00Z"}"#)
            #expect(later == email)

            let unmerged = try hub.cli(["unmerge", mergeID, "--actor", "bo", "--json"])
            #expect(unmerged.status == 0, "\(unmerged.error)")
            #expect(try messageTexts(hub.cli(["customers", "timeline", email, "--json"]).output) == ["email first"])
            #expect(
                try messageTexts(hub.cli(["customers", "timeline", phone, "--json"]).output) == [
                    "sms after merge", "sms second",
                ])
            #expect(try items(hub.cli(["customers", "list", "--json"]).output).count == 2)

            let history = try hub.cli(["merges", "list", "--json"])
            let records = try #require(try jsonObject(history.output) as? [[String: Any]])
            #expect(records.count == 1)
            #expect(records.first?["actor"] as? String == "bo")
            #expect(records.first?["unmerged_by"] as? String == "bo")
            #expect(records.first?["unmerged_at"] != nil)
            let events = try hub.cli(["customers", "timeline", phone]).output
            #expect(events.contains("unmerge by bo"))

            let again = try hub.cli(["unmerge", mergeID])
            #expect(again.status != 0)
            #expect(again.error.contains("already undone"))
        }
    }

    @Test func replyLeavesThroughTheConversationsChannelSigned() async throws {
        let receiver = Receiver()
        try await receiver.run { url in
            try await withHub(outboundURL: url) { hub in
                let response = try await hub.postWebhook(
                    "/webhooks/shop/inbound",
                    body:
                        #"{"id":"q-1","from":"email:cy@example.com","subject":"Refund","text":"Can I get a refund?","thread":"t-9"}"#
                )
                let result = try #require((try json(response)["results"] as? [[String: Any]])?.first)
                let conversation = try #require(result["conversation_id"] as? String)

                let reply = try await hub.api(
                    "POST", "/conversations/\(conversation)/replies",
                    json: #"{"text":"Yes, refunded today.","author":"Bo"}"#)
                #expect(reply.status == 202, "\(reply.text)")
                let replyID = try #require(try json(reply)["id"] as? String)

                #expect(try await eventually { receiver.requests.count >= 1 })
                let sent = try #require(receiver.requests.first)
                #expect(
                    sent.headers["x-switchboard-signature"] == "sha256="
                        + IndependentHMAC.sha256Hex(secret: HubProcess.secret, body: sent.body))
                #expect(sent.headers["idempotency-key"] == "sb-\(replyID)")
                let payload = try #require(try JSONSerialization.jsonObject(with: Data(sent.body)) as? [String: Any])
                #expect(payload["to"] as? String == "email:cy@example.com")
                #expect(payload["thread"] as? String == "t-9")
                #expect(payload["text"] as? String == "Yes, refunded today.")
                #expect(payload["in_reply_to"] as? String == "q-1")
                #expect(payload["subject"] as? String == "Re: Refund")

                // The receipt's id comes back, and a signed status report marks it delivered.
                #expect(try await eventually { try await deliveryStatus(hub, conversation, replyID) == "sent" })
                let status = try await hub.postWebhook(
                    "/webhooks/shop/status", body: #"{"id":"ext-1","status":"delivered"}"#)
                #expect(status.status == 200, "\(status.text)")
                #expect(try await deliveryStatus(hub, conversation, replyID) == "delivered")

                // A reply queued from the CLI is sent by the running hub.
                let cli = try hub.cli(["reply", conversation, "--text", "Anything else?", "--author", "Bo"])
                #expect(cli.status == 0, "\(cli.error)")
                #expect(try await eventually { receiver.requests.count >= 2 })

                // A reply the receiver refuses for good is dead-lettered visibly, and a retry resends it.
                receiver.failNext([400])
                let doomed = try await hub.api(
                    "POST", "/conversations/\(conversation)/replies", json: #"{"text":"This one fails."}"#)
                let doomedID = try #require(try json(doomed)["id"] as? String)
                #expect(try await eventually { try await deliveryStatus(hub, conversation, doomedID) == "failed" })
                #expect(try await hub.api("POST", "/messages/\(doomedID)/retry").status == 202)
                #expect(try await eventually { try await deliveryStatus(hub, conversation, doomedID) == "sent" })
                #expect(receiver.requests.count == 4)
            }
        }
    }
}

/// Posts one signed message and returns the customer it was filed under.
func ingest(_ hub: HubProcess, _ body: String) async throws -> String {
    let response = try await hub.postWebhook("/webhooks/shop/inbound", body: body)
    guard response.status == 200, let result = (try json(response)["results"] as? [[String: Any]])?.first,
        let customer = result["customer_id"] as? String
    else { throw E2EError("ingest failed: \(response.status) \(response.text)") }
    return customer
}

func items(_ output: String) throws -> [[String: Any]] {
    (try jsonObject(output) as? [String: Any])?["items"] as? [[String: Any]] ?? []
}

func messageTexts(_ output: String) throws -> [String] {
    try items(output).compactMap { ($0["message"] as? [String: Any])?["text"] as? String }
}

func deliveryStatus(_ hub: HubProcess, _ conversation: String, _ message: String) async throws -> String? {
    let detail = try json(try await hub.api("GET", "/conversations/\(conversation)"))
    let messages = detail["messages"] as? [[String: Any]] ?? []
    return messages.first { $0["id"] as? String == message }?["delivery_status"] as? String
}
