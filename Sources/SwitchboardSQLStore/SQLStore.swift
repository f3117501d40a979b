import Foundation
import SwitchboardAdapterKit
import SwitchboardCore

/// The store both backends share: every query of ingest, replies, profiles and timelines, written
/// once against ``SQLSession`` (SQLite through GRDB, or PostgreSQL through postgres-nio). One writer
/// per process batches concurrent ingests into one transaction (``GroupCommitWriter``). The backend
/// module opens the database and runs its migrations (`SQLStore(sqlitePath:)`, `SQLStore(postgres:)`).
public final class SQLStore: CursorStoreProvider {
    public let database: any SQLDatabase
    let writer: GroupCommitWriter

    /// - Parameter maxGroupSize: the most envelopes one group commit carries.
    public init(database: any SQLDatabase, maxGroupSize: Int = 1000) {
        self.database = database
        writer = GroupCommitWriter(database: database, maxGroupSize: maxGroupSize)
    }

    /// How concurrent ingests were grouped into transactions since the store opened.
    public var groupCommitStats: GroupCommitStats { writer.stats }

    public func cursorStore(for channel: ChannelID) -> any CursorStore {
        SQLCursorStore(database: database, channel: channel)
    }

    /// A random secret made the first time it is asked for and kept in the database, so it
    /// survives restarts: adapters derive keys from it for ids they must recognise later.
    public func hubSecret() throws -> String {
        try database.writeSynchronously { db in
            let select = "SELECT value FROM cursors WHERE channel = 'hub:internal' AND key = 'secret'"
            if let existing = try (db.fetchValue(select) as String?) { return existing }
            var generator = SystemRandomNumberGenerator()
            let secret = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }
                .joined()
            try db.execute(
                "INSERT INTO cursors (channel, key, value, updated_at) VALUES ('hub:internal', 'secret', ?, ?)",
                [secret, Date().millis])
            return secret
        }
    }

    /// Row counts per table, for `migrate-store`, benchmarks and tests.
    public func counts() async throws -> [String: Int] {
        try await Self.counts(
            of: ["customers", "identities", "conversations", "messages", "outbox", "merges", "events", "opt_outs"],
            in: database)
    }

    /// Rows in each of `tables` of `database`, read in one snapshot.
    public static func counts(of tables: [String], in database: any SQLDatabase) async throws -> [String: Int] {
        try await database.read { db in
            var counts: [String: Int] = [:]
            for table in tables { counts[table] = try db.fetchValue("SELECT COUNT(*) FROM \(table)") ?? 0 }
            return counts
        }
    }
}

/// Poller positions of one channel instance, in the `cursors` table.
struct SQLCursorStore: CursorStore {
    let database: any SQLDatabase
    let channel: ChannelID

    func value(for key: String) async throws -> String? {
        try await database.read { db in
            try
                (db.fetchValue("SELECT value FROM cursors WHERE channel = ? AND key = ?", [channel.rawValue, key])
                as String?)
        }
    }

    func setValue(_ value: String, for key: String) async throws {
        try await setValues([key: value])
    }

    func setValues(_ values: [String: String]) async throws {
        guard !values.isEmpty else { return }
        let now = Date().millis
        try await database.write { db in
            for (key, value) in values.sorted(by: { $0.key < $1.key }) {
                try db.execute(
                    """
                    INSERT INTO cursors (channel, key, value, updated_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (channel, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                    """, [channel.rawValue, key, value, now])
            }
        }
    }
}

extension Date {
    /// Milliseconds since 1970, the stored form of every timestamp. Saturating: a time from a
    /// channel that is not finite or absurdly far away never traps (ingest refuses such envelopes
    /// by ``isStorableMessageTime``; this guards every other path).
    var millis: Int64 {
        let value = (timeIntervalSince1970 * 1000).rounded(.down)
        guard value.isFinite else { return 0 }
        return Int64(max(-9.0e15, min(9.0e15, value)))
    }

    /// Between 1970 and 2200: what a channel's message time can sensibly be.
    var isStorableMessageTime: Bool { MessageTime.isPlausible(self) }

    init(millis: Int64) { self.init(timeIntervalSince1970: Double(millis) / 1000) }
}
