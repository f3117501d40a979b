import Foundation
import SwitchboardAdapterKit
import SwitchboardCore
import SwitchboardSQLStore
import SwitchboardSQLite
import Testing

struct StoreThreadingTests {
    @Test func theSameThreadKeyAppends() async throws {
        try await withTemporaryStore { store in
            let first = try await store.ingestOne(try inbound("e1", from: "email:ana@example.com", thread: "order-42"))
            let second = try await store.ingestOne(
                try inbound(
                    "e2", from: "email:ana@example.com", thread: "order-42", at: baseTime.addingTimeInterval(300)))
            #expect(!second.newConversation && !second.newCustomer && !second.reopened)
            #expect(second.conversation.id == first.conversation.id)
            #expect(second.conversation.lastMessageAt == baseTime.addingTimeInterval(300))
            #expect(
                try await store.conversation(id: first.conversation.id)?.lastMessageAt
                    == baseTime.addingTimeInterval(300))
            #expect(
                try await store.messages(conversationID: first.conversation.id).map(\.externalID) == ["e1", "e2"])
        }
    }

    @Test func anOlderMessageArrivingLateDoesNotMoveLastMessageBack() async throws {
        try await withTemporaryStore { store in
            let late = try await store.ingestOne(
                try inbound("e2", from: "email:ana@example.com", at: baseTime.addingTimeInterval(600)))
            let early = try await store.ingestOne(try inbound("e1", from: "email:ana@example.com", at: baseTime))
            #expect(early.conversation.id == late.conversation.id)
            #expect(
                try await store.conversation(id: late.conversation.id)?.lastMessageAt
                    == baseTime.addingTimeInterval(600))
            // Messages of a conversation are listed by channel time, not arrival.
            #expect(try await store.messages(conversationID: late.conversation.id).map(\.externalID) == ["e1", "e2"])
        }
    }

    @Test func aDifferentThreadKeyOpensANewConversationForTheSameCustomer() async throws {
        try await withTemporaryStore { store in
            let first = try await store.ingestOne(try inbound("e1", from: "email:ana@example.com", thread: "a"))
            let second = try await store.ingestOne(try inbound("e2", from: "email:ana@example.com", thread: "b"))
            #expect(second.newConversation && !second.newCustomer)
            #expect(second.conversation.id != first.conversation.id)
            #expect(second.conversation.customerID == first.conversation.customerID)
            #expect(try await store.conversations(customerID: first.conversation.customerID).count == 2)
        }
    }

    @Test func anotherSenderWithTheSameThreadKeyNeverJoinsTheFirstCustomersConversation() async throws {
        try await withTemporaryStore { store in
            let ana = try await store.ingestOne(try inbound("e1", from: "email:ana@example.com", thread: "shared"))
            let bea = try await store.ingestOne(try inbound("e2", from: "email:bea@example.com", thread: "shared"))
            #expect(bea.newCustomer && bea.newConversation)
            #expect(bea.conversation.id != ana.conversation.id)
            #expect(bea.conversation.customerID != ana.conversation.customerID)
            #expect(try await store.messages(conversationID: ana.conversation.id).map(\.externalID) == ["e1"])
            // And Ana's next message still goes to her own conversation.
            let anaAgain = try await store.ingestOne(try inbound("e3", from: "email:ana@example.com", thread: "shared"))
            #expect(anaAgain.conversation.id == ana.conversation.id)
        }
    }

    @Test func aResolvedConversationReopensInsideTheWindow() async throws {
        try await withTemporaryStore { store in
            let policy = IngestPolicy(reopenWindow: .seconds(3600))
            let first = try await store.ingestOne(try inbound("e1", from: "email:ana@example.com"), policy: policy)
            let resolved = try await store.setStatus(
                conversationID: first.conversation.id, to: .resolved, actor: "agent:bob")
            #expect(resolved.status == .resolved)
            let resolvedAt = try #require(resolved.resolvedAt)
            // Sent one minute after the resolution: well inside the hour.
            let reply = try await store.ingestOne(
                try inbound("e2", from: "email:ana@example.com", at: resolvedAt.addingTimeInterval(60)), policy: policy)
            #expect(reply.reopened && !reply.newConversation)
            #expect(reply.conversation.id == first.conversation.id)
            #expect(reply.conversation.status == .open && reply.conversation.resolvedAt == nil)
            let reread = try #require(try await store.conversation(id: first.conversation.id))
            #expect(reread.status == .open && reread.resolvedAt == nil)
        }
    }

    @Test func aResolvedConversationStaysClosedOutsideTheWindow() async throws {
        try await withTemporaryStore { store in
            let policy = IngestPolicy(reopenWindow: .seconds(3600))
            let first = try await store.ingestOne(try inbound("e1", from: "email:ana@example.com"), policy: policy)
            let resolved = try await store.setStatus(conversationID: first.conversation.id, to: .resolved, actor: "bob")
            let resolvedAt = try #require(resolved.resolvedAt)
            // Sent two hours after the resolution: outside the hour.
            let later = try await store.ingestOne(
                try inbound("e2", from: "email:ana@example.com", at: resolvedAt.addingTimeInterval(7200)),
                policy: policy)
            #expect(later.newConversation && !later.reopened)
            #expect(later.conversation.id != first.conversation.id)
            #expect(later.conversation.customerID == first.conversation.customerID)
            #expect(try await store.conversation(id: first.conversation.id)?.status == .resolved)
            // The next message joins the newest conversation, not the resolved one.
            let next = try await store.ingestOne(
                try inbound("e3", from: "email:ana@example.com", at: resolvedAt.addingTimeInterval(7300)),
                policy: policy)
            #expect(next.conversation.id == later.conversation.id && !next.newConversation)
        }
    }

    @Test(arguments: [Conversation.Status.pending, .snoozed])
    func aCustomerMessageWakesAPendingOrSnoozedConversation(status: Conversation.Status) async throws {
        try await withTemporaryStore { store in
            let first = try await store.ingestOne(try inbound("e1", from: "webchat:v1"))
            _ = try await store.setStatus(conversationID: first.conversation.id, to: status, actor: "bob")
            let next = try await store.ingestOne(
                try inbound("e2", from: "webchat:v1", at: baseTime.addingTimeInterval(1e6)))
            #expect(next.conversation.id == first.conversation.id && !next.reopened && !next.newConversation)
            #expect(try await store.conversation(id: first.conversation.id)?.status == .open)
        }
    }

    @Test func statusChangesAreRecordedInTheTimeline() async throws {
        try await withTemporaryStore { store in
            let first = try await store.ingestOne(try inbound("e1", from: "email:ana@example.com"))
            let id = first.conversation.id
            _ = try await store.setStatus(conversationID: id, to: .resolved, actor: "agent:bob")
            _ = try await store.setStatus(conversationID: id, to: .resolved, actor: "agent:bob")  // no change
            let reopened = try await store.setStatus(conversationID: id, to: .open, actor: "agent:eve")
            #expect(reopened.resolvedAt == nil)
            let events = try await store.timelineEvents(first.conversation.customerID)
            #expect(events.map(\.kind) == ["status", "status"])
            // Both happened within a moment: compare without relying on their order.
            #expect(events.map(\.actor).sorted() == ["agent:bob", "agent:eve"])
            #expect(Set(events.map(\.detail)) == ["open → resolved", "resolved → open"])
            #expect(events.allSatisfy { $0.conversationID == id })
            await expectStoreError(.notFound) {
                _ = try await store.setStatus(conversationID: "con_nope", to: .resolved, actor: "bob")
            }
        }
    }
}

struct StoreIdentityTests {
    static let linked = IngestPolicy(identity: .init(linkWhatsAppToPhone: true))
    static let unlinked = IngestPolicy(identity: .init(linkWhatsAppToPhone: false))

    @Test func whatsappAfterTelIsTheSamePersonWhenLinked() async throws {
        try await withTemporaryStore { store in
            let sms = try await store.ingestOne(
                try inbound("s1", from: "tel:+14155550100", channel: "sms"), policy: Self.linked)
            let chat = try await store.ingestOne(
                try inbound("w1", from: "whatsapp:+1 415 555 0100", channel: "wa"), policy: Self.linked)
            #expect(!chat.newCustomer)
            #expect(chat.conversation.customerID == sms.conversation.customerID)
            #expect(chat.conversation.id != sms.conversation.id, "still one conversation per channel")
            let profile = try #require(try await store.profile(id: sms.conversation.customerID))
            let whatsapp = try #require(profile.identities.first { $0.address.kind == .whatsapp })
            #expect(whatsapp.provenance == "equivalence:tel:+14155550100")
            #expect(profile.identities.count == 2)
            #expect(try await store.counts()["customers"] == 1)
        }
    }

    @Test func telAfterWhatsappLinksTheOtherWayToo() async throws {
        try await withTemporaryStore { store in
            let chat = try await store.ingestOne(
                try inbound("w1", from: "whatsapp:+14155550100", channel: "wa"), policy: Self.linked)
            let sms = try await store.ingestOne(
                try inbound("s1", from: "tel:+14155550100", channel: "sms"), policy: Self.linked)
            #expect(sms.conversation.customerID == chat.conversation.customerID && !sms.newCustomer)
        }
    }

    @Test func whatsappAfterTelIsSomeoneElseWhenNotLinked() async throws {
        try await withTemporaryStore { store in
            let sms = try await store.ingestOne(
                try inbound("s1", from: "tel:+14155550100", channel: "sms"), policy: Self.unlinked)
            let chat = try await store.ingestOne(
                try inbound("w1", from: "whatsapp:+14155550100", channel: "wa"), policy: Self.unlinked)
            #expect(chat.newCustomer)
            #expect(chat.conversation.customerID != sms.conversation.customerID)
            #expect(try await store.counts()["customers"] == 2)
        }
    }

    @Test func aVerifiedHintOfAnotherProfileBecomesASuggestionByDefault() async throws {
        try await withTemporaryStore { store in
            let ana = try await store.ingestOne(try inbound("m1", from: "email:ana@example.com", channel: "mail"))
            let visitor = try await store.ingestOne(
                try inbound(
                    "c1", from: "webchat:v1", channel: "chat",
                    hints: IdentityHints(verifiedAddresses: [try parseAddress("email:ana@example.com")])))
            #expect(visitor.merge == nil)
            #expect(visitor.conversation.customerID != ana.conversation.customerID)
            let suggestions = try await store.mergeSuggestions()
            #expect(suggestions.count == 1)
            let suggestion = try #require(suggestions.first)
            #expect(suggestion.customerID == visitor.conversation.customerID)
            #expect(suggestion.otherCustomerID == ana.conversation.customerID)
            #expect(suggestion.reason.contains("email:ana@example.com"))
            #expect(try await store.merges(customerID: nil).isEmpty)
            // The same hint again does not pile up suggestions.
            _ = try await store.ingestOne(
                try inbound(
                    "c2", from: "webchat:v1", channel: "chat",
                    hints: IdentityHints(verifiedAddresses: [try parseAddress("email:ana@example.com")])))
            #expect(try await store.mergeSuggestions().count == 1)
        }
    }

    @Test func aVerifiedHintOfAnotherProfileMergesWhenAllowed() async throws {
        try await withTemporaryStore { store in
            let policy = IngestPolicy(identity: .init(autoMergeOnStrongIdentifier: true))
            let ana = try await store.ingestOne(
                try inbound("m1", from: "email:ana@example.com", channel: "mail"), policy: policy)
            let visitor = try await store.ingestOne(
                try inbound(
                    "c1", from: "webchat:v1", channel: "chat", at: baseTime.addingTimeInterval(60),
                    hints: IdentityHints(verifiedAddresses: [try parseAddress("email:ana@example.com")])),
                policy: policy)
            let merge = try #require(visitor.merge)
            let target = ana.conversation.customerID
            #expect(merge.targetCustomerID == target)
            #expect(merge.actor == "identity-rules")
            #expect(visitor.message.customerID == target)
            #expect(visitor.conversation.customerID == target)
            #expect(try await store.customer(for: try parseAddress("webchat:v1"))?.id == target)
            let source = try #require(try await store.profile(id: merge.sourceCustomerID))
            #expect(source.customer.mergedInto == target)
            #expect(source.identities.isEmpty)
            #expect(try await store.merges(customerID: target).map(\.id) == [merge.id])
            #expect(try await store.mergeSuggestions().isEmpty)
            #expect(try await store.timelineMessages(target).map(\.externalID) == ["c1", "m1"])
            // The visitor's next message goes straight to the merged profile.
            let next = try await store.ingestOne(try inbound("c2", from: "webchat:v1", channel: "chat"), policy: policy)
            #expect(next.conversation.customerID == target && next.merge == nil)
        }
    }

    @Test func aVerifiedHintNobodyOwnsIsLinkedToTheSender() async throws {
        try await withTemporaryStore { store in
            let visitor = try await store.ingestOne(
                try inbound(
                    "c1", from: "webchat:v1", channel: "chat",
                    hints: IdentityHints(verifiedAddresses: [
                        try parseAddress("email:zoe@example.com"), try parseAddress("telegram:42"),
                    ])))
            let profile = try #require(try await store.profile(id: visitor.conversation.customerID))
            let email = try #require(profile.identities.first { $0.address.kind == .email })
            #expect(email.verified && email.provenance == "hint:webchat:v1")
            #expect(!profile.identities.contains { $0.address.kind == .telegram }, "only strong identifiers link")
            let mail = try await store.ingestOne(try inbound("m1", from: "email:zoe@example.com", channel: "mail"))
            #expect(mail.conversation.customerID == visitor.conversation.customerID && !mail.newCustomer)
        }
    }

    @Test func conflictingVerifiedIdentifiersAreSuggestedEvenWithAutoMerge() async throws {
        try await withTemporaryStore { store in
            let policy = IngestPolicy(identity: .init(autoMergeOnStrongIdentifier: true))
            // Visitor 1 verified ana@; visitor 2 verified bea@ and a phone.
            let one = try await store.ingestOne(
                try inbound(
                    "c1", from: "webchat:v1", channel: "chat",
                    hints: IdentityHints(verifiedAddresses: [try parseAddress("email:ana@example.com")])),
                policy: policy)
            let two = try await store.ingestOne(
                try inbound(
                    "c2", from: "webchat:v2", channel: "chat",
                    hints: IdentityHints(verifiedAddresses: [
                        try parseAddress("email:bea@example.com"), try parseAddress("tel:+14155550100"),
                    ])), policy: policy)
            // Visitor 1 now vouches for visitor 2's phone.
            let three = try await store.ingestOne(
                try inbound(
                    "c3", from: "webchat:v1", channel: "chat",
                    hints: IdentityHints(verifiedAddresses: [try parseAddress("tel:+14155550100")])), policy: policy)
            #expect(three.merge == nil)
            #expect(three.conversation.customerID == one.conversation.customerID)
            #expect(try await store.merges(customerID: nil).isEmpty)
            let suggestion = try #require(try await store.mergeSuggestions().first)
            #expect(suggestion.customerID == one.conversation.customerID)
            #expect(suggestion.otherCustomerID == two.conversation.customerID)
            #expect(suggestion.reason.contains("conflicting"))
        }
    }
}
