import Foundation
import SwitchboardAdapterKit
import SwitchboardCore
import SwitchboardSQLStore
import Testing

/// Broadcasts on both backends: each customer reached once on the channel they last wrote on,
/// opted-out numbers and customers outside a channel's window without a template skipped with the
/// reason, merged-away ids followed, and the same broadcast id sent again doubling nothing.
struct BroadcastTests {
    let policy = IngestPolicy(optOut: OptOutPolicy(channels: ["sms"]))

    @Test func eachCustomerIsReachedOnceOnTheirLatestChannel() async throws {
        try await withTemporaryStore { store in
            let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
            // Ann wrote by email long ago and by SMS since: the notice goes by SMS.
            let ann = try await store.ingestOne(
                try inbound("a1", from: "email:ann@example.com", at: now.addingTimeInterval(-86400)), policy: policy)
            let sms = try await store.ingestOne(
                try inbound("a2", from: "tel:+15550100", channel: "sms", thread: "s", at: now.addingTimeInterval(-60)),
                policy: policy)
            _ = try await store.merge(
                sms.conversation.customerID, into: ann.conversation.customerID, actor: "t", reason: "same person")
            let annSMS = try #require(
                try await store.conversations(customerID: ann.conversation.customerID).first { $0.channel == "sms" })
            // Bo texted STOP; Cy writes on WhatsApp, last 3 days ago (outside its 24-hour window).
            let bo = try await store.ingestOne(
                try inbound("b1", from: "tel:+15550101", channel: "sms", thread: "b", text: "STOP", at: now),
                policy: policy)
            let cy = try await store.ingestOne(
                try inbound(
                    "c1", from: "whatsapp:+15550102", channel: "wa", thread: "c", at: now.addingTimeInterval(-3 * 86400)
                ),
                policy: policy)
            let dee = try await store.ingestOne(
                try inbound("d1", from: "email:dee@example.com", thread: "d", at: now), policy: policy)
            let rules = BroadcastChannelRules(replyWindows: ["wa": .seconds(86400)])
            let ids = [
                ann.conversation.customerID, bo.conversation.customerID, cy.conversation.customerID,
                dee.conversation.customerID, "cus_unknown", dee.conversation.customerID,
            ]
            let request = BroadcastRequest(
                id: "outage-1", text: "  Our shop is down until 3pm.  ", customerIDs: ids, author: "ops")
            let result = try await store.broadcast(request, rules: rules, now: now)
            #expect(result.recipients.count == 6)
            #expect(result.queued == 2 && result.skipped == 3)
            let byCustomer = Dictionary(result.recipients.map { ($0.customerID, $0) }, uniquingKeysWith: { a, _ in a })
            let annResult = try #require(byCustomer[ann.conversation.customerID])
            #expect(annResult.channel == "sms" && annResult.conversationID == annSMS.id && annResult.messageID != nil)
            #expect(byCustomer[bo.conversation.customerID]?.skipped?.contains("opted out") == true)
            #expect(byCustomer[cy.conversation.customerID]?.skipped?.contains("approved template") == true)
            #expect(byCustomer["cus_unknown"]?.skipped == "no customer cus_unknown")
            // Named twice, sent once.
            #expect(result.recipients[3] == result.recipients[5])
            // In the right timelines, as automatic messages in the outbox.
            let annMessages = try await store.messages(conversationID: annSMS.id).filter { $0.direction == .outbound }
            #expect(annMessages.map(\.text) == ["Our shop is down until 3pm."])
            #expect(annMessages.first?.isAutomatic == true && annMessages.first?.author == "ops")
            #expect(annMessages.first?.visibility == .private)
            #expect(try await store.outboxCounts()["sms"]?.waiting == 1)
            #expect(try await store.outboxCounts()["shop"]?.waiting == 1)

            // Sent again (a retried request): the same answer, nothing queued twice.
            let again = try await store.broadcast(request, rules: rules, now: now.addingTimeInterval(5))
            #expect(again == result)
            #expect(try await store.outboxCounts()["sms"]?.waiting == 1)

            // With a template for WhatsApp, a new broadcast reaches Cy through it.
            let template = MessageTemplate(name: "service_notice", language: "en_US", parameters: ["3pm"])
            let second = try await store.broadcast(
                BroadcastRequest(
                    id: "outage-2", text: "Back at 3pm.", customerIDs: [cy.conversation.customerID],
                    templates: ["wa": template], author: "ops"), rules: rules, now: now)
            #expect(second.queued == 1)
            let sent = try await store.messages(conversationID: cy.conversation.id).filter { $0.direction == .outbound }
            #expect(sent.count == 1)
            let due = try await store.claimDue(now: now.addingTimeInterval(60), limit: 10, lease: .seconds(60))
            #expect(due.first { $0.message.channel == "wa" }?.message.template == template)
        }
    }

    @Test func aMergedAwayIdReachesTheCustomerItWasMergedInto() async throws {
        try await withTemporaryStore { store in
            let now = Date()
            let kept = try await store.ingestOne(try inbound("k", from: "email:kim@example.com", thread: "k", at: now))
            let gone = try await store.ingestOne(try inbound("g", from: "tel:+15550109", thread: "g", at: now))
            _ = try await store.merge(
                gone.conversation.customerID, into: kept.conversation.customerID, actor: "t", reason: "same person")
            let result = try await store.broadcast(
                BroadcastRequest(
                    id: "m-1", text: "Hello",
                    customerIDs: [gone.conversation.customerID, kept.conversation.customerID],
                    author: "ops"), rules: BroadcastChannelRules(), now: now)
            #expect(
                result.recipients.map(\.customerID) == [kept.conversation.customerID, kept.conversation.customerID])
            #expect(result.queued == 1 && result.skipped == 0)
        }
    }

    @Test func theSameIdForAnotherBroadcastIsRefusedAndAMergeSinceDoublesNothing() async throws {
        try await withTemporaryStore { store in
            let now = Date()
            let ann = try await store.ingestOne(try inbound("a", from: "email:ann@example.com", thread: "a", at: now))
            let phone = try await store.ingestOne(try inbound("p", from: "tel:+15550120", thread: "p", at: now))
            let ids = [ann.conversation.customerID, phone.conversation.customerID]
            let first = try await store.broadcast(
                BroadcastRequest(id: "b-1", text: "Down", customerIDs: [ann.conversation.customerID], author: "ops"),
                rules: BroadcastChannelRules(), now: now)
            #expect(first.queued == 1)
            // Another text (or other customers) under the same id: refused, nothing queued.
            let message = await expectStoreError(.conflict) {
                _ = try await store.broadcast(
                    BroadcastRequest(id: "b-1", text: "Up again", customerIDs: ids, author: "ops"),
                    rules: BroadcastChannelRules(), now: now)
            }
            #expect(message?.contains("give this one a new id") == true)
            // Ann's profile is merged into the phone's since: a retry does not reach the same person twice.
            _ = try await store.merge(
                ann.conversation.customerID, into: phone.conversation.customerID, actor: "t", reason: "same")
            let retried = try await store.broadcast(
                BroadcastRequest(id: "b-1", text: "Down", customerIDs: [ann.conversation.customerID], author: "ops"),
                rules: BroadcastChannelRules(), now: now)
            #expect(retried.recipients.map(\.messageID) == first.recipients.map(\.messageID))
            #expect(try await store.outboxCounts()["shop"]?.waiting == 1)
            // A channel the hub does not run is said, not queued.
            let elsewhere = try await store.broadcast(
                BroadcastRequest(id: "b-2", text: "Down", customerIDs: ids, author: "ops"),
                rules: BroadcastChannelRules(sending: ["sms"]), now: now)
            #expect(elsewhere.queued == 0)
            #expect(elsewhere.recipients.allSatisfy { $0.skipped?.contains("is not running or cannot send") == true })
        }
    }

    @Test(arguments: [
        ("", "Hi", ["c"], "a broadcast id is 1 to 64"),
        ("has space", "Hi", ["c"], "a broadcast id is 1 to 64"),
        ("ok", "  ", ["c"], "the broadcast text is empty"),
        ("ok", "Hi", [], "name at least one customer"),
    ])
    func badRequestsAreRefusedAndChangeNothing(id: String, text: String, customers: [String], expected: String)
        async throws
    {
        try await withTemporaryStore { store, _ in
            let message = await expectStoreError(.invalid) {
                _ = try await store.broadcast(
                    BroadcastRequest(id: id, text: text, customerIDs: customers, author: "ops"),
                    rules: BroadcastChannelRules(), now: Date())
            }
            #expect(message?.contains(expected) == true, "\(message ?? "")")
            #expect((try? await store.outboxCounts())?.isEmpty == true)
        }
    }
}
