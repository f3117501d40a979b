import Foundation
import SwitchboardAdapterKit
import SwitchboardCore
import SwitchboardSQLStore
import Testing

/// What agents do to a conversation besides replying, on both backends: assign, tag, set the
/// priority (each change a timeline event), internal notes (in the timeline, never sent), and the
/// inbox's tag filter.
struct AgentWorkTests {
    @Test func assignmentTagsAndPriorityChangeAndLeaveEvents() async throws {
        try await withTemporaryStore { store in
            _ = try await store.createUser(name: "Bo Berg", role: .agent)
            let stored = try await store.ingestOne(try inbound("m1", from: "email:ana@example.com"))
            let id = stored.conversation.id
            let changed = try await store.update(
                conversationID: id,
                ConversationChange(assignee: "Bo Berg", tags: ["VIP", " billing ", "vip"], priority: 2),
                actor: "Ada")
            #expect(changed.assignee == "Bo Berg" && changed.tags == ["vip", "billing"] && changed.priority == 2)
            #expect(try await store.conversation(id: id) == changed)
            // Nothing changes: no event.
            _ = try await store.update(conversationID: id, ConversationChange(priority: 2), actor: "Ada")
            let unassigned = try await store.update(
                conversationID: id, ConversationChange(assignee: .some(nil)), actor: "Ada")
            #expect(unassigned.assignee == nil && unassigned.tags == ["vip", "billing"])
            let events = try await store.timeline(customerID: stored.conversation.customerID, limit: 50, cursor: nil)
                .items.compactMap { entry -> String? in
                    if case .event(let event) = entry { return "\(event.kind): \(event.detail)" }
                    return nil
                }
            // One update's events share a millisecond: their order among themselves is not defined.
            #expect(events.first == "assignment: Bo Berg → nobody")
            #expect(
                Set(events.dropFirst())
                    == ["priority: 0 → 2", "tags: vip, billing", "assignment: nobody → Bo Berg"])
            #expect(events.count == 4, "no event for an update that changed nothing")
        }
    }

    @Test func badChangesAreRefusedAndChangeNothing() async throws {
        try await withTemporaryStore { store in
            let stored = try await store.ingestOne(try inbound("m1", from: "email:ana@example.com"))
            let id = stored.conversation.id
            for change in [
                ConversationChange(tags: ["no spaces allowed"]), ConversationChange(tags: ["50%"]),
                ConversationChange(priority: 9), ConversationChange(assignee: "Nobody Here"),
            ] {
                await #expect(throws: StoreError.self) {
                    try await store.update(conversationID: id, change, actor: "Ada")
                }
            }
            await #expect(throws: StoreError.self) {
                try await store.update(conversationID: "con_missing", ConversationChange(priority: 1), actor: "Ada")
            }
            let after = try #require(try await store.conversation(id: id))
            #expect(after.assignee == nil && after.tags == [] && after.priority == 0)
        }
    }

    @Test func aNoteIsInTheTimelineAndNotInTheOutbox() async throws {
        try await withTemporaryStore { store in
            let stored = try await store.ingestOne(try inbound("m1", from: "email:ana@example.com"))
            let note = try await store.addNote(
                conversationID: stored.conversation.id, text: "  Called her; refund approved.  ", author: "Bo")
            #expect(note.kind == "note" && note.detail == "Called her; refund approved." && note.actor == "Bo")
            let timeline = try await store.timeline(customerID: stored.conversation.customerID, limit: 10, cursor: nil)
            #expect(timeline.items.first?.id == note.id)
            #expect(
                try await store.claimDue(now: Date().addingTimeInterval(60), limit: 10, lease: .seconds(30)).isEmpty)
            await #expect(throws: StoreError.self) {
                try await store.addNote(conversationID: stored.conversation.id, text: "   ", author: "Bo")
            }
        }
    }

    @Test func theInboxFiltersByTag() async throws {
        try await withTemporaryStore { store in
            let first = try await store.ingestOne(try inbound("m1", from: "email:ana@example.com", thread: "t1"))
            let second = try await store.ingestOne(try inbound("m2", from: "email:bo@example.com", thread: "t2"))
            _ = try await store.update(
                conversationID: first.conversation.id, ConversationChange(tags: ["vip_2"]), actor: "Ada")
            _ = try await store.update(
                conversationID: second.conversation.id, ConversationChange(tags: ["vipx2"]), actor: "Ada")
            let page = try await store.conversations(
                matching: ConversationFilter(tag: "vip_2"), limit: 10, cursor: nil)
            // `_` is not a wildcard: vipx2 does not match.
            #expect(page.items.map(\.id) == [first.conversation.id])
            #expect(
                try await store.conversations(matching: ConversationFilter(tag: "vip"), limit: 10, cursor: nil).items
                    .isEmpty)
        }
    }
}

/// Web inbox logins on both backends: password hashes, sessions that expire and end at logout,
/// and the line between session and API tokens.
struct WebLoginStoreTests {
    @Test func aSessionWorksUntilItExpiresOrIsRevokedAndIsNoAPIToken() async throws {
        try await withTemporaryStore { store in
            let bo = try await store.createUser(name: "Bo", role: .agent)
            let session = try await store.issueSession(forUser: bo.id, expiresAt: Date().addingTimeInterval(3600))
            #expect(try await store.user(forToken: session.token, kind: .session) == bo)
            #expect(try await store.user(forToken: session.token) == nil, "a session cookie is not a bearer token")
            let api = try await store.issueToken(forUser: bo.id)
            #expect(try await store.user(forToken: api.token, kind: .session) == nil)
            try await store.revokeSession(token: session.token)
            #expect(try await store.user(forToken: session.token, kind: .session) == nil)
            let expired = try await store.issueSession(forUser: bo.id, expiresAt: Date().addingTimeInterval(-1))
            #expect(try await store.user(forToken: expired.token, kind: .session) == nil)
        }
    }

    @Test func aNewPasswordIsStoredHashedAndEndsOpenSessions() async throws {
        try await withTemporaryStore { store in
            let bo = try await store.createUser(name: "Bo", role: .agent)
            #expect(try await store.credentials(named: "Bo")?.passwordHash == nil)
            let session = try await store.issueSession(forUser: bo.id, expiresAt: Date().addingTimeInterval(3600))
            let hash = try await PasswordHash.make("correct horse battery", rounds: 1_000)
            try await store.setPasswordHash(hash, forUser: bo.id)
            let credentials = try #require(try await store.credentials(named: "Bo"))
            #expect(credentials.user == bo && credentials.passwordHash == hash)
            #expect(!hash.contains("correct horse"))
            #expect(try await store.user(forToken: session.token, kind: .session) == nil)
            #expect(try await store.credentials(named: "Nobody") == nil)
        }
    }
}
