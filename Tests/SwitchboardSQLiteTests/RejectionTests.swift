import Foundation
import SwitchboardAdapterKit
import SwitchboardCore
import SwitchboardSQLStore
import SwitchboardSQLite
import Testing

/// A group is written optimistically; when one envelope fails mid-way, the group is redone with a
/// savepoint per envelope, so only that envelope is rejected and its neighbours are stored.
struct RejectionTests {
    @Test func aFailingEnvelopeRollsBackOnlyItself() async throws {
        try await withTemporaryStore { store, path in
            // The database refuses one message: it stands in for any failure that happens after an
            // envelope has already written its customer and conversation rows.
            try await poisonMessages(at: path)
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
