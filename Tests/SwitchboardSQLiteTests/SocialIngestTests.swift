import Foundation
import GRDB
import SwitchboardAdapterKit
import SwitchboardCore
import SwitchboardSQLStore
import SwitchboardSQLite
import Testing

/// What the social and chat channels ask of the store: edits, listening tags, account aliases
/// (WhatsApp business-scoped ids), email addresses typed in chat.
struct SocialIngestTests {
    func edit(_ id: String, of original: String, from: String, text: String, at: Date) throws -> InboundEnvelope {
        var envelope = try inbound(id, from: from, channel: "tg", thread: "chat-1", text: text, at: at)
        envelope.replaces = original
        return envelope
    }

    @Test func anEditChangesTheTextKeepsTheOldOneAndIsDedupedOnItsOwnID() async throws {
        try await withTemporaryStore { store in
            let stored = try await store.ingestOne(
                try inbound("1:10", from: "telegram:42", channel: "tg", thread: "chat-1", text: "helo"))
            let edit = try edit("1:10:edit:5", of: "1:10", from: "telegram:42", text: "hello", at: baseTime + 5)
            let outcomes = try await store.ingest([edit, edit], policy: .init())
            guard case .edited(let messageID, let conversationID, _) = outcomes.first else {
                Issue.record("expected an edit, got \(outcomes)")
                return
            }
            #expect(messageID == stored.message.id)
            #expect(conversationID == stored.conversation.id)
            #expect(outcomes.last == .duplicate(messageID: stored.message.id))
            let message = try #require(try await store.message(id: stored.message.id))
            #expect(message.text == "hello")
            #expect(message.externalID == "1:10")
            let events = try await store.timelineEvents(stored.message.customerID)
            #expect(events.map(\.kind) == ["edited"])
            #expect(events.first?.detail.contains("it read: helo") == true)
            #expect(try await store.timelineMessages(stored.message.customerID).count == 1)
        }
    }

    @Test func anOlderEditArrivingLateDoesNotOverwriteANewerOne() async throws {
        try await withTemporaryStore { store in
            let stored = try await store.ingestOne(
                try inbound("1:10", from: "telegram:42", channel: "tg", thread: "chat-1", text: "v1"))
            _ = try await store.ingest(
                [try edit("1:10:edit:9", of: "1:10", from: "telegram:42", text: "v3", at: baseTime + 9)],
                policy: .init())
            let late = try await store.ingest(
                [try edit("1:10:edit:5", of: "1:10", from: "telegram:42", text: "v2", at: baseTime + 5)],
                policy: .init())
            #expect(late == [.duplicate(messageID: stored.message.id)])
            #expect(try await store.message(id: stored.message.id)?.text == "v3")
        }
    }

    @Test func anEditWhoseOriginalNeverCameIsStoredAsTheOriginal() async throws {
        try await withTemporaryStore { store in
            let first = try await store.ingestOne(
                try edit("1:10:edit:5", of: "1:10", from: "telegram:42", text: "v2", at: baseTime + 5))
            #expect(first.message.externalID == "1:10")
            // The original arrives late: it is the same message, not a second one.
            let original = try await store.ingest(
                [try inbound("1:10", from: "telegram:42", channel: "tg", thread: "chat-1", text: "v1")], policy: .init()
            )
            #expect(original == [.duplicate(messageID: first.message.id)])
            // A redelivered edit is a duplicate, a later edit applies.
            let again = try await store.ingest(
                [try edit("1:10:edit:5", of: "1:10", from: "telegram:42", text: "v2", at: baseTime + 5)],
                policy: .init())
            #expect(again == [.duplicate(messageID: first.message.id)])
            let later = try await store.ingest(
                [try edit("1:10:edit:8", of: "1:10", from: "telegram:42", text: "v3", at: baseTime + 8)],
                policy: .init())
            guard case .edited = later.first else {
                Issue.record("expected an edit, got \(later)")
                return
            }
            #expect(try await store.message(id: first.message.id)?.text == "v3")
        }
    }

    @Test func nobodyEditsSomeoneElsesMessage() async throws {
        try await withTemporaryStore { store in
            let stored = try await store.ingestOne(
                try inbound("1:10", from: "telegram:42", channel: "tg", thread: "chat-1", text: "mine"))
            let outcomes = try await store.ingest(
                [try edit("1:10:edit:5", of: "1:10", from: "telegram:43", text: "hijacked", at: baseTime + 5)],
                policy: .init())
            guard case .rejected(let reason) = outcomes.first else {
                Issue.record("expected a refusal, got \(outcomes)")
                return
            }
            #expect(reason.contains("telegram:42 wrote it"))
            #expect(try await store.message(id: stored.message.id)?.text == "mine")
        }
    }

    @Test func listeningPostsStartTaggedConversationsAndTagsAccumulate() async throws {
        try await withTemporaryStore { store in
            var post = try inbound("111", from: "x:7", channel: "x", thread: "post:111", text: "Acme shoes broke")
            post.visibility = .public
            post.tags = ["listening"]
            let stored = try await store.ingestOne(post)
            #expect(stored.conversation.tags == ["listening"])
            var next = try inbound("112", from: "x:7", channel: "x", thread: "post:111", at: baseTime + 1)
            next.tags = ["listening", "shoes"]
            _ = try await store.ingestOne(next)
            #expect(try await store.conversation(id: stored.conversation.id)?.tags == ["listening", "shoes"])
        }
    }

    @Test func aWhatsAppUsernameUserIsOneCustomerWithTheirPhoneAndItsSMS() async throws {
        try await withTemporaryStore { store in
            let sms = try await store.ingestOne(try inbound("SM1", from: "tel:+16315551181", channel: "sms"))
            // The payload pairs the business-scoped id with the phone number: linked to the SMS profile.
            let paired = try await store.ingestOne(
                try inbound(
                    "wamid.1", from: "whatsapp-user:US.13491208655302741918", channel: "wa",
                    hints: IdentityHints(aliases: [try parseAddress("whatsapp:+16315551181")])))
            #expect(paired.conversation.customerID == sms.conversation.customerID)
            // Later the user hides the number: the id alone still finds them.
            let hidden = try await store.ingestOne(
                try inbound("wamid.2", from: "whatsapp-user:US.13491208655302741918", channel: "wa", at: baseTime + 1))
            #expect(hidden.conversation.customerID == sms.conversation.customerID)
            let profile = try #require(try await store.profile(id: sms.conversation.customerID))
            #expect(
                Set(profile.identities.map(\.address.description)) == [
                    "tel:+16315551181", "whatsapp-user:US.13491208655302741918", "whatsapp:+16315551181",
                ])
        }
    }

    @Test func aBusinessScopedIDWithoutAPhoneIsNotLinkedToAnyone() async throws {
        try await withTemporaryStore { store in
            let sms = try await store.ingestOne(try inbound("SM1", from: "tel:+16315551181", channel: "sms"))
            let alone = try await store.ingestOne(
                try inbound("wamid.1", from: "whatsapp-user:US.999", channel: "wa"))
            #expect(alone.newCustomer)
            #expect(alone.conversation.customerID != sms.conversation.customerID)
        }
    }

    @Test(arguments: [IdentityPolicy.AddressesInText.suggest, .merge, .ignore])
    func anEmailTypedInChatSuggestsOrMergesByTheRule(_ rule: IdentityPolicy.AddressesInText) async throws {
        try await withTemporaryStore { store in
            let email = try await store.ingestOne(try inbound("<m1@x>", from: "email:ana@example.com", channel: "mail"))
            let policy = IngestPolicy(identity: IdentityPolicy(addressesInText: rule))
            let chat = try await store.ingestOne(
                try inbound(
                    "m_1", from: "messenger:1001/2002", channel: "fb", text: "it's Ana@Example.com, thanks!",
                    at: baseTime + 1), policy: policy)
            let suggestions = try await store.mergeSuggestions()
            switch rule {
            case .suggest:
                #expect(chat.merge == nil)
                #expect(suggestions.count == 1)
                #expect(suggestions.first?.otherCustomerID == email.conversation.customerID)
                #expect(suggestions.first?.reason.contains("wrote email:Ana@example.com") == true)
            case .merge:
                #expect(chat.merge?.targetCustomerID == email.conversation.customerID)
                #expect(chat.conversation.customerID == email.conversation.customerID)
                #expect(suggestions.isEmpty)
            case .ignore:
                #expect(chat.merge == nil)
                #expect(suggestions.isEmpty)
            }
            // Typed text never becomes an identity of the chat profile.
            let profile = try #require(try await store.profile(id: chat.conversation.customerID))
            #expect(
                !profile.identities.contains {
                    $0.address.kind == .email && $0.customerID != email.conversation.customerID
                })
        }
    }

    @Test func emailTextNeverSuggests() async throws {
        let sender = try parseAddress("email:bo@example.com")
        #expect(IdentityResolver.emailAddresses(mentionedIn: "cc ana@example.com", from: sender).isEmpty)
        let chat = try parseAddress("telegram:5")
        #expect(
            IdentityResolver.emailAddresses(mentionedIn: "mail me: ana@example.com. or @bo", from: chat).map(
                \.description)
                == ["email:ana@example.com"])
    }
}

/// The review's cases: the careful (savepoint) path keeps a late edit's history like the fast path,
/// absurd message times are refused, and public posts never trigger typed-address merges.
struct SocialIngestEdgeTests {
    @Test func aLateEditKeepsItsHistoryRowOnTheSavepointPathToo() async throws {
        try await withTemporaryStore { store, path in
            let pool = try await poisonMessages(at: path)
            let stored = try await store.ingestOne(
                try inbound("1:10", from: "telegram:42", channel: "tg", thread: "chat-1", text: "v1"))
            var newer = try inbound(
                "1:10:edit:2", from: "telegram:42", channel: "tg", thread: "chat-1", text: "v3", at: baseTime + 9)
            newer.replaces = "1:10"
            _ = try await store.ingest([newer], policy: .init())
            var late = try inbound(
                "1:10:edit:1", from: "telegram:42", channel: "tg", thread: "chat-1", text: "v2", at: baseTime + 5)
            late.replaces = "1:10"
            // The poisoned neighbour forces the group onto the savepoint-per-envelope path.
            let outcomes = try await store.ingest(
                [late, try inbound("p", from: "telegram:43", channel: "tg", thread: "chat-2", text: "poison")],
                policy: .init())
            #expect(outcomes.first == .duplicate(messageID: stored.message.id))
            let history = try await pool.read { db in
                try String.fetchAll(
                    db, sql: "SELECT text FROM message_edits WHERE message_id = ? ORDER BY edited_at",
                    arguments: [stored.message.id])
            }
            #expect(history == ["v2", "v3"], "the late edit is in the history")
            #expect(try await store.message(id: stored.message.id)?.text == "v3")
        }
    }

    @Test(arguments: [Double.nan, .infinity, -5, 9e15])
    func aMessageTimeOutsideReasonIsRefusedWithoutACrash(_ seconds: Double) async throws {
        try await withTemporaryStore { store in
            let envelope = try inbound(
                "t1", from: "telegram:42", channel: "tg", at: Date(timeIntervalSince1970: seconds))
            let outcomes = try await store.ingest([envelope], policy: .init())
            guard case .rejected(let reason) = outcomes.first else {
                Issue.record("stored a message sent at \(seconds): \(outcomes)")
                return
            }
            #expect(reason.contains("between 1970 and 2200"))
            #expect(try await store.counts()["messages"] == 0)
        }
    }

    @Test func anAddressInAPublicPostNeverMergesOrSuggests() async throws {
        try await withTemporaryStore { store in
            _ = try await store.ingestOne(try inbound("<m1@x>", from: "email:john@example.com", channel: "mail"))
            var post = try inbound(
                "1900", from: "x:7", channel: "x", thread: "post:1900", text: "email john@example.com")
            post.visibility = .public
            let stored = try await store.ingestOne(
                post, policy: IngestPolicy(identity: IdentityPolicy(addressesInText: .merge)))
            #expect(stored.merge == nil)
            #expect(try await store.mergeSuggestions().isEmpty)
        }
    }
}
