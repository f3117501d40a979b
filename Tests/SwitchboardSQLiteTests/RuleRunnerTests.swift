import Foundation
import Logging
import SwitchboardAdapterKit
import SwitchboardCore
import SwitchboardSQLStore
import Testing

/// Rules on the real store, through the router: conditions pick the messages, actions change the
/// conversation with the rule as the actor (in the event log), round-robin hands conversations to
/// signed-in agents in turn, and automatic answers are loop-safe.
struct RuleRunnerTests {
    func router(_ store: SQLStore, _ rules: [Rule], hours: BusinessHours = .always) -> Router {
        let events = EventBus()
        let runner = RuleRunner(
            rules: rules, store: store, hours: hours, events: events, logger: Logger(label: "test"))
        return Router(
            store: store, policy: IngestPolicy(), events: events, logger: Logger(label: "test"), rules: runner)
    }

    /// A message written just now: rules leave older ones (history being imported) alone.
    func recent(
        _ externalID: String, from: String, thread: String = "thread-1", text: String? = nil
    ) throws -> InboundEnvelope {
        try inbound(externalID, from: from, thread: thread, text: text, at: Date())
    }

    func deliver(_ router: Router, _ envelope: InboundEnvelope) async throws -> String {
        guard case .stored(_, let conversationID, _) = try await router.deliver([envelope]).first else {
            Issue.record("not stored")
            throw StopThisTest()
        }
        return conversationID
    }

    @Test func roundRobinHandsConversationsToSignedInAgentsInTurn() async throws {
        try await withTemporaryStore { store, _ in
            let now = Date()
            var users: [String: User] = [:]
            for name in ["alice", "bob", "carol", "dave"] {
                users[name] = try await store.createUser(name: name, role: .agent)
            }
            // Alice and Bob are signed in; Carol's session ended; Dave is signed in but not in the pool.
            for name in ["alice", "bob", "dave"] {
                _ = try await store.issueSession(forUser: users[name]!.id, expiresAt: now.addingTimeInterval(3600))
            }
            _ = try await store.issueSession(forUser: users["carol"]!.id, expiresAt: now.addingTimeInterval(-60))
            #expect(try await store.signedInUsers(now: now).map(\.name) == ["alice", "bob", "dave"])

            let rule = Rule(
                name: "pool", conditions: RuleConditions(),
                actions: RuleActions(assignRoundRobin: ["alice", "bob", "carol"]))
            let router = router(store, [rule])
            var assignees: [String?] = []
            var first = ""
            for index in 0..<4 {
                let id = try await deliver(
                    router, try recent("rr-\(index)", from: "email:c\(index)@example.com", thread: "t\(index)"))
                if index == 0 { first = id }
                assignees.append(try await store.conversation(id: id)?.assignee)
            }
            #expect(assignees == ["alice", "bob", "alice", "bob"])
            // A follow-up keeps its agent.
            _ = try await deliver(router, try recent("rr-again", from: "email:c0@example.com", thread: "t0"))
            #expect(try await store.conversation(id: first)?.assignee == "alice")
            let log = try await store.activity(ofConversations: [first])
            #expect(log.contains { $0.kind == .assignment && $0.actor == "rule:pool" && $0.value == "alice" })
        }
    }

    @Test func conditionsPickTheMessagesAndActionsAreLoggedUnderTheRule() async throws {
        try await withTemporaryStore { store, _ in
            let rules = [
                Rule(
                    name: "refunds",
                    conditions: RuleConditions(
                        keywords: ["refund", "money back"], customerAttributes: ["email": "*@bigcorp.example"]),
                    actions: RuleActions(addTags: ["refund"], priority: 1)),
                Rule(
                    name: "angry", conditions: RuleConditions(sentiment: .negative),
                    actions: RuleActions(priority: 3)),
                Rule(
                    name: "orders", conditions: RuleConditions(pattern: try RulePattern(#"order\s*#?\d+"#)),
                    actions: RuleActions(addTags: ["order"])),
                Rule(
                    name: "thanks", conditions: RuleConditions(keywords: ["all sorted"], message: .followUp),
                    actions: RuleActions(close: true)),
            ]
            let router = router(store, rules)
            let vip = try await deliver(
                router,
                try recent(
                    "v1", from: "email:ann@bigcorp.example", thread: "v",
                    text: "Could I have my money back for order 88?"))
            var conversation = try #require(try await store.conversation(id: vip))
            #expect(conversation.tags == ["refund", "order"] && conversation.priority == 1)
            // Not a whole word; not the customer the rule is for.
            let other = try await deliver(
                router, try recent("o1", from: "email:bo@else.example", thread: "o", text: "Refunding is fun"))
            #expect(try await store.conversation(id: other)?.tags == [])
            let stranger = try await deliver(
                router, try recent("s1", from: "email:cy@else.example", thread: "s", text: "I want a refund"))
            #expect(try await store.conversation(id: stranger)?.tags == [])
            // Negative: priority raised to 3 and never lowered again by the refunds rule.
            _ = try await deliver(
                router,
                try recent(
                    "v2", from: "email:ann@bigcorp.example", thread: "v",
                    text: "This is terrible, I still have no refund"))
            conversation = try #require(try await store.conversation(id: vip))
            #expect(conversation.priority == 3)
            // "all sorted" on a first message does nothing; as a follow-up it resolves.
            let fresh = try await deliver(
                router, try recent("f1", from: "email:di@else.example", thread: "f", text: "all sorted?"))
            #expect(try await store.conversation(id: fresh)?.status == .open)
            _ = try await deliver(
                router, try recent("v3", from: "email:ann@bigcorp.example", thread: "v", text: "All sorted, thanks"))
            #expect(try await store.conversation(id: vip)?.status == .resolved)

            let log = try await store.activity(ofConversations: [vip])
            #expect(log.contains { $0.kind == .tags && $0.actor == "rule:refunds" && $0.value == "refund" })
            #expect(log.contains { $0.kind == .tags && $0.actor == "rule:orders" && $0.value == "refund,order" })
            #expect(log.contains { $0.kind == .priority && $0.actor == "rule:angry" && $0.value == "3" })
            #expect(log.contains { $0.kind == .status && $0.actor == "rule:thanks" && $0.value == "resolved" })
        }
    }

    @Test func businessHoursDecideOpenAndClosedRules() async throws {
        try await withTemporaryStore { store, _ in
            let closedAllWeek = BusinessHours(timeZone: .gmt, week: [1: [.init(start: 0, end: 1)]])
            let rules = [
                Rule(
                    name: "night", conditions: RuleConditions(businessTime: .closed),
                    actions: RuleActions(addTags: ["after-hours"])),
                Rule(
                    name: "day", conditions: RuleConditions(businessTime: .open), actions: RuleActions(addTags: ["day"])
                ),
            ]
            var id = try await deliver(
                router(store, rules, hours: closedAllWeek), try recent("n", from: "tel:+15550100"))
            #expect(try await store.conversation(id: id)?.tags == ["after-hours"])
            id = try await deliver(router(store, rules), try recent("d", from: "tel:+15550101", thread: "d"))
            #expect(try await store.conversation(id: id)?.tags == ["day"])
            // History being imported (older than a day) is left alone.
            id = try await deliver(
                router(store, rules), try inbound("h", from: "tel:+15550102", thread: "h", at: baseTime))
            #expect(try await store.conversation(id: id)?.tags == [])
        }
    }

    @Test func anAutomaticAnswerIsSentOncePerWindowAndNeverToAutomaticMail() async throws {
        try await withTemporaryStore { store, _ in
            let rule = Rule(
                name: "ack", conditions: RuleConditions(),
                actions: RuleActions(
                    acknowledge: try CannedReply(name: "ack", text: "Thanks {{customer.first_name|}}!")))
            let router = router(store, [rule])
            let now = Date()
            func answers(_ conversation: String) async throws -> [Message] {
                try await store.messages(conversationID: conversation).filter { $0.direction == .outbound }
            }
            var hints = IdentityHints()
            hints.displayName = "Ann Lee"
            let ann = try await deliver(
                router, try inbound("a1", from: "email:ann@example.com", thread: "a", at: now, hints: hints))
            let first = try await answers(ann)
            #expect(first.map(\.text) == ["Thanks Ann!"])
            #expect(first.first?.isAutomatic == true && first.first?.author == "rule:ack")
            // A follow-up within the window: no second answer.
            _ = try await deliver(router, try inbound("a2", from: "email:ann@example.com", thread: "a", at: now))
            #expect(try await answers(ann).count == 1)
            // An out-of-office reply or a bounce is never answered.
            var ooo = try inbound("b1", from: "email:bob@example.com", thread: "b", at: now)
            ooo.isAutomatic = true
            #expect(try await answers(try await deliver(router, ooo)).isEmpty)
            let bounce = try inbound("m1", from: "email:MAILER-DAEMON@mx.example.com", thread: "m", at: now)
            #expect(try await answers(try await deliver(router, bounce)).isEmpty)
            let noReply = try inbound("n1", from: "email:no-reply@shop.example", thread: "n", at: now)
            #expect(try await answers(try await deliver(router, noReply)).isEmpty)
            // Old history being imported is not answered either.
            let old = try inbound(
                "h1", from: "email:hal@example.com", thread: "h", at: now.addingTimeInterval(-3 * 86400))
            #expect(try await answers(try await deliver(router, old)).isEmpty)
            // The log counts the answer as automatic, by the rule.
            let log = try await store.activity(ofConversations: [ann])
            #expect(
                log.filter { $0.kind == .messageOut }.map { "\($0.actor ?? "") \($0.isAutomatic)" } == ["rule:ack true"]
            )
        }
    }

    @Test func relativeChangesKeepWhatAnAgentDidMeanwhile() async throws {
        try await withTemporaryStore { store in
            for name in ["alice", "bob"] { _ = try await store.createUser(name: name, role: .agent) }
            let stored = try await store.ingestOne(try recent("m", from: "email:kim@example.com"))
            let id = stored.conversation.id
            // The agent tags and takes the conversation after the rule read it…
            _ = try await store.update(
                conversationID: id, ConversationChange(assignee: .some("alice"), tags: ["vip"]), actor: "alice")
            // …and the rule's relative change adds to that instead of writing over it.
            var change = ConversationChange()
            change.addingTags = ["refund"]
            change.raisingPriorityTo = 2
            change.assigneeIfNone = "bob"
            var conversation = try await store.update(conversationID: id, change, actor: "rule:r")
            #expect(conversation.tags == ["vip", "refund"] && conversation.assignee == "alice")
            #expect(conversation.priority == 2)
            change = ConversationChange()
            change.raisingPriorityTo = 1
            conversation = try await store.update(conversationID: id, change, actor: "rule:r")
            #expect(conversation.priority == 2, "never lowered")
        }
    }

    @Test func refusalNamesWhyAndTheWindowEnds() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let address = try Address(parsing: "email:ann@example.com")
        let conversation = Conversation(
            id: "c", customerID: "u", channel: "mail", customerAddress: address, threadKey: "t", subject: nil,
            status: .open, assignee: nil, tags: [], priority: 0, createdAt: now, lastMessageAt: now)
        let message = Message(
            id: "m", conversationID: "c", customerID: "u", channel: "mail", direction: .inbound, visibility: .private,
            author: "ann@example.com", subject: nil, text: "hi", html: nil, attachments: [], externalID: nil,
            inReplyTo: nil, sentAt: now, receivedAt: now, isAutomatic: false, deliveryStatus: nil)
        #expect(RuleRunner.refusal(message, conversation: conversation, now: now) == nil)
        var automatic = message
        automatic.isAutomatic = true
        #expect(RuleRunner.refusal(automatic, conversation: conversation, now: now)?.contains("automatic") == true)
        var post = message
        post.visibility = .public
        #expect(RuleRunner.refusal(post, conversation: conversation, now: now) != nil)
        for sender in ["email:noreply@x.example", "email:Do-Not-Reply@x.example", "email:postmaster@x.example"] {
            #expect(try Address(parsing: sender).isNoReplySender, "\(sender)")
        }
        #expect(!(try Address(parsing: "email:norene@x.example").isNoReplySender))
        #expect(!(try Address(parsing: "tel:+15550100").isNoReplySender))
    }

    /// The window is checked where the answer is written: an automatic message 3,599 s ago holds a
    /// new one back for a window of an hour; one 3,600 s ago no longer does.
    @Test func theWindowEndsAnHourAfterTheLastAutomaticMessage() async throws {
        try await withTemporaryStore { store in
            let sent = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down) - 7200)
            let stored = try await store.ingestOne(try recent("w", from: "email:ann@example.com"))
            let id = stored.conversation.id
            _ = try await store.enqueueReply(
                ReplyRequest(conversationID: id, text: "We have it", author: "rule:a", isAutomatic: true), at: sent)
            let window: TimeInterval = 3600
            let answer = ReplyRequest(conversationID: id, text: "Again", author: "rule:b", isAutomatic: true)
            for (elapsed, allowed) in [(3599.0, false), (3600.0, true)] {
                let now = sent.addingTimeInterval(elapsed)
                let queued = try await store.enqueueAutomaticReply(
                    answer, unlessAutomaticSince: now.addingTimeInterval(-window))
                #expect((queued != nil) == allowed, "\(elapsed) s after the last automatic message")
            }
        }
    }
}
