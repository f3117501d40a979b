import Foundation
import SwitchboardAdapterKit
import Testing

/// The email channel against real Dovecot (IMAP, fed over LMTP) and a real SMTP server that relays
/// into Dovecot, all started by `scripts/peers/mail.sh`. Every test reads its own IMAP folder, so
/// the tests can share the servers.
@Suite(.serialized) struct EmailEndToEndTests {
    static let support = (user: "support@example.test", password: "supportpass")
    static let sales = (user: "sales@example.test", password: "salespass")

    init() throws { try MailPeers.start() }

    static func folder() -> String { "e2e-" + UUID().uuidString.prefix(8).lowercased() }

    @Test func mailInTheMailboxReachesTheRightTimelinesOnceAcrossRestarts() async throws {
        let folder = Self.folder()
        let channel = MailPeers.channelYAML(
            id: "support", user: Self.support.user, password: Self.support.password, folder: folder)
        try MailPeers.deliver(
            """
            From: =?UTF-8?Q?Ana_Lima?= <alice@example.test>
            To: support@example.test
            Subject: =?UTF-8?Q?Caf=C3=A9?= order
            Message-ID: <e2e-1-\(folder)@example.test>
            Date: Mon, 23 Nov 2026 09:00:00 +0000
            MIME-Version: 1.0
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: quoted-printable

            Bonjour, o=C3=B9 est ma commande ?
            """, to: Self.support.user, folder: folder)
        try MailPeers.deliver(
            """
            From: Bob <bob@example.test>
            To: support@example.test
            Subject: Refund
            Message-ID: <e2e-2-\(folder)@example.test>
            Date: Mon, 23 Nov 2026 09:01:00 +0000
            Content-Type: text/plain; charset=iso-8859-1
            Content-Transfer-Encoding: 8bit

            I would like my money back.

            --\u{20}
            Bob, sent from the road
            """, to: Self.support.user, folder: folder)

        let hub = try await HubProcess.start(channelsYAML: channel)
        let directory = hub.directory
        var stopped = false
        defer { if !stopped { Task { await hub.stop() } } }
        #expect(try await eventually { try timeline(hub, "email:bob@example.test").count == 1 }, "\(hub.log)")
        #expect(try await eventually { try timeline(hub, "email:alice@example.test").count == 1 })
        let ana = try #require(try timeline(hub, "email:alice@example.test").first)
        #expect(ana["subject"] as? String == "Café order")
        #expect(ana["text"] as? String == "Bonjour, où est ma commande ?")
        #expect(ana["author"] as? String == "email:alice@example.test")
        let bob = try #require(try timeline(hub, "email:bob@example.test").first)
        #expect(bob["text"] as? String == "I would like my money back.")
        await hub.stop(keepingData: true)
        stopped = true

        // Mail that arrives while the hub is down is read after it starts again; nothing twice.
        try MailPeers.deliver(
            """
            From: alice@example.test
            To: support@example.test
            Subject: Also
            Message-ID: <e2e-3-\(folder)@example.test>

            One more thing.
            """, to: Self.support.user, folder: folder)
        let again = try await HubProcess.start(channelsYAML: channel, directory: directory)
        defer { Task { await again.stop() } }
        #expect(try await eventually { try timeline(again, "email:alice@example.test").count == 2 }, "\(again.log)")
        try await Task.sleep(for: .seconds(1))  // several more polls
        #expect(try timeline(again, "email:alice@example.test").count == 2)
        #expect(try timeline(again, "email:bob@example.test").count == 1)
        #expect(try items(again.cli(["customers", "list", "--json"]).output).count == 2)
    }

    @Test func aReplyThreadsTheAnswerAndNotAStrangerQuotingIt() async throws {
        let folder = Self.folder()
        let hub = try await HubProcess.start(
            channelsYAML: MailPeers.channelYAML(
                id: "support", user: Self.support.user, password: Self.support.password, folder: folder))
        defer { Task { await hub.stop() } }
        let original = "e2e-order-\(folder)@example.test"
        try MailPeers.deliver(
            """
            From: Ana <alice@example.test>
            To: support@example.test
            Subject: Order \(folder)
            Message-ID: <\(original)>

            Where is my parcel?
            """, to: Self.support.user, folder: folder)
        #expect(try await eventually { try timeline(hub, "email:alice@example.test").count == 1 }, "\(hub.log)")
        let conversation = try #require(
            try timeline(hub, "email:alice@example.test").first?["conversation_id"] as? String)

        let token = "token-\(folder)"
        let reply = try await hub.api(
            "POST", "/conversations/\(conversation)/replies",
            json: #"{"text":"It left today (\#(token)).","author":"Bo"}"#)
        #expect(reply.status == 202, "\(reply.text)")
        #expect(try await eventually { MailPeers.spooled().contains { $0.contains(token) } }, "\(hub.log)")
        let sent = try #require(MailPeers.spooled().last { $0.contains(token) })
        let ourID = try #require(mailHeader("Message-ID", in: sent)).trimmingCharacters(in: ["<", ">"])
        #expect(ourID.hasPrefix("sb.") && ourID.hasSuffix("@example.test"))
        #expect(mailHeader("In-Reply-To", in: sent) == "<\(original)>")
        #expect(mailHeader("References", in: sent) == "<\(original)>")
        #expect(mailHeader("Subject", in: sent) == "Re: Order \(folder)")
        #expect(mailHeader("X-Test-Rcpt-To", in: sent)?.contains("alice@example.test") == true)

        // Ana's answer lands in the same conversation.
        try MailPeers.deliver(
            """
            From: Ana <alice@example.test>
            To: support@example.test
            Subject: Re: Order \(folder)
            Message-ID: <e2e-answer-\(folder)@example.test>
            In-Reply-To: <\(ourID)>
            References: <\(original)> <\(ourID)>

            Thanks! It arrived.

            On Mon, 23 Nov 2026, Switchboard Tests wrote:
            > It left today (\(token)).
            """, to: Self.support.user, folder: folder)
        #expect(try await eventually { try timeline(hub, "email:alice@example.test").count == 3 }, "\(hub.log)")
        let answer = try #require(
            try timeline(hub, "email:alice@example.test").first {
                $0["direction"] as? String == "inbound" && ($0["text"] as? String)?.hasPrefix("Thanks") == true
            })
        #expect(answer["conversation_id"] as? String == conversation)
        #expect(answer["text"] as? String == "Thanks! It arrived.")

        // Bob quotes the same subject and even our Message-ID: his own conversation.
        try MailPeers.deliver(
            """
            From: Bob <bob@example.test>
            To: support@example.test
            Subject: Re: Order \(folder)
            Message-ID: <e2e-bob-\(folder)@example.test>
            In-Reply-To: <\(ourID)>

            Is this about my order too?
            """, to: Self.support.user, folder: folder)
        #expect(try await eventually { try timeline(hub, "email:bob@example.test").count == 1 })
        let bob = try #require(try timeline(hub, "email:bob@example.test").first)
        #expect(bob["conversation_id"] as? String != conversation)
        #expect(try timeline(hub, "email:alice@example.test").count == 3)
    }

    @Test func anOutOfOfficeReplyIsMarkedAndNeverAnswered() async throws {
        let folder = Self.folder()
        let hub = try await HubProcess.start(
            channelsYAML: MailPeers.channelYAML(
                id: "support", user: Self.support.user, password: Self.support.password, folder: folder,
                acknowledge: "We have your message (ack-\(folder))."))
        defer { Task { await hub.stop() } }
        let ack = "ack-\(folder)"
        func acknowledgements(to user: String) -> [String] {
            MailPeers.spooled().filter {
                $0.contains(ack) && (mailHeader("X-Test-Rcpt-To", in: $0) ?? "").contains(user)
            }
        }
        // A person's mail is acknowledged, marked Auto-Submitted.
        try MailPeers.deliver(
            """
            From: Ana <alice@example.test>
            To: support@example.test
            Subject: Help \(folder)
            Message-ID: <e2e-help-\(folder)@example.test>

            Can you help?
            """, to: Self.support.user, folder: folder)
        #expect(try await eventually { acknowledgements(to: "alice@example.test").count == 1 }, "\(hub.log)")
        #expect(mailHeader("Auto-Submitted", in: acknowledgements(to: "alice@example.test")[0]) == "auto-replied")

        // Bob's out-of-office answer: stored, marked automatic, not acknowledged.
        try MailPeers.deliver(
            """
            From: Bob <bob@example.test>
            To: support@example.test
            Subject: Automatic reply: Help \(folder)
            Message-ID: <e2e-ooo-\(folder)@example.test>
            Auto-Submitted: auto-replied
            X-Auto-Response-Suppress: All

            I am out of the office until Monday.
            """, to: Self.support.user, folder: folder)
        #expect(try await eventually { try timeline(hub, "email:bob@example.test").count == 1 })
        let ooo = try #require(try timeline(hub, "email:bob@example.test").first)
        #expect(ooo["is_automatic"] as? Bool == true)
        try await Task.sleep(for: .seconds(2))  // ten more polls and dispatcher rounds
        #expect(acknowledgements(to: "bob@example.test").isEmpty)
        #expect(try timeline(hub, "email:bob@example.test").count == 1)
        #expect(acknowledgements(to: "alice@example.test").count == 1)
    }

    @Test func oneMailToTwoInboxesIsOneMessage() async throws {
        let supportFolder = Self.folder()
        let salesFolder = Self.folder()
        let hub = try await HubProcess.start(
            channelsYAML: MailPeers.channelYAML(
                id: "support", user: Self.support.user, password: Self.support.password, folder: supportFolder)
                + "\n"
                + MailPeers.channelYAML(
                    id: "sales", user: Self.sales.user, password: Self.sales.password, folder: salesFolder))
        defer { Task { await hub.stop() } }
        let mail = """
            From: Ana <alice@example.test>
            To: support@example.test, sales@example.test
            Subject: Quote \(supportFolder)
            Message-ID: <e2e-both-\(supportFolder)@example.test>

            Please send a quote.
            """
        try MailPeers.deliver(mail, to: Self.support.user, folder: supportFolder)
        try MailPeers.deliver(mail, to: Self.sales.user, folder: salesFolder)
        #expect(try await eventually { try timeline(hub, "email:alice@example.test").count == 1 }, "\(hub.log)")
        try await Task.sleep(for: .seconds(1))
        #expect(try timeline(hub, "email:alice@example.test").count == 1)
        // Both inboxes read it: the second found it already stored.
        #expect(
            try await eventually { hub.log.contains("duplicates=1") || hub.log.contains("duplicates: 1") }, "\(hub.log)"
        )
    }
}
