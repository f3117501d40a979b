import Foundation
import GRDB
import SwitchboardAdapterKit
import SwitchboardCore

/// The embedded default backend: SQLite through GRDB, in WAL mode with `synchronous = FULL`, one
/// writer that batches concurrent ingests into one transaction (``GroupCommitWriter``), and a pool
/// of readers. Migrations run when it opens.
public final class SQLiteStore: CursorStoreProvider {
    let pool: DatabasePool
    let writer: GroupCommitWriter

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    /// - Parameter maxGroupSize: the most envelopes one group commit carries.
    public init(path: String, maxGroupSize: Int = 1000) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if !FileManager.default.fileExists(atPath: directory) {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // FULL: a commit is on disk before ingest returns (2xx means durable).
            // temp_store MEMORY: the per-envelope savepoints keep their sub-journal in memory; in a
            // temp file they cost a pwrite per changed page (measured: 3/4 of ingest time).
            try db.execute(sql: "PRAGMA synchronous = FULL; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -16000")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        try Migrations.migrator.migrate(pool)
        writer = GroupCommitWriter(pool: pool, maxGroupSize: maxGroupSize)
    }

    /// How concurrent ingests were grouped into transactions since the store opened.
    public var groupCommitStats: GroupCommitStats { writer.stats }

    public func cursorStore(for channel: ChannelID) -> any CursorStore {
        SQLiteCursorStore(pool: pool, channel: channel)
    }

    /// A random secret made the first time it is asked for and kept in the database, so it
    /// survives restarts: adapters derive keys from it for ids they must recognise later.
    public func hubSecret() throws -> String {
        try pool.write { db in
            let select = "SELECT value FROM cursors WHERE channel = 'hub:internal' AND key = 'secret'"
            if let existing = try String.fetchOne(db, sql: select) { return existing }
            var generator = SystemRandomNumberGenerator()
            let secret = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }
                .joined()
            try db.execute(
                sql: "INSERT INTO cursors (channel, key, value, updated_at) VALUES ('hub:internal', 'secret', ?, ?)",
                arguments: [secret, Date().millis])
            return secret
        }
    }

    /// Row counts per table, for `migrate-store`, benchmarks and tests.
    public func counts() async throws -> [String: Int] {
        try await pool.read { db in
            var counts: [String: Int] = [:]
            for table in [
                "customers", "identities", "conversations", "messages", "outbox", "merges", "events", "opt_outs",
            ] {
                counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0
            }
            return counts
        }
    }
}

/// Poller positions of one channel instance, in the `cursors` table.
struct SQLiteCursorStore: CursorStore {
    let pool: DatabasePool
    let channel: ChannelID

    func value(for key: String) async throws -> String? {
        try await pool.read { db in
            try String.fetchOne(
                db, sql: "SELECT value FROM cursors WHERE channel = ? AND key = ?", arguments: [channel.rawValue, key])
        }
    }

    func setValue(_ value: String, for key: String) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO cursors (channel, key, value, updated_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (channel, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                    """,
                arguments: [channel.rawValue, key, value, Date().millis])
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
