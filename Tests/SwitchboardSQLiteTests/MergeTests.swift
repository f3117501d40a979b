import Foundation
import SwitchboardAdapterKit
import SwitchboardCore
import SwitchboardSQLStore
import SwitchboardSQLite
import Testing

struct MergeTests {
    /// Ana wrote by email twice and once by SMS, before anyone knew the phone was hers.
    struct Fixture {
        var mailCustomer: String
        var smsCustomer: String
        var smsConversation: String
    }

    func seed(_ store: SQLStore) async throws -> Fixture {
        let mail = try await store.ingestOne(
            try inbound("m1", from: "email:ana@example.com", channel: "mail", thread: "mail-1", at: baseTime))
        let sms = try await store.ingestOne(
            try inbound(
                "s1", from: "tel:+14155550100", channel: "sms", thread: "sms-1", at: baseTime.addingTimeInterval(60),
                hints: IdentityHints(displayName: "Ana (SMS)")))
        _ = try await store.ingestOne(
            try inbound(
                "m2", from: "email:ana@example.com", channel: "mail", thread: "mail-1",
                at: baseTime.addingTimeInterval(120)))
        #expect(mail.conversation.customerID != sms.conversation.customerID)
        return Fixture(
            mailCustomer: mail.conversation.customerID, smsCustomer: sms.conversation.customerID,
            smsConversation: sms.conversation.id)
    }

    @Test func aManualMergeUnifiesTheTimelineAndLeavesATombstone() async throws {
        try await withTemporaryStore { store in
            let f = try await seed(store)
            let record = try await store.merge(
                f.smsCustomer, into: f.mailCustomer, actor: "agent:bob", reason: "same person, confirmed by phone")
            #expect(record.id.hasPrefix("mrg_"))
            #expect(record.sourceCustomerID == f.smsCustomer && record.targetCustomerID == f.mailCustomer)
            #expect(record.actor == "agent:bob" && record.reason == "same person, confirmed by phone")
            #expect(record.unmergedAt == nil && record.unmergedBy == nil)

            let messages = try await store.timelineMessages(f.mailCustomer)
            #expect(messages.map(\.externalID) == ["m2", "s1", "m1"], "both channels, newest first")
            #expect(messages.allSatisfy { $0.customerID == f.mailCustomer })
            let events = try await store.timelineEvents(f.mailCustomer)
            #expect(events.count == 1)
            #expect(events.first?.kind == "merge" && events.first?.actor == "agent:bob")
            #expect(events.first?.detail.contains("same person, confirmed by phone") == true)

            let tombstone = try #require(try await store.profile(id: f.smsCustomer))
            #expect(tombstone.customer.mergedInto == f.mailCustomer)
            #expect(tombstone.identities.isEmpty)
            #expect(try await store.timelineMessages(f.smsCustomer).isEmpty)

            let target = try #require(try await store.profile(id: f.mailCustomer))
            #expect(Set(target.identities.map(\.address.description)) == ["email:ana@example.com", "tel:+14155550100"])
            let phone = try #require(target.identities.first { $0.address.kind == .tel })
            #expect(phone.originalCustomerID == f.smsCustomer, "remembered, so the merge can be undone")
            #expect(target.customer.displayName == "Ana (SMS)", "a nameless target takes the source's name")
            #expect(try await store.customer(for: try parseAddress("tel:+14155550100"))?.id == f.mailCustomer)
            #expect(try await store.customers(limit: 10, cursor: nil).items.map(\.id) == [f.mailCustomer])
            #expect(try await store.conversations(customerID: f.mailCustomer).count == 2)
            #expect(try await store.merges(customerID: f.smsCustomer).map(\.id) == [record.id])
            #expect(try await store.counts()["customers"] == 2, "nothing is deleted")
        }
    }

    @Test func unmergeGivesEachProfileItsOwnMessagesIncludingLaterOnes() async throws {
        try await withTemporaryStore { store in
            let f = try await seed(store)
            let record = try await store.merge(f.smsCustomer, into: f.mailCustomer, actor: "agent:bob", reason: "r")
            // After the merge Ana texts again: once in the old thread, once in a new one.
            let sameThread = try await store.ingestOne(
                try inbound(
                    "s2", from: "tel:+14155550100", channel: "sms", thread: "sms-1",
                    at: baseTime.addingTimeInterval(180)))
            let newThread = try await store.ingestOne(
                try inbound(
                    "s3", from: "tel:+14155550100", channel: "sms", thread: "sms-2",
                    at: baseTime.addingTimeInterval(240)))
            #expect(sameThread.conversation.id == f.smsConversation)
            #expect(sameThread.conversation.customerID == f.mailCustomer && !sameThread.newCustomer)
            #expect(newThread.newConversation && newThread.conversation.customerID == f.mailCustomer)
            #expect(
                try await store.timelineMessages(f.mailCustomer).map(\.externalID) == ["s3", "s2", "m2", "s1", "m1"])

            let undone = try await store.unmerge(record.id, actor: "agent:eve")
            #expect(undone.id == record.id)
            #expect(undone.unmergedAt != nil && undone.unmergedBy == "agent:eve")

            let source = try #require(try await store.profile(id: f.smsCustomer))
            #expect(source.customer.mergedInto == nil)
            #expect(source.identities.map(\.address.description) == ["tel:+14155550100"])
            let target = try #require(try await store.profile(id: f.mailCustomer))
            #expect(target.identities.map(\.address.description) == ["email:ana@example.com"])

            let sourceMessages = try await store.timelineMessages(f.smsCustomer)
            #expect(sourceMessages.map(\.externalID) == ["s3", "s2", "s1"])
            #expect(sourceMessages.allSatisfy { $0.customerID == f.smsCustomer })
            #expect(try await store.timelineMessages(f.mailCustomer).map(\.externalID) == ["m2", "m1"])
            #expect(try await store.conversations(customerID: f.smsCustomer).count == 2)
            #expect(try await store.conversations(customerID: f.mailCustomer).count == 1)
            #expect(try await store.customer(for: try parseAddress("tel:+14155550100"))?.id == f.smsCustomer)
            #expect(
                Set(try await store.customers(limit: 10, cursor: nil).items.map(\.id)) == [
                    f.smsCustomer, f.mailCustomer,
                ])

            for customer in [f.smsCustomer, f.mailCustomer] {
                let history = try await store.merges(customerID: customer)
                #expect(history.count == 1)
                #expect(history.first?.id == record.id)
                #expect(history.first?.unmergedAt != nil && history.first?.unmergedBy == "agent:eve")
            }
            #expect(try await store.timelineEvents(f.mailCustomer).map(\.kind).sorted() == ["merge", "unmerge"])
            #expect(try await store.timelineEvents(f.smsCustomer).map(\.kind) == ["unmerge"])

            // The phone's next message belongs to the separated profile.
            let later = try await store.ingestOne(
                try inbound(
                    "s4", from: "tel:+14155550100", channel: "sms", thread: "sms-2",
                    at: baseTime.addingTimeInterval(300)))
            #expect(later.conversation.customerID == f.smsCustomer)
        }
    }

    @Test func anEarlierMergeCanBeUndoneAfterTheTargetWasMergedOnward() async throws {
        try await withTemporaryStore { store in
            let f = try await seed(store)
            let chat = try await store.ingestOne(
                try inbound("c1", from: "webchat:v1", channel: "chat", at: baseTime.addingTimeInterval(30)))
            let first = try await store.merge(f.smsCustomer, into: f.mailCustomer, actor: "bob", reason: "one")
            _ = try await store.merge(f.mailCustomer, into: chat.conversation.customerID, actor: "bob", reason: "two")
            let top = chat.conversation.customerID
            #expect(try await store.timelineMessages(top).map(\.externalID) == ["m2", "s1", "c1", "m1"])
            #expect(try await store.customer(for: try parseAddress("tel:+14155550100"))?.id == top)
            #expect(Set(try await store.timelineEvents(top).map(\.kind)) == ["merge"])

            _ = try await store.unmerge(first.id, actor: "eve")
            #expect(try await store.timelineMessages(f.smsCustomer).map(\.externalID) == ["s1"])
            #expect(try await store.timelineMessages(top).map(\.externalID) == ["m2", "c1", "m1"])
            #expect(try await store.customer(for: try parseAddress("tel:+14155550100"))?.id == f.smsCustomer)
            #expect(try await store.customer(for: try parseAddress("email:ana@example.com"))?.id == top)
        }
    }

    @Test func undoingTheLaterOfTwoChainedMergesGivesBackWhatTheSourceHadAbsorbed() async throws {
        try await withTemporaryStore { store in
            let f = try await seed(store)  // sms profile S, mail profile T
            let chat = try await store.ingestOne(
                try inbound("c1", from: "webchat:v1", channel: "chat", at: baseTime.addingTimeInterval(30)))
            let top = chat.conversation.customerID  // U
            _ = try await store.merge(f.smsCustomer, into: f.mailCustomer, actor: "bob", reason: "S into T")
            let second = try await store.merge(f.mailCustomer, into: top, actor: "bob", reason: "T into U")
            _ = try await store.unmerge(second.id, actor: "eve")
            // S is still merged into T, so T gets back S's phone and messages along with its own.
            #expect(try await store.profile(id: f.smsCustomer)?.customer.mergedInto == f.mailCustomer)
            #expect(try await store.customer(for: try parseAddress("tel:+14155550100"))?.id == f.mailCustomer)
            #expect(try await store.timelineMessages(f.mailCustomer).map(\.externalID) == ["m2", "s1", "m1"])
            #expect(try await store.timelineMessages(top).map(\.externalID) == ["c1"])
        }
    }

    @Test func anAddressLinkedByEquivalenceWhileMergedGoesBackWithItsPartner() async throws {
        try await withTemporaryStore { store in
            let f = try await seed(store)  // S owns tel:+14155550100
            let record = try await store.merge(f.smsCustomer, into: f.mailCustomer, actor: "bob", reason: "r")
            // While merged, the same number writes on WhatsApp: linked to the tel identity, now held by T.
            let chat = try await store.ingestOne(
                try inbound("w1", from: "whatsapp:+14155550100", channel: "wa", at: baseTime.addingTimeInterval(200)))
            #expect(chat.conversation.customerID == f.mailCustomer && !chat.newCustomer)
            _ = try await store.unmerge(record.id, actor: "eve")
            // A WhatsApp id is the phone number: it belongs with the phone's profile.
            #expect(try await store.customer(for: try parseAddress("whatsapp:+14155550100"))?.id == f.smsCustomer)
            #expect(try await store.timelineMessages(f.smsCustomer).map(\.externalID) == ["w1", "s1"])
            #expect(try await store.timelineMessages(f.mailCustomer).map(\.externalID) == ["m2", "m1"])
        }
    }

    @Test func impossibleMergesThrowClearErrorsAndChangeNothing() async throws {
        try await withTemporaryStore { store in
            let f = try await seed(store)
            let third = try await store.ingestOne(try inbound("c1", from: "webchat:v1", channel: "chat"))
            let other = third.conversation.customerID

            await expectStoreError(.invalid) {
                _ = try await store.merge(f.mailCustomer, into: f.mailCustomer, actor: "bob", reason: "self")
            }
            let unknown = await expectStoreError(.notFound) {
                _ = try await store.merge("cus_nobody", into: f.mailCustomer, actor: "bob", reason: "x")
            }
            #expect(unknown?.contains("cus_nobody") == true)
            await expectStoreError(.notFound) {
                _ = try await store.merge(f.mailCustomer, into: "cus_nobody", actor: "bob", reason: "x")
            }
            let before = try await store.counts()

            let record = try await store.merge(f.smsCustomer, into: f.mailCustomer, actor: "bob", reason: "ok")
            let intoTombstone = await expectStoreError(.conflict) {
                _ = try await store.merge(other, into: f.smsCustomer, actor: "bob", reason: "x")
            }
            #expect(intoTombstone?.contains(f.mailCustomer) == true, "the error names the live profile")
            await expectStoreError(.conflict) {
                _ = try await store.merge(f.smsCustomer, into: other, actor: "bob", reason: "x")
            }
            #expect(try await store.counts()["merges"] == (before["merges"] ?? 0) + 1)
            #expect(try await store.profile(id: other)?.customer.mergedInto == nil)

            _ = try await store.unmerge(record.id, actor: "eve")
            let twice = await expectStoreError(.conflict) { _ = try await store.unmerge(record.id, actor: "eve") }
            #expect(twice?.contains("already undone") == true)
            await expectStoreError(.notFound) { _ = try await store.unmerge("mrg_nope", actor: "eve") }
            #expect(
                try await store.timelineEvents(f.smsCustomer).map(\.kind) == ["unmerge"], "no second un-merge event")
        }
    }

    @Test func aManualMergeClearsTheSuggestionForThePair() async throws {
        try await withTemporaryStore { store in
            let ana = try await store.ingestOne(try inbound("m1", from: "email:ana@example.com", channel: "mail"))
            let visitor = try await store.ingestOne(
                try inbound(
                    "c1", from: "webchat:v1", channel: "chat",
                    hints: IdentityHints(verifiedAddresses: [try parseAddress("email:ana@example.com")])))
            #expect(try await store.mergeSuggestions().count == 1)
            _ = try await store.merge(
                visitor.conversation.customerID, into: ana.conversation.customerID, actor: "bob", reason: "suggested")
            #expect(try await store.mergeSuggestions().isEmpty)
        }
    }
}
