import Foundation
import GRDB
import SwitchboardAdapterKit
import SwitchboardCore

extension SQLiteStore: TimelineReader {
    public func timeline(customerID: String, limit: Int, cursor: String?) async throws -> Page<TimelineEntry> {
        let limit = max(1, min(limit, 500))
        var position: TimelineCursor?
        if let cursor {
            guard let parsed = TimelineCursor(token: cursor) else {
                throw StoreError(.invalid, "the cursor '\(cursor)' is not one this server handed out")
            }
            position = parsed
        }
        let before = position?.millis ?? Int64.max
        let beforeID = position?.id ?? "\u{10FFFF}"
        return try await pool.read { db in
            let messageRows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT \(Rows.messageColumns) FROM messages
                        WHERE customer_id = ? AND (sent_at < ? OR (sent_at = ? AND id < ?))
                        ORDER BY sent_at DESC, id DESC LIMIT ?
                        """),
                arguments: [customerID, before, before, beforeID, limit + 1])
            let histories = try Rows.histories(db, messageIDs: messageRows.map { $0["id"] })
            let eventRows = try Row.fetchAll(
                db,
                sql: """
                    WITH RECURSIVE absorbed(id) AS (
                        SELECT ? UNION SELECT customers.id FROM customers JOIN absorbed ON customers.merged_into = absorbed.id
                    )
                    SELECT * FROM events WHERE customer_id IN absorbed AND (at < ? OR (at = ? AND id < ?))
                    ORDER BY at DESC, id DESC LIMIT ?
                    """,
                arguments: [customerID, before, before, beforeID, limit + 1])
            var entries = messageRows.map {
                TimelineEntry.message(Rows.message($0, history: histories[$0["id"]] ?? []))
            }
            entries += eventRows.map { TimelineEntry.event(Rows.event($0)) }
            entries.sort { ($0.at, $0.id) > ($1.at, $1.id) }
            let page = Array(entries.prefix(limit))
            let more = entries.count > limit
            return Page(items: page, nextCursor: more ? page.last.map { TimelineCursor(after: $0).token } : nil)
        }
    }

    public func conversation(id: String) async throws -> Conversation? {
        try await pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT \(Rows.conversationColumns) FROM conversations WHERE id = ?", arguments: [id]
            ).map {
                try Rows.conversation($0)
            }
        }
    }

    public func conversations(customerID: String) async throws -> [Conversation] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT \(Rows.conversationColumns) FROM conversations WHERE customer_id = ? ORDER BY last_message_at DESC, id DESC",
                arguments: [customerID]
            ).map { try Rows.conversation($0) }
        }
    }

    public func messages(conversationID: String) async throws -> [Message] {
        try await pool.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT \(Rows.messageColumns) FROM messages WHERE conversation_id = ? ORDER BY sent_at, id",
                arguments: [conversationID])
            let histories = try Rows.histories(db, messageIDs: rows.map { $0["id"] })
            return rows.map { Rows.message($0, history: histories[$0["id"]] ?? []) }
        }
    }

    public func message(id: String) async throws -> Message? {
        try await pool.read { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT \(Rows.messageColumns) FROM messages WHERE id = ?", arguments: [id])
            else { return nil }
            return Rows.message(row, history: try Rows.histories(db, messageIDs: [id])[id] ?? [])
        }
    }
}
