import Foundation
import SwitchboardSQLStore

/// Copies everything from a SQLite store into an empty PostgreSQL store (`switchboard
/// migrate-store`): customers, identities, merges, conversations, messages and their histories,
/// the outbox, opt-outs, events, poller positions and webhook deliveries, in batches, reporting
/// progress, then checks that every table holds as many rows on both sides.
///
/// The destination must be empty: a copy that stops halfway leaves a partial database, which the
/// next attempt refuses (drop and recreate the database, then run it again).
public struct StoreMigration: Sendable {
    /// Tables in an order that satisfies every foreign key, with the column that pages through the
    /// source in insertion order (SQLite's rowid).
    public static let tables = [
        "customers", "identities", "conversations", "messages", "message_status", "message_edits", "opt_outs",
        "outbox", "merges", "merge_suggestions", "events", "cursors", "webhook_deliveries", "users", "api_tokens",
        "activity", "broadcasts", "broadcast_recipients", "csat",
    ]

    /// How far the copy is: a table, and rows copied of rows in it.
    public struct Progress: Sendable {
        public var table: String
        public var copied: Int
        public var total: Int
        /// Rows copied in every table so far, and in all.
        public var copiedOverall: Int
        public var totalOverall: Int
    }

    public let source: any SQLDatabase
    public let destination: PostgresSQLDatabase
    public var batchSize: Int

    public init(source: any SQLDatabase, destination: PostgresSQLDatabase, batchSize: Int = 500) {
        self.source = source
        self.destination = destination
        self.batchSize = max(1, batchSize)
    }

    /// Copies every table; returns the row counts, which match on both sides (else it throws).
    public func run(progress: @Sendable (Progress) -> Void = { _ in }) async throws -> [String: Int] {
        let totals = try await Self.counts(source)
        let existing = try await Self.counts(destination)
        if let (table, count) = existing.first(where: { $0.value > 0 }).map({ ($0.key, $0.value) }) {
            throw SQLError(
                .other,
                "the destination is not empty (\(table) has \(count) rows); migrate-store copies into an empty "
                    + "database only: drop and recreate it, then run migrate-store again")
        }
        let overall = totals.values.reduce(0, +)
        var copiedOverall = 0
        for table in Self.tables {
            let total = totals[table] ?? 0
            var copied = 0
            var after: Int64 = 0
            progress(
                Progress(table: table, copied: 0, total: total, copiedOverall: copiedOverall, totalOverall: overall))
            while true {
                let (limit, start) = (batchSize, after)
                let page = try await source.read { db in
                    try db.fetchAll(
                        "SELECT rowid AS _row, * FROM \(table) WHERE rowid > ? ORDER BY rowid LIMIT ?", [start, limit])
                }
                guard let last = page.last else { break }
                after = try last["_row"]
                try await destination.write { db in try Self.insert(page, into: table, db: db) }
                copied += page.count
                copiedOverall += page.count
                progress(
                    Progress(
                        table: table, copied: copied, total: total, copiedOverall: copiedOverall, totalOverall: overall)
                )
            }
        }
        // Merged-away customers point at their target only now that every target exists.
        try await destination.write { db in
            try db.execute(
                "UPDATE customers SET merged_into = m.merged_into FROM migrate_merged_into AS m WHERE customers.id = m.id"
            )
            try db.execute("DROP TABLE migrate_merged_into")
            // The outbox keeps its ids; new rows continue after the highest.
            try db.execute(
                "SELECT setval(pg_get_serial_sequence('outbox', 'id'), COALESCE((SELECT MAX(id) FROM outbox), 0) + 1, false)"
            )
            // So does the event log, whose order reports rely on.
            try db.execute(
                "SELECT setval(pg_get_serial_sequence('activity', 'seq'), COALESCE((SELECT MAX(seq) FROM activity), 0) + 1, false)"
            )
            // Fresh statistics, so the planner knows the copied tables' sizes at once.
            for table in Self.tables { try db.execute("ANALYZE \(table)") }
        }
        let copiedCounts = try await Self.counts(destination)
        let mismatched = Self.tables.filter { (totals[$0] ?? 0) != (copiedCounts[$0] ?? 0) }
        guard mismatched.isEmpty else {
            let detail = mismatched.map { "\($0): \(totals[$0] ?? 0) in the source, \(copiedCounts[$0] ?? 0) copied" }
            throw SQLError(.other, "the copy does not match the source: \(detail.joined(separator: "; "))")
        }
        return copiedCounts
    }

    /// One multi-row INSERT of a page (without the paging column). Customers go in without
    /// `merged_into`, kept aside in a temporary table until every customer exists.
    static func insert(_ page: [SQLRow], into table: String, db: any SQLSession) throws {
        guard let first = page.first else { return }
        var columns = first.columns.filter { $0 != "_row" }
        let mergedInto = table == "customers" ? columns.firstIndex(of: "merged_into") : nil
        if mergedInto != nil {
            try db.execute(
                "CREATE TABLE IF NOT EXISTS migrate_merged_into (id TEXT COLLATE \"C\" PRIMARY KEY, merged_into TEXT COLLATE \"C\" NOT NULL)"
            )
            columns.removeAll { $0 == "merged_into" }
        }
        let row = "(" + db.placeholders(columns.count) + ")"
        var values: [any SQLBindable] = []
        values.reserveCapacity(page.count * columns.count)
        var merged: [any SQLBindable] = []
        for source in page {
            for column in columns { values.append(try source[column] as SQLValue) }
            if mergedInto != nil {
                let target: SQLValue = try source["merged_into"]
                if target != .null { merged += [try source["id"] as SQLValue, target] }
            }
        }
        let list = columns.joined(separator: ", ")
        try db.execute(
            "INSERT INTO \(table) (\(list)) VALUES \(Array(repeating: row, count: page.count).joined(separator: ", "))",
            values)
        if !merged.isEmpty {
            let pairs = Array(repeating: "(?, ?)", count: merged.count / 2).joined(separator: ", ")
            try db.execute("INSERT INTO migrate_merged_into (id, merged_into) VALUES \(pairs)", merged)
        }
    }

    /// Rows per table.
    public static func counts(_ database: any SQLDatabase) async throws -> [String: Int] {
        try await SQLStore.counts(of: tables, in: database)
    }
}
