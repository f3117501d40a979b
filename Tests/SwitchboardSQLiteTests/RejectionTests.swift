import Foundation
import GRDB
import SwitchboardAdapterKit
import SwitchboardCore
import SwitchboardSQLite
import Testing

/// A group is written optimistically; when one envelope fails mid-way, the group is redone with a
/// savepoint per envelope, so only that envelope is rejected and its neighbours are stored.
struct RejectionTests {
    @Test func aFailingEnvelopeRollsBackOnlyItself() async throws {
        try await withTemporaryStore { store, path in
            // A trigger makes the database refuse one message: it stands in for any failure that
            // happens after an envelope has already written its customer and conversation rows.
            let pool = try DatabasePool(path: path)
            try await pool.write { db in
                try db.execute(
                    sql: """
                        CREATE TRIGGER refuse_poison BEFORE INSERT ON messages WHEN NEW.text = 'poison'
                        BEGIN SELECT RAISE(ABORT, 'poisoned message'); END
                        """)
            }
            let outcomes = try await store.ingest(
                [
                    try inbound("p1", from: "email:a@example.com"),
                    try inbound("p2", from: "email:new@example.com", text: "poison"),
                    try inbound("p3", from: "email:c@example.com"),
                ], policy: .init())
            guard case .rejected(let reason) = outcomes[1] else {
                Issue.record("the poisoned envelope was stored: \(outcomes)")
                return
            }
            #expect(reason.contains("poisoned message"))
            _ = try requireStored(outcomes[0])
            _ = try requireStored(outcomes[2])
            let counts = try await store.counts()
            #expect(counts["messages"] == 2)
            #expect(counts["customers"] == 2, "the poisoned envelope's new customer was rolled back too")
            #expect(try await store.customer(for: try parseAddress("email:new@example.com")) == nil)
        }
    }
}
