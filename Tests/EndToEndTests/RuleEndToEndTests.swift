import Foundation
import SwitchboardAdapterKit
import SwitchboardCurl
import Testing

/// Issue 9 on the running hub: an auto-acknowledge rule over real Dovecot and the SMTP peer, and
/// the operational metrics Prometheus scrapes from `/metrics`.
@Suite(.serialized) struct RuleEndToEndTests {
    static let support = (user: "support@example.test", password: "supportpass")

    /// Acceptance 2: the rule answers a first message once, and never an out-of-office reply or a bounce.
    @Test func anAutoAcknowledgeRuleAnswersAFirstMessageOnceAndNeverAutomaticMail() async throws {
        try MailPeers.start()
        let folder = "e2e-rule-" + UUID().uuidString.prefix(8).lowercased()
        let ack = "rule-ack-\(folder)"
        let hub = try await HubProcess.start(
            extraYAML: """
                rules:
                  - name: welcome
                    when: { message: first, channels: [support] }
                    then:
                      acknowledge: "Thanks {{customer.first_name|}}, we have your message (\(ack))."
                      tag: [new]
                  - name: urgent
                    when: { keywords: [urgent] }
                    then:
                      acknowledge: "We are on it (\(ack))."
                      priority: 2
                """,
            channelsYAML: MailPeers.channelYAML(
                id: "support", user: Self.support.user, password: Self.support.password, folder: folder))
        defer { Task { await hub.stop() } }
        func answers(to user: String) -> [String] {
            MailPeers.spooled().filter {
                $0.contains(ack) && (mailHeader("X-Test-Rcpt-To", in: $0) ?? "").contains(user)
            }
        }
        func deliver(_ mail: String) throws { try MailPeers.deliver(mail, to: Self.support.user, folder: folder) }

        // A person's first mail: one answer, greeting her by name, marked Auto-Submitted.
        try deliver(
            """
            From: Ana Lima <ana@example.test>
            To: support@example.test
            Subject: Parcel \(folder)
            Message-ID: <rule-1-\(folder)@example.test>

            Where is my parcel?
            """)
        #expect(try await eventually { answers(to: "ana@example.test").count == 1 }, "\(hub.log)")
        let answer = try #require(answers(to: "ana@example.test").first)
        #expect(answer.contains("Thanks Ana, we have your message"))
        #expect(mailHeader("Auto-Submitted", in: answer) == "auto-replied")
        let conversation = try #require(try conversations(hub, "email:ana@example.test").first)
        #expect(conversation["tags"] as? [String] == ["new"])

        // Her follow-up says "urgent": the urgent rule raises the priority, but the conversation had
        // its automatic answer within the window, so no second one.
        try deliver(
            """
            From: Ana Lima <ana@example.test>
            To: support@example.test
            Subject: Re: Parcel \(folder)
            Message-ID: <rule-2-\(folder)@example.test>
            In-Reply-To: <rule-1-\(folder)@example.test>

            It is urgent, please.
            """)
        #expect(try await eventually { try timeline(hub, "email:ana@example.test").count == 3 })
        #expect(
            try await eventually {
                try conversations(hub, "email:ana@example.test").first?["priority"] as? Int == 2
            })

        // An out-of-office reply and a bounce open conversations too, and are stored, but never answered.
        try deliver(
            """
            From: Bob <bob@example.test>
            To: support@example.test
            Subject: Automatic reply: urgent \(folder)
            Message-ID: <rule-ooo-\(folder)@example.test>
            Auto-Submitted: auto-replied

            I am out of the office until Monday. For urgent matters call the desk.
            """)
        try deliver(
            """
            From: Mail Delivery System <MAILER-DAEMON@mx.example.test>
            To: support@example.test
            Subject: Undelivered Mail Returned to Sender \(folder)
            Message-ID: <rule-bounce-\(folder)@mx.example.test>
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

            --b1
            Content-Type: text/plain

            This is the mail system. Your message could not be delivered (urgent).
            --b1
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mx.example.test
            Final-Recipient: rfc822; gone@example.test
            Action: failed
            Status: 5.1.1
            --b1--
            """)
        #expect(try await eventually { try timeline(hub, "email:bob@example.test").count == 1 })
        #expect(
            try await eventually { try timeline(hub, "email:MAILER-DAEMON@mx.example.test").count == 1 }, "\(hub.log)")
        #expect(try timeline(hub, "email:bob@example.test").first?["is_automatic"] as? Bool == true)
        try await Task.sleep(for: .seconds(2))  // ten more polls and dispatcher rounds
        #expect(answers(to: "bob@example.test").isEmpty)
        #expect(answers(to: "MAILER-DAEMON@mx.example.test").isEmpty && answers(to: "mailer-daemon@").isEmpty)
        #expect(answers(to: "ana@example.test").count == 1)
        // In the timeline: Ana's two mails and the one automatic answer, by the rule.
        let outbound = try timeline(hub, "email:ana@example.test").filter { $0["direction"] as? String == "outbound" }
        #expect(outbound.count == 1)
        #expect(outbound.first?["author"] as? String == "rule:welcome")
        #expect(outbound.first?["is_automatic"] as? Bool == true)
    }

    /// Acceptance 3 (metrics): Prometheus' text format at /metrics, with the numbers of what the hub did.
    @Test func metricsAreScrapedWithIngestSendsFailuresAndOutboxDepth() async throws {
        let receiver = Receiver()
        receiver.failNext([503])
        try await receiver.run { url in
            try await withHub(outboundURL: url) { hub in
                for (id, thread) in [("mx-1", "a"), ("mx-2", "b"), ("mx-1", "a")] {
                    let posted = try await hub.postWebhook(
                        "/webhooks/shop/inbound",
                        body: #"{"id":"\#(id)","from":"email:mo@example.com","text":"Hello","thread":"\#(thread)"}"#)
                    #expect(posted.status == 200)
                }
                let conversation = try #require(
                    (try conversations(hub, "email:mo@example.com").first)?["id"] as? String)
                let reply = try await hub.api(
                    "POST", "/conversations/\(conversation)/replies", json: #"{"text":"Hi Mo","author":"Bo"}"#)
                let replyID = try #require(try json(reply)["id"] as? String)
                // The first attempt gets 503, the retry is taken.
                #expect(
                    try await eventually(timeout: .seconds(30)) {
                        try await deliveryStatus(hub, conversation, replyID) == "sent"
                    })
                // The dispatcher counts the outbox every second; scrape until its count has the sent reply.
                var response = HTTPClientResponse(status: 0)
                #expect(
                    try await eventually {
                        response = try await hub.client.execute(HTTPClientRequest(url: hub.baseURL + "/metrics"))
                        return PrometheusText(response.text).value("switchboard_outbox_depth", ["channel": "shop"]) == 0
                    })
                #expect(response.status == 200)
                #expect(
                    response.headers.first { $0.name.lowercased() == "content-type" }?.value.hasPrefix(
                        "text/plain; version=0.0.4")
                        == true)
                let scraped = PrometheusText(response.text)
                #expect(
                    scraped.value("switchboard_messages_received_total", ["channel": "shop"]) == 2, "\(response.text)")
                #expect(scraped.value("switchboard_messages_duplicate_total", ["channel": "shop"]) == 1)
                #expect(scraped.value("switchboard_sends_total", ["channel": "shop"]) == 1)
                #expect(
                    scraped.value(
                        "switchboard_send_failures_total", ["channel": "shop", "reason": "transient", "final": "false"])
                        == 1)
                #expect(scraped.value("switchboard_outbox_depth", ["channel": "shop"]) == 0)
                #expect(scraped.value("switchboard_outbox_dead_lettered", ["channel": "shop"]) == 0)
                #expect(scraped.value("switchboard_poller_lag_seconds", ["channel": "shop"]) != nil)
                #expect(scraped.types["switchboard_messages_received_total"] == "counter")
                #expect(scraped.types["switchboard_outbox_depth"] == "gauge")
            }
        }
    }
}

/// Prometheus' text exposition format, read back: each sample by name and labels, and each `# TYPE`.
struct PrometheusText {
    var samples: [(name: String, labels: [String: String], value: Double)] = []
    var types: [String: String] = [:]

    init(_ text: String) {
        for line in text.split(separator: "\n").map(String.init) {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                if parts.count == 4 { types[String(parts[2])] = String(parts[3]) }
                continue
            }
            guard !line.hasPrefix("#"), let space = line.lastIndex(of: " "),
                let value = Double(line[line.index(after: space)...])
            else { continue }
            let series = String(line[..<space])
            var labels: [String: String] = [:]
            var name = series
            if let open = series.firstIndex(of: "{"), series.hasSuffix("}") {
                name = String(series[..<open])
                let inside = series[series.index(after: open)..<series.index(before: series.endIndex)]
                for pair in inside.split(separator: ",") {
                    let halves = pair.split(separator: "=", maxSplits: 1)
                    if halves.count == 2 { labels[String(halves[0])] = halves[1].trimmingCharacters(in: ["\""]) }
                }
            }
            samples.append((name, labels, value))
        }
    }

    /// The sample of `name` whose labels are exactly `labels`.
    func value(_ name: String, _ labels: [String: String]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }
}
