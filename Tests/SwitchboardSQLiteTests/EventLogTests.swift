import Foundation
import SwitchboardAdapterKit
import SwitchboardCore
import SwitchboardSQLStore
import Testing

/// The event log on both backends: every message in and out, status change, assignment, tag
/// change and merge is appended in the same transaction as the change; a refused change appends
/// nothing; and the service levels read the numbers back from it.
struct EventLogTests {
    @Test func everyChangeIsAppendedAndReportsReadItBack() async throws {
        try await withTemporaryStore { store in
            _ = try await store.createUser(name: "Bo Berg", role: .agent)
            let first = try await store.ingestOne(try inbound("m1", from: "email:ana@example.com", at: baseTime))
            let id = first.conversation.id
            _ = try await store.enqueueReply(
                ReplyRequest(conversationID: id, text: "We got it", author: "auto-acknowledge", isAutomatic: true))
            _ = try await store.enqueueReply(ReplyRequest(conversationID: id, text: "Hi Ana", author: "Bo Berg"))
            _ = try await store.update(
                conversationID: id, ConversationChange(assignee: "Bo Berg", tags: ["vip"]), actor: "Ada")
            _ = try await store.setStatus(conversationID: id, to: .resolved, actor: "Bo Berg")
            // Refused changes append nothing.
            await #expect(throws: StoreError.self) {
                try await store.update(conversationID: id, ConversationChange(assignee: "Nobody"), actor: "Ada")
            }
            // The customer writes again: the conversation reopens.
            _ = try await store.ingestOne(
                try inbound("m2", from: "email:ana@example.com", at: baseTime.addingTimeInterval(60)))
            let other = try await store.ingestOne(try inbound("m3", from: "email:bea@example.com", thread: "t-2"))
            _ = try await store.merge(
                other.conversation.customerID, into: first.conversation.customerID, actor: "Ada", reason: "same person")

            let lines = try await store.activity(ofConversations: [id])
            #expect(
                lines.map { "\($0.kind.rawValue) \($0.value ?? "-") \($0.isAutomatic)" } == [
                    // A customer's message carries its sentiment.
                    "conversation.opened - false", "message.in neutral false", "message.out - true",
                    "message.out - false", "assignment Bo Berg false", "tags vip false", "status resolved false",
                    "status open false", "message.in neutral false",
                ])
            #expect(lines.map(\.sequence) == lines.map(\.sequence).sorted())
            #expect(lines.allSatisfy { $0.channel == "shop" && $0.customerID == first.conversation.customerID })
            #expect(lines.first?.at == baseTime, "a conversation opens when the customer wrote")

            let opened = try await store.activity(
                ofConversationsOpenedFrom: baseTime, to: baseTime.addingTimeInterval(1))
            #expect(Set(opened.compactMap(\.conversationID)) == [id, other.conversation.id])

            let levels = ServiceLevels(policies: [SLAPolicy(name: "all", firstResponse: 3600)])
            let rows = try await levels.report(
                store, start: baseTime, end: Date().addingTimeInterval(60), grouping: .all)
            let all = try #require(rows.last)
            #expect(all.channel == "all" && all.conversations == 2 && all.messagesIn == 3 && all.messagesOut == 2)
            #expect(all.automaticOut == 1 && all.firstResponses == 1 && all.resolved == 1 && all.reopenRate == 1)
            // Both opened long ago (baseTime is 2023): Ana's was answered late, Bea's never.
            #expect(all.slaBreaches == 2)
            let statuses = try await levels.status(
                of: [try #require(try await store.conversation(id: id))], store)
            #expect(statuses[id]?.checks.map(\.state) == [.breached])
        }
    }
}
