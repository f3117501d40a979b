import Foundation
import SwitchboardAdapterKit
import SwitchboardCurl
import Testing

/// Issue 9, acceptance 4: a broadcast to 1,000 customers over two channels (a webhook channel and
/// Twilio SMS, both with a configured send rate) on the running hub. The sends respect each rate,
/// numbers that texted STOP get nothing, and every message is in its customer's timeline.
@Suite(.serialized) struct BroadcastEndToEndTests {
    static let rate = 40.0
    static let burst = 5

    static func channels(notices: String, twilio: String) -> String {
        """
          - id: notices
            type: webhook
            rate_limit: { messages: \(Int(rate)), per: 1s, burst: \(burst) }
            settings:
              secret: ${E2E_SECRET}
              outbound_url: \(notices)
        """ + "\n" + TwilioEndToEndTests.channel(api: TwilioEndToEndTests.base(of: twilio))
            + "\n    rate_limit: { messages: \(Int(rate)), per: 1s, burst: \(burst) }"
    }

    @Test func aBroadcastToAThousandCustomersRespectsRatesAndOptOutsAndLandsInEachTimeline() async throws {
        let notices = Receiver()
        let twilio = TwilioEndToEndTests.fakeAPI()
        try await notices.run { noticesURL in
            try await twilio.run { twilioURL in
                let hub = try await HubProcess.start(
                    channelsYAML: Self.channels(notices: noticesURL, twilio: twilioURL))
                do {
                    try await Self.scenario(hub, notices: notices, twilio: twilio)
                } catch {
                    await hub.stop()
                    throw error
                }
                await hub.stop()
            }
        }
    }

    static func scenario(_ hub: HubProcess, notices: Receiver, twilio: Receiver) async throws {
        // 500 customers write in on the webhook channel (one batch)…
        let batch = (0..<500).map { index in
            #"{"id":"n-\#(index)","from":"email:c\#(index)@example.com","text":"Hello","thread":"t\#(index)"}"#
        }
        let posted = try await hub.postWebhook(
            "/webhooks/notices/inbound", body: #"{"messages":[\#(batch.joined(separator: ","))]}"#)
        #expect(posted.status == 200, "\(posted.text)")
        var customers = Set(
            (try json(posted)["results"] as? [[String: Any]] ?? []).compactMap { $0["customer_id"] as? String })
        #expect(customers.count == 500)
        // …500 by SMS through Twilio, and 50 of them text STOP afterwards.
        let numbers = (0..<500).map { "+1415555\(String(format: "%04d", $0))" }
        let url = TwilioEndToEndTests.publicURL + "/sms"
        var requests = numbers.enumerated().map { index, number in
            (url, TwilioEndToEndTests.sms("SM\(String(format: "%032d", index))", from: number, body: "Hi"))
        }
        let stopped = Array(numbers.prefix(50))
        requests += stopped.enumerated().map { index, number in
            (url, TwilioEndToEndTests.sms("SM\(String(format: "%032d", 1000 + index))", from: number, body: "STOP"))
        }
        let signed = try TwilioOracle.sign(token: TwilioEndToEndTests.token, requests.map { ($0.0, $0.1) })
        for ((_, parameters), signature) in zip(requests, signed) {
            var headers: [(name: String, value: String)] = [("Content-Type", "application/x-www-form-urlencoded")]
            headers.append(("X-Twilio-Signature", signature.signature))
            let response = try await hub.client.execute(
                HTTPClientRequest(
                    method: "POST", url: hub.baseURL + "/webhooks/twilio/sms", headers: headers,
                    body: Array(FormEncoding.encode(parameters).utf8)))
            guard response.status == 200 else { throw E2EError("Twilio webhook refused: \(response.text)") }
        }
        let listed = try await allCustomers(hub)
        #expect(listed.count == 1000)
        customers.formUnion(listed)

        // The broadcast: 1,000 customers named; 950 messages queued, 50 skipped as opted out.
        let notice = "Our service is down until 15:00 UTC; your orders are safe."
        let body = String(
            decoding: try JSONSerialization.data(withJSONObject: [
                "id": "outage-2026-12-06", "text": notice, "customer_ids": customers.sorted(), "author": "ops",
            ]), as: UTF8.self)
        let started = Date()
        let answer = try json(try await hub.api("POST", "/broadcasts", json: body))
        #expect(answer["queued"] as? Int == 950, "\(answer["skipped"] ?? "")")
        #expect(answer["skipped"] as? Int == 50)
        let recipients = answer["recipients"] as? [[String: Any]] ?? []
        #expect(recipients.count == 1000)
        let skipped = recipients.filter { $0["message_id"] == nil }
        #expect(skipped.allSatisfy { ($0["skipped"] as? String)?.contains("opted out") == true })

        // Every message reaches its channel, paced.
        #expect(
            try await eventually(timeout: .seconds(90)) {
                notices.requests.count == 500 && twilio.requests.count == 450
            }, "\(notices.requests.count) notices, \(twilio.requests.count) SMS")
        for (name, receiver, count) in [("notices", notices, 500), ("twilio", twilio, 450)] {
            let times = receiver.requests.map(\.at).sorted()
            // The hub paces at 40 a second after a burst of 5; what the receiver sees also carries
            // the network's and the scheduler's jitter (a request sent late arrives with the next
            // ones), so windows of 3 s are checked, with 3 requests of slack.
            let busiest = Self.busiest(times, within: 3)
            #expect(busiest <= 3 * Int(rate) + burst + 3, "\(name): \(busiest) sends within 3 s")
            let span = (times.last ?? started).timeIntervalSince(times.first ?? started)
            let least = Double(count - burst) / rate - 1
            #expect(span >= least, "\(name): \(count) sends in \(span) s, at least \(least) s at \(rate)/s")
        }
        // The right numbers and addresses: nobody who texted STOP, everybody else once.
        let smsTo = twilio.requests.compactMap { request in
            FormEncoding.parse(bytes: request.body).first { $0.name == "To" }?.value
        }
        #expect(smsTo.count == 450 && Set(smsTo) == Set(numbers.dropFirst(50)))
        let webhookTo = try notices.requests.map { try json(text: $0.body)["to"] as? String ?? "" }
        #expect(Set(webhookTo) == Set((0..<500).map { "email:c\($0)@example.com" }) && webhookTo.count == 500)

        // In each customer's timeline, in the conversation the answer named.
        for recipient in recipients {
            let customer = try #require(recipient["customer_id"] as? String)
            let page = try json(try await hub.api("GET", "/customers/\(customer)/timeline?limit=5"))
            let messages = (page["items"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? [String: Any] }
            let notices = messages.filter { $0["direction"] as? String == "outbound" }
            if let messageID = recipient["message_id"] as? String {
                #expect(notices.count == 1 && notices.first?["id"] as? String == messageID)
                #expect(notices.first?["conversation_id"] as? String == recipient["conversation_id"] as? String)
                #expect(notices.first?["text"] as? String == notice)
            } else {
                #expect(notices.isEmpty)
            }
        }

        // Sent again (a retried request): the same answer, nothing sent twice.
        let again = try json(try await hub.api("POST", "/broadcasts", json: body))
        #expect(again["queued"] as? Int == 950)
        try await Task.sleep(for: .seconds(2))
        #expect(notices.requests.count == 500 && twilio.requests.count == 450)
    }

    /// The most arrivals within any `seconds`.
    static func busiest(_ times: [Date], within seconds: TimeInterval) -> Int {
        var busiest = 0
        var start = 0
        for end in times.indices {
            while times[end].timeIntervalSince(times[start]) >= seconds { start += 1 }
            busiest = max(busiest, end - start + 1)
        }
        return busiest
    }

    static func allCustomers(_ hub: HubProcess) async throws -> [String] {
        var ids: [String] = []
        var cursor: String?
        repeat {
            let path = "/customers?limit=500" + (cursor.map { "&cursor=\($0)" } ?? "")
            let page = try json(try await hub.api("GET", path))
            ids += (page["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            cursor = page["next_cursor"] as? String
        } while cursor != nil
        return ids
    }
}

func json(text bytes: [UInt8]) throws -> [String: Any] {
    guard let object = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
        throw E2EError("not a JSON object: \(String(decoding: bytes, as: UTF8.self))")
    }
    return object
}
