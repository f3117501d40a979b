import Foundation
import GRDB
import SwitchboardAdapterKit
import SwitchboardCore
import SwitchboardSQLite
import Testing

struct IngestStoreTests {
    @Test func aMessageCreatesCustomerConversationAndMessageOnce() async throws {
        let fixture = try StoreFixture()
        let first = try await fixture.stored(try envelope("m1", from: "email:Ana@Example.com", name: "Ana"))
        #expect(first.newCustomer && first.newConversation)
        #expect(first.message.text == "text of m1")
        guard
            case .duplicate(let id) = try await fixture.ingest(
                try envelope("m1", from: "email:ana@example.com", text: "other"))
        else {
            Issue.record("the same (channel, external id) was stored twice")
            return
        }
        #expect(id == first.message.id)
        #expect(
            try await fixture.store.counts() == [
                "customers": 1, "identities": 1, "conversations": 1, "messages": 1, "outbox": 0, "merges": 0,
                "events": 0,
            ])
        let profile = try #require(try await fixture.store.profile(id: first.conversation.customerID))
        #expect(profile.customer.displayName == "Ana")
        #expect(profile.customer.attributes["email"] == "Ana@example.com")
        #expect(profile.identities.map(\.address.description) == ["email:Ana@example.com"])
    }

    @Test func theSameExternalIDOnAnotherChannelIsAnotherMessage() async throws {
        let fixture = try StoreFixture()
        _ = try await fixture.stored(try envelope("m1", from: "email:ana@example.com"))
        _ = try await fixture.stored(try envelope("m1", from: "email:ana@example.com", channel: "other"))
        #expect(try await fixture.count("messages") == 2)
        #expect(try await fixture.count("customers") == 1)
    }

    @Test func duplicatesInsideOneBatchAreCaught() async throws {
        let fixture = try StoreFixture()
        let outcomes = try await fixture.store.ingest(
            [try envelope("d1", from: "tel:+14155550100"), try envelope("d1", from: "tel:+14155550100")],
            policy: .init())
        guard case .stored(let stored) = outcomes[0], case .duplicate(let id) = outcomes[1] else {
            Issue.record("unexpected outcomes \(outcomes)")
            return
        }
        #expect(id == stored.message.id)
        #expect(try await fixture.count("messages") == 1)
    }

    @Test func aBadEnvelopeIsRejectedAloneAndItsNeighboursAreStored() async throws {
        let fixture = try StoreFixture()
        var bad = try envelope("", from: "email:eve@example.com")
        bad.externalID = ""
        let outcomes = try await fixture.store.ingest(
            [try envelope("ok1", from: "email:a@example.com"), bad, try envelope("ok2", from: "email:b@example.com")],
            policy: .init())
        guard case .rejected(let reason) = outcomes[1] else {
            Issue.record("an envelope without an id was stored")
            return
        }
        #expect(reason.contains("external id"))
        #expect(try await fixture.count("messages") == 2)
        #expect(try await fixture.count("customers") == 2)
    }

    @Test func aFailingEnvelopeRollsBackOnlyItself() async throws {
        // A trigger makes the database refuse one message: it stands in for any failure that happens
        // after an envelope has already written its customer and conversation rows.
        let fixture = try StoreFixture()
        let pool = try DatabasePool(path: fixture.directory.appendingPathComponent("test.sqlite").path)
        try await pool.write { db in
            try db.execute(
                sql: """
                    CREATE TRIGGER refuse_poison BEFORE INSERT ON messages WHEN NEW.text = 'poison'
                    BEGIN SELECT RAISE(ABORT, 'poisoned message'); END
                    """)
        }
        let outcomes = try await fixture.store.ingest(
            [
                try envelope("p1", from: "email:a@example.com"),
                try envelope("p2", from: "email:new@example.com", text: "poison"),
                try envelope("p3", from: "email:c@example.com"),
            ], policy: .init())
        guard case .rejected(let reason) = outcomes[1] else {
            Issue.record("the poisoned envelope was stored: \(outcomes)")
            return
        }
        #expect(reason.contains("poisoned message"))
        #expect(try await fixture.count("messages") == 2)
        #expect(try await fixture.count("customers") == 2, "the poisoned envelope's new customer was rolled back too")
        #expect(try await fixture.store.customer(for: try Address(parsing: "email:new@example.com")) == nil)
    }

    @Test func threadKeysGroupMessagesPerSender() async throws {
        let fixture = try StoreFixture()
        let a1 = try await fixture.stored(try envelope("a1", from: "email:ana@example.com", thread: "order-1"))
        let a2 = try await fixture.stored(
            try envelope("a2", from: "email:ana@example.com", thread: "order-1", minute: 1))
        let a3 = try await fixture.stored(
            try envelope("a3", from: "email:ana@example.com", thread: "order-2", minute: 2))
        let b1 = try await fixture.stored(
            try envelope("b1", from: "email:bea@example.com", thread: "order-1", minute: 3))
        #expect(a2.conversation.id == a1.conversation.id && !a2.newConversation)
        #expect(a3.conversation.id != a1.conversation.id)
        #expect(a3.conversation.customerID == a1.conversation.customerID)
        #expect(b1.conversation.id != a1.conversation.id, "another sender never joins someone else's conversation")
        #expect(b1.conversation.customerID != a1.conversation.customerID)
    }

    @Test func aResolvedConversationReopensWithinTheWindowAndNotAfter() async throws {
        let fixture = try StoreFixture()
        let policy = IngestPolicy(reopenWindow: .seconds(3600))
        let first = try await fixture.stored(try envelope("r1", from: "tel:+14155550100", thread: "t"), policy: policy)
        _ = try await fixture.store.setStatus(conversationID: first.conversation.id, to: .resolved, actor: "bo")
        // setStatus stamps resolved_at with the wall clock; messages are dated relative to now.
        var soon = try envelope("r2", from: "tel:+14155550100", thread: "t")
        soon.sentAt = Date().addingTimeInterval(600)
        let reopened = try await fixture.stored(soon, policy: policy)
        #expect(reopened.reopened)
        #expect(reopened.conversation.id == first.conversation.id)
        #expect(try await fixture.store.conversation(id: first.conversation.id)?.status == .open)

        _ = try await fixture.store.setStatus(conversationID: first.conversation.id, to: .resolved, actor: "bo")
        var late = try envelope("r3", from: "tel:+14155550100", thread: "t")
        late.sentAt = Date().addingTimeInterval(7200)
        let fresh = try await fixture.stored(late, policy: policy)
        #expect(fresh.newConversation)
        #expect(fresh.conversation.id != first.conversation.id)
        #expect(fresh.conversation.customerID == first.conversation.customerID)
        let statusEvents = try await fixture.store.timeline(
            customerID: first.conversation.customerID, limit: 50, cursor: nil
        )
        .items.filter { if case .event(let event) = $0 { event.kind == "status" } else { false } }
        #expect(statusEvents.count == 2)
    }

    @Test func whatsappAndSMSFromOneNumberAreOneCustomerWhenTheConfigLinksThem() async throws {
        let linked = try StoreFixture()
        let sms = try await linked.stored(try envelope("s1", from: "tel:+14155550100"))
        let whatsapp = try await linked.stored(try envelope("w1", from: "whatsapp:+1 415 555 0100", minute: 1))
        #expect(whatsapp.conversation.customerID == sms.conversation.customerID)
        #expect(!whatsapp.newCustomer)
        #expect(try await linked.texts(sms.conversation.customerID) == ["text of w1", "text of s1"])

        let separate = try StoreFixture()
        let policy = IngestPolicy(identity: IdentityPolicy(linkWhatsAppToPhone: false))
        let sms2 = try await separate.stored(try envelope("s1", from: "tel:+14155550100"), policy: policy)
        let whatsapp2 = try await separate.stored(try envelope("w1", from: "whatsapp:+14155550100"), policy: policy)
        #expect(whatsapp2.conversation.customerID != sms2.conversation.customerID)
    }

    @Test func aVerifiedIdentifierOfAnotherProfileSuggestsByDefaultAndMergesWhenAllowed() async throws {
        let suggesting = try StoreFixture()
        let email = try await suggesting.stored(try envelope("e1", from: "email:ana@example.com"))
        let chat = try await suggesting.stored(
            try envelope("c1", from: "webchat:v1", minute: 1, verified: ["email:ana@example.com"]))
        #expect(chat.conversation.customerID != email.conversation.customerID)
        #expect(chat.merge == nil)
        let suggestions = try await suggesting.store.mergeSuggestions()
        #expect(suggestions.count == 1)
        #expect(suggestions.first?.customerID == chat.conversation.customerID)
        #expect(suggestions.first?.otherCustomerID == email.conversation.customerID)

        let merging = try StoreFixture()
        let policy = IngestPolicy(identity: IdentityPolicy(autoMergeOnStrongIdentifier: true))
        let email2 = try await merging.stored(try envelope("e1", from: "email:ana@example.com"), policy: policy)
        let chat2 = try await merging.stored(
            try envelope("c1", from: "webchat:v1", minute: 1, verified: ["email:ana@example.com"]), policy: policy)
        let merge = try #require(chat2.merge)
        #expect(merge.targetCustomerID == email2.conversation.customerID)
        #expect(chat2.conversation.customerID == email2.conversation.customerID)
        #expect(try await merging.texts(email2.conversation.customerID) == ["text of c1", "text of e1"])
    }

    @Test func aVerifiedIdentifierNobodyHasBecomesAnIdentity() async throws {
        let fixture = try StoreFixture()
        let chat = try await fixture.stored(try envelope("c1", from: "webchat:v9", verified: ["tel:+14155550199"]))
        let profile = try #require(try await fixture.store.profile(id: chat.conversation.customerID))
        let phone = try #require(profile.identities.first { $0.address.kind == .tel })
        #expect(phone.verified)
        // A later SMS from that number lands in the same profile.
        let sms = try await fixture.stored(try envelope("s1", from: "tel:+14155550199", minute: 1))
        #expect(sms.conversation.customerID == chat.conversation.customerID)
    }

    @Test func concurrentIngestsShareTransactionsAndLoseNothing() async throws {
        let fixture = try StoreFixture()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<220 {
                group.addTask {
                    let id = index < 200 ? "g\(index)" : "g\(index - 200)"  // 20 duplicates
                    _ = try await fixture.ingest(
                        try envelope(id, from: "email:c\(index % 50)@example.com", minute: index))
                }
            }
            try await group.waitForAll()
        }
        #expect(try await fixture.count("messages") == 200)
        #expect(try await fixture.count("customers") == 50)
        #expect(try await fixture.count("identities") == 50)
        let stats = fixture.store.groupCommitStats
        #expect(stats.envelopes == 220)
        #expect(stats.transactions < 220, "concurrent ingests were grouped")
    }

    @Test func cursorsAreScopedPerChannel() async throws {
        let fixture = try StoreFixture()
        let inbox = fixture.store.cursorStore(for: "inbox")
        try await inbox.setValue("42", for: "uid")
        try await inbox.setValue("43", for: "uid")
        #expect(try await inbox.value(for: "uid") == "43")
        #expect(try await fixture.store.cursorStore(for: "other").value(for: "uid") == nil)
    }
}
