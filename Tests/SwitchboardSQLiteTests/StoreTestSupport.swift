import Foundation
import GRDB
import SwitchboardAdapterKit
import SwitchboardCore
import SwitchboardSQLStore
import SwitchboardSQLite
import Testing

/// A failure already recorded as an issue; thrown to stop the test.
struct StopThisTest: Error {}

/// Runs `body` with a store on a fresh database file in its own temporary directory, removed afterwards.
func withTemporaryStore<T>(
    maxGroupSize: Int = 1000, _ body: (SQLStore, _ path: String) async throws -> T
) async throws -> T {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("switchboard-sqlite-tests-\(UUID().uuidString)", isDirectory: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("hub.sqlite").path
    let store = try SQLStore(sqlitePath: path, maxGroupSize: maxGroupSize)
    return try await body(store, path)
}

/// Runs `body` twice: with a store on a fresh SQLite file, then with one in a fresh schema of the
/// PostgreSQL test server (`scripts/peers/postgres.sh`): the store test suite holds for both backends.
func withTemporaryStore<T>(maxGroupSize: Int = 1000, _ body: (SQLStore) async throws -> T) async throws -> T {
    _ = try await withTemporaryStore(maxGroupSize: maxGroupSize) { store, _ in try await body(store) }
    return try await PostgresPeer.withStore(maxGroupSize: maxGroupSize, body)
}

/// A fixed, whole-second base time, so stored milliseconds compare exactly.
let baseTime = Date(timeIntervalSince1970: 1_700_000_000)

func parseAddress(_ text: String) throws -> Address { try Address(parsing: text) }

func inbound(
    _ externalID: String, from: String, channel: ChannelID = "shop", thread: String = "thread-1",
    text: String? = nil, subject: String? = nil, at: Date = baseTime, hints: IdentityHints = .init()
) throws -> InboundEnvelope {
    InboundEnvelope(
        channel: channel, externalID: externalID, from: try parseAddress(from), threadKey: thread, subject: subject,
        text: text ?? "message \(externalID)", sentAt: at, hints: hints)
}

/// The stored message of an outcome, or a recorded issue.
func requireStored(_ outcome: IngestOutcome?, sourceLocation: SourceLocation = #_sourceLocation) throws -> StoredMessage
{
    guard case .stored(let stored) = outcome else {
        Issue.record("expected a stored message, got \(String(describing: outcome))", sourceLocation: sourceLocation)
        throw StopThisTest()
    }
    return stored
}

extension SQLStore {
    /// Ingests one envelope and returns what was stored.
    func ingestOne(
        _ envelope: InboundEnvelope, policy: IngestPolicy = .init(), sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> StoredMessage {
        let outcomes = try await ingest([envelope], policy: policy)
        #expect(outcomes.count == 1, sourceLocation: sourceLocation)
        return try requireStored(outcomes.first, sourceLocation: sourceLocation)
    }

    /// Every timeline entry of a customer, following cursors, newest first.
    func fullTimeline(_ customerID: String, pageSize: Int = 100) async throws -> [TimelineEntry] {
        var entries: [TimelineEntry] = []
        var cursor: String?
        repeat {
            let page = try await timeline(customerID: customerID, limit: pageSize, cursor: cursor)
            entries += page.items
            cursor = page.nextCursor
        } while cursor != nil
        return entries
    }

    /// The messages of a customer's timeline, newest first.
    func timelineMessages(_ customerID: String) async throws -> [Message] {
        try await fullTimeline(customerID).compactMap { if case .message(let message) = $0 { message } else { nil } }
    }

    /// The system events of a customer's timeline, newest first.
    func timelineEvents(_ customerID: String) async throws -> [SystemEvent] {
        try await fullTimeline(customerID).compactMap { if case .event(let event) = $0 { event } else { nil } }
    }
}

/// Expects `body` to throw a ``StoreError`` with `code`; returns its message.
@discardableResult
func expectStoreError(
    _ code: StoreError.Code, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async -> String? {
    do {
        try await body()
        Issue.record("expected StoreError.\(code), nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as StoreError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        #expect(!error.message.isEmpty, sourceLocation: sourceLocation)
        return error.message
    } catch {
        Issue.record("expected StoreError.\(code), got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// Makes the database at `path` refuse (with "poisoned message") every message whose text is
/// `poison`: a failure after an envelope has written its customer and conversation rows, which
/// sends a group onto the savepoint-per-envelope path. Returns a pool on the file, for checks.
@discardableResult
func poisonMessages(at path: String) async throws -> DatabasePool {
    let pool = try DatabasePool(path: path)
    try await pool.write { db in
        try db.execute(
            sql: """
                CREATE TRIGGER refuse_poison BEFORE INSERT ON messages WHEN NEW.text = 'poison'
                BEGIN SELECT RAISE(ABORT, 'poisoned message'); END
                """)
    }
    return pool
}
