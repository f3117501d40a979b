import Foundation
import SwitchboardAdapterKit
import SwitchboardCore
import SwitchboardPostgres
import SwitchboardSQLStore
import SwitchboardSQLite
import Testing

/// `switchboard migrate-store`'s copy: a SQLite store with every kind of row moves to PostgreSQL
/// and reads back the same, and a second copy into a filled database is refused.
struct StoreMigrationTests {
    /// Customers (one merged away), identities, conversations, messages with status histories, an
    /// edit, an opt-out, a sent and a dead-lettered reply, events, a poller position.
    func seed(_ store: SQLStore) async throws -> [String] {
        let ana = try await store.ingestOne(try inbound("m1", from: "email:ana@example.com", channel: "mail"))
        let sms = try await store.ingestOne(
            try inbound(
                "s1", from: "tel:+14155550100", channel: "sms", thread: "sms-1", at: baseTime.addingTimeInterval(60)))
        _ = try await store.ingestOne(
            try inbound(
                "s2", from: "tel:+14155550100", channel: "sms", thread: "sms-1", text: "STOP",
                at: baseTime.addingTimeInterval(90)), policy: IngestPolicy(optOut: OptOutPolicy(channels: ["sms"])))
        let bo = try await store.ingestOne(
            try inbound("m2", from: "email:bo@example.com", channel: "mail", thread: "t2"))
        _ = try await store.merge(
            sms.conversation.customerID, into: ana.conversation.customerID, actor: "agent", reason: "same")
        let sent = try await store.enqueueReply(
            ReplyRequest(conversationID: ana.conversation.id, text: "Hi Ana", author: "Bo"))
        let failed = try await store.enqueueReply(
            ReplyRequest(conversationID: bo.conversation.id, text: "Hi", author: "Bo"))
        let claimed = try await store.claimDue(now: Date().addingTimeInterval(1), limit: 10, lease: .seconds(60))
        for item in claimed {
            if item.message.messageID == sent.id {
                try await store.markSent(item, receipt: SendReceipt(externalID: "remote-1"))
            } else {
                try await store.markFailed(item, error: SendError(.permanent, "blocked"), retryAt: nil)
            }
        }
        _ = try await store.setStatus(conversationID: bo.conversation.id, to: .resolved, actor: "agent")
        try await store.cursorStore(for: "mail").setValue("uid:42", for: "position")
        #expect(failed.id != sent.id)
        return [ana.conversation.customerID, sms.conversation.customerID, bo.conversation.customerID]
    }

    @Test func everythingMovesAndReadsBackTheSame() async throws {
        try await withTemporaryStore { sqlite, _ in
            let customers = try await seed(sqlite)
            try await PostgresPeer.withStore { postgres in
                let database = try #require(postgres.database as? PostgresSQLDatabase)
                let counts = try await StoreMigration(source: sqlite.database, destination: database, batchSize: 3)
                    .run()
                #expect(counts == (try await StoreMigration.counts(sqlite.database)))
                #expect(counts["messages"] ?? 0 >= 6)
                for customer in customers {
                    #expect(try await postgres.fullTimeline(customer) == (try await sqlite.fullTimeline(customer)))
                    #expect(try await postgres.profile(id: customer) == (try await sqlite.profile(id: customer)))
                    #expect(
                        try await postgres.conversations(customerID: customer)
                            == (try await sqlite.conversations(customerID: customer)))
                }
                #expect(try await postgres.merges(customerID: nil) == (try await sqlite.merges(customerID: nil)))
                #expect(try await postgres.deadLetters() == (try await sqlite.deadLetters()))
                #expect(try await postgres.cursorStore(for: "mail").value(for: "position") == "uid:42")
                // New rows go on after the copied ones.
                let conversation = try #require(try await postgres.conversations(customerID: customers[2]).first)
                _ = try await postgres.enqueueReply(
                    ReplyRequest(conversationID: conversation.id, text: "Again", author: "Bo"))
                let due = try await postgres.claimDue(now: Date().addingTimeInterval(1), limit: 10, lease: .seconds(60))
                #expect(due.count == 1)
                #expect(due[0].id > (try await sqlite.deadLetters()).map(\.id).max() ?? 0)

                await #expect(throws: SQLError.self) {
                    _ = try await StoreMigration(source: sqlite.database, destination: database).run()
                }
            }
        }
    }
}
