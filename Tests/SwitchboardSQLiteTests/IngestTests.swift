import Foundation
import SwitchboardAdapterKit
import SwitchboardCore
import SwitchboardSQLStore
import SwitchboardSQLite
import Testing

struct IngestTests {
    @Test func aFirstMessageCreatesCustomerConversationAndMessage() async throws {
        try await withTemporaryStore { store in
            let ana = try inbound(
                "e1", from: "email:Ana@Example.com", text: "Where is my order?", subject: "Order 42",
                hints: IdentityHints(displayName: "Ana Lima", locale: "pt-BR"))
            let result = try await store.ingestOne(ana)
            #expect(result.newCustomer && result.newConversation && !result.reopened && result.merge == nil)
            #expect(result.message.id.hasPrefix("msg_") && result.conversation.id.hasPrefix("con_"))
            #expect(result.message.direction == .inbound)
            #expect(result.message.author == "email:Ana@example.com")
            #expect(result.message.externalID == "e1")
            #expect(result.message.deliveryStatus == nil)
            #expect(result.conversation.status == .open)
            #expect(result.conversation.threadKey == "thread-1")
            #expect(result.conversation.customerAddress == (try parseAddress("email:Ana@example.com")))
            #expect(result.conversation.customerID == result.message.customerID)

            #expect(
                try await store.counts() == [
                    "customers": 1, "identities": 1, "conversations": 1, "messages": 1, "outbox": 0, "merges": 0,
                    "events": 0, "opt_outs": 0,
                ])
            let customer = try #require(try await store.customer(for: try parseAddress("email:Ana@example.com")))
            #expect(customer.id == result.conversation.customerID)
            #expect(customer.displayName == "Ana Lima")
            #expect(customer.attributes == ["email": "Ana@example.com", "locale": "pt-BR"])
            #expect(customer.mergedInto == nil)

            let profile = try #require(try await store.profile(id: customer.id))
            #expect(profile.identities.count == 1)
            let identity = try #require(profile.identities.first)
            #expect(identity.address.description == "email:Ana@example.com")
            #expect(identity.provenance == "inbound" && !identity.verified)
            #expect(identity.firstSeenChannel == "shop")
            #expect(identity.originalCustomerID == customer.id)

            let read = try #require(try await store.message(id: result.message.id))
            #expect(read.text == "Where is my order?")
            #expect(read.subject == "Order 42")
            #expect(read.sentAt == baseTime)
            #expect(try await store.messages(conversationID: result.conversation.id).map(\.id) == [result.message.id])
            #expect(try await store.conversation(id: result.conversation.id)?.subject == "Order 42")
        }
    }

    @Test func theSameChannelMessageTwiceIsADuplicateAndChangesNothing() async throws {
        try await withTemporaryStore { store in
            let first = try await store.ingestOne(try inbound("e1", from: "tel:+14155550100"))
            let before = try await store.counts()
            let again = try await store.ingest(
                [try inbound("e1", from: "tel:+14155550100", text: "edited text", at: baseTime.addingTimeInterval(60))],
                policy: .init())
            #expect(again == [.duplicate(messageID: first.message.id)])
            #expect(try await store.counts() == before)
            #expect(try await store.message(id: first.message.id)?.text == "message e1", "the first copy is kept")
        }
    }

    @Test func deduplicationIsPerChannelInstance() async throws {
        try await withTemporaryStore { store in
            let shop = try await store.ingestOne(try inbound("e1", from: "email:ana@example.com", channel: "shop"))
            let other = try await store.ingestOne(try inbound("e1", from: "email:ana@example.com", channel: "support"))
            #expect(shop.message.id != other.message.id)
            #expect(shop.conversation.customerID == other.conversation.customerID)
            #expect(other.newConversation, "a conversation belongs to one channel instance")
            #expect(try await store.counts()["messages"] == 2)
        }
    }

    @Test func aDuplicateInsideOneBatch() async throws {
        try await withTemporaryStore { store in
            let outcomes = try await store.ingest(
                [
                    try inbound("e1", from: "email:ana@example.com"),
                    try inbound("e1", from: "email:ana@example.com", text: "copy"),
                    try inbound("e2", from: "email:ana@example.com"),
                ], policy: .init())
            #expect(outcomes.count == 3)
            let first = try requireStored(outcomes[0])
            #expect(outcomes[1] == .duplicate(messageID: first.message.id))
            let third = try requireStored(outcomes[2])
            #expect(!third.newCustomer && !third.newConversation)
            #expect(third.conversation.id == first.conversation.id)
            let counts = try await store.counts()
            #expect(counts["messages"] == 2 && counts["customers"] == 1 && counts["conversations"] == 1)
        }
    }

    @Test func anEnvelopeWithoutExternalIDIsRejectedAloneInItsBatch() async throws {
        try await withTemporaryStore { store in
            let outcomes = try await store.ingest(
                [
                    try inbound("e1", from: "email:ana@example.com"),
                    try inbound("", from: "email:bea@example.com"),
                    try inbound("e3", from: "email:cid@example.com"),
                ], policy: .init())
            #expect(outcomes.count == 3)
            _ = try requireStored(outcomes[0])
            guard case .rejected(let reason) = outcomes[1] else {
                Issue.record("stored an envelope without an external id: \(outcomes[1])")
                return
            }
            #expect(reason.contains("external id"))
            _ = try requireStored(outcomes[2])
            let counts = try await store.counts()
            #expect(counts["messages"] == 2 && counts["customers"] == 2 && counts["identities"] == 2)
            #expect(try await store.customer(for: try parseAddress("email:bea@example.com")) == nil)
        }
    }

    @Test func anEmptyBatchStoresNothing() async throws {
        try await withTemporaryStore { store in
            let outcomes = try await store.ingest([], policy: .init())
            #expect(outcomes.isEmpty)
            let counts = try await store.counts()
            #expect(counts.count == 8 && counts.values.allSatisfy { $0 == 0 })
        }
    }

    @Test func concurrentIngestsAreGroupCommittedExactly() async throws {
        try await withTemporaryStore { store in
            let senders = (0..<20).map { "tel:+1415555\(String(format: "%04d", $0))" }
            var envelopes: [InboundEnvelope] = []
            for index in 0..<200 {
                envelopes.append(
                    try inbound(
                        "ext-\(index)", from: senders[index % 20], thread: "t\(index % 20)",
                        at: baseTime.addingTimeInterval(Double(index))))
            }
            let duplicates = try (0..<20).map { index in
                try inbound(
                    "ext-\(index * 10)", from: senders[(index * 10) % 20], thread: "t\((index * 10) % 20)",
                    at: baseTime.addingTimeInterval(Double(index * 10)))
            }
            let all = envelopes + duplicates
            let results = try await withThrowingTaskGroup(of: (String, IngestOutcome).self) { group in
                for item in all {
                    group.addTask {
                        let outcomes = try await store.ingest([item], policy: .init())
                        return (item.externalID, outcomes.count == 1 ? outcomes[0] : .rejected(reason: "count"))
                    }
                }
                var results: [(String, IngestOutcome)] = []
                for try await result in group { results.append(result) }
                return results
            }
            #expect(results.count == 220)
            var storedIDs: [String: String] = [:]
            var duplicateIDs: [(String, String)] = []
            for (externalID, outcome) in results {
                switch outcome {
                case .stored(let message):
                    #expect(storedIDs[externalID] == nil, "\(externalID) stored twice")
                    storedIDs[externalID] = message.message.id
                case .duplicate(let messageID): duplicateIDs.append((externalID, messageID))
                case .rejected(let reason): Issue.record("rejected \(externalID): \(reason)")
                case .edited: Issue.record("\(externalID) is not an edit")
                }
            }
            #expect(storedIDs.count == 200)
            #expect(duplicateIDs.count == 20)
            for (externalID, messageID) in duplicateIDs {
                #expect(storedIDs[externalID] == messageID, "a duplicate names the stored copy")
            }
            let counts = try await store.counts()
            #expect(counts["messages"] == 200)
            #expect(counts["customers"] == 20)
            #expect(counts["identities"] == 20)
            #expect(counts["conversations"] == 20)
            let stats = store.groupCommitStats
            #expect(stats.envelopes == 220)
            #expect(stats.transactions >= 1 && stats.transactions <= 220)
            // Each sender's conversation holds exactly its ten messages.
            let customer = try #require(try await store.customer(for: try parseAddress(senders[3])))
            let conversations = try await store.conversations(customerID: customer.id)
            #expect(conversations.count == 1)
            #expect(try await store.messages(conversationID: conversations[0].id).count == 10)
        }
    }

    @Test func aSmallMaximumGroupSizeStillStoresEverything() async throws {
        try await withTemporaryStore(maxGroupSize: 3) { store in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<30 {
                    group.addTask {
                        _ = try await store.ingest(
                            [try inbound("x\(index)", from: "webchat:v\(index % 5)", thread: "w\(index % 5)")],
                            policy: .init())
                    }
                }
                try await group.waitForAll()
            }
            let counts = try await store.counts()
            #expect(counts["messages"] == 30 && counts["customers"] == 5)
        }
    }

    @Test func theDatabaseSurvivesReopening() async throws {
        try await withTemporaryStore { store, path in
            let first = try await store.ingestOne(try inbound("e1", from: "email:ana@example.com"))
            let reopened = try SQLStore(sqlitePath: path)
            #expect(try await reopened.counts()["messages"] == 1)
            #expect(
                try await reopened.ingest([try inbound("e1", from: "email:ana@example.com")], policy: .init())
                    == [.duplicate(messageID: first.message.id)])
        }
    }
}

struct CursorStoreTests {
    @Test func valuesAreStoredAndScopedPerChannel() async throws {
        try await withTemporaryStore { store in
            let imap = store.cursorStore(for: "inbox")
            let telegram = store.cursorStore(for: "telegram-bot")
            #expect(try await imap.value(for: "uid") == nil)
            try await imap.setValue("41", for: "uid")
            try await imap.setValue("42", for: "uid")
            try await telegram.setValue("900", for: "uid")
            try await imap.setValue("v7", for: "uidvalidity")
            #expect(try await imap.value(for: "uid") == "42", "a later value replaces the earlier")
            #expect(try await telegram.value(for: "uid") == "900")
            #expect(try await imap.value(for: "uidvalidity") == "v7")
            #expect(try await telegram.value(for: "uidvalidity") == nil)
            #expect(try await store.cursorStore(for: "inbox").value(for: "uid") == "42", "a new handle sees it")
        }
    }

    @Test func valuesSurviveReopening() async throws {
        try await withTemporaryStore { store, path in
            try await store.cursorStore(for: "inbox").setValue("since-123", for: "since")
            let reopened = try SQLStore(sqlitePath: path)
            #expect(try await reopened.cursorStore(for: "inbox").value(for: "since") == "since-123")
        }
    }
}
