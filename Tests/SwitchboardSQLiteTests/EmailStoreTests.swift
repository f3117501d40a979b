import Foundation
import Logging
import SwitchboardAdapterKit
import SwitchboardCore
import SwitchboardSQLStore
import SwitchboardSQLite
import Testing

/// What the email channel needs from the store: dedup across channel instances by global id,
/// parse warnings kept with the message, and acknowledgements that never answer automatic mail.
struct EmailStoreTests {
    @Test func aGlobalIDDeduplicatesAcrossChannelInstances() async throws {
        try await withTemporaryStore { store in
            var first = try inbound("mid-1#aa", from: "email:ana@example.com", channel: "support")
            first.globalID = "email:mid-1#aa"
            var second = try inbound("mid-1#aa", from: "email:ana@example.com", channel: "sales")
            second.globalID = "email:mid-1#aa"
            var other = try inbound("mid-1#bb", from: "email:ana@example.com", channel: "sales")
            other.globalID = "email:mid-1#bb"
            let stored = try await store.ingestOne(first)
            let outcomes = try await store.ingest([second, other], policy: .init())
            #expect(outcomes.first == .duplicate(messageID: stored.message.id))
            guard case .stored = outcomes.last else {
                Issue.record("another body under the same Message-ID was not stored: \(outcomes)")
                return
            }
            // Without a global id, the same external id on two instances is two messages.
            let plain = try await store.ingest(
                [
                    try inbound("n-1", from: "email:bo@example.com", channel: "support"),
                    try inbound("n-1", from: "email:bo@example.com", channel: "sales"),
                ], policy: .init())
            #expect(plain.allSatisfy { if case .stored = $0 { true } else { false } })
        }
    }

    @Test func parseWarningsAreKeptWithTheMessage() async throws {
        try await withTemporaryStore { store in
            var envelope = try inbound("w-1", from: "email:ana@example.com")
            envelope.parseWarnings = ["invalid base64 in part 2", "unknown charset x-foo, decoded as UTF-8"]
            let stored = try await store.ingestOne(envelope)
            let read = try #require(try await store.message(id: stored.message.id))
            #expect(read.parseWarnings == envelope.parseWarnings)
            let clean = try await store.ingestOne(try inbound("w-2", from: "email:ana@example.com"))
            #expect(try await store.message(id: clean.message.id)?.parseWarnings == [])
        }
    }

    @Test func newConversationsAreAcknowledgedButNeverAutomaticMail() async throws {
        try await withTemporaryStore { store in
            let acknowledger = Acknowledger(texts: ["shop": "We have your message."], outbox: store, queued: {})
            let router = Router(
                store: store, policy: IngestPolicy(), events: EventBus(), logger: Logger(label: "test"),
                acknowledger: acknowledger)
            let now = Date()
            var automatic = try inbound("ooo-1", from: "email:bo@example.com", thread: "t-ooo", at: now)
            automatic.isAutomatic = true
            let outcomes = try await router.deliver([
                try inbound("m-1", from: "email:ana@example.com", thread: "t-1", at: now),
                try inbound("m-2", from: "email:ana@example.com", thread: "t-1", at: now),  // same conversation
                automatic,
                try inbound("x-1", from: "email:cy@example.com", channel: "other", thread: "t-2", at: now),  // no text
                // History read on a first import: written long ago.
                try inbound(
                    "old-1", from: "email:di@example.com", thread: "t-3", at: now.addingTimeInterval(-3 * 86_400)),
                // A sender the adapter could not read.
                try inbound("u-1", from: "email:unknown-sender@switchboard.invalid", thread: "t-4", at: now),
            ])
            let conversations = outcomes.compactMap { outcome -> String? in
                if case .stored(_, let conversation, _) = outcome { conversation } else { nil }
            }
            #expect(conversations.count == 6)
            let ana = try await store.messages(conversationID: conversations[0])
            let acknowledgements = ana.filter { $0.direction == .outbound }
            #expect(acknowledgements.count == 1)
            #expect(acknowledgements.first?.isAutomatic == true)
            #expect(acknowledgements.first?.text == "We have your message.")
            for index in 2...5 {
                #expect(try await store.messages(conversationID: conversations[index]).count == 1, "\(index)")
            }
            // An acknowledgement is not a first response by a person.
            #expect(try await store.conversation(id: conversations[0])?.firstResponseAt == nil)
        }
    }
}
