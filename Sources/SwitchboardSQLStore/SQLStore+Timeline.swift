import Foundation
import SwitchboardAdapterKit
import SwitchboardCore

extension SQLStore: TimelineReader {
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
        return try await database.read { db in
            let messageRows = try db.fetchAll(
                """
                SELECT \(Rows.messageColumns) FROM messages
                WHERE customer_id = ? AND (sent_at, id) < (?, ?)
                ORDER BY sent_at DESC, id DESC LIMIT ?
                """, [customerID, before, beforeID, limit + 1])
            let histories = try Rows.histories(db, messageIDs: messageRows.map { try $0["id"] })
            let eventRows = try db.fetchAll(
                """
                WITH RECURSIVE absorbed(id) AS (
                    SELECT \(db.dialect.textParameter) UNION SELECT customers.id FROM customers JOIN absorbed ON customers.merged_into = absorbed.id
                )
                SELECT * FROM events WHERE customer_id IN (SELECT id FROM absorbed) AND (at, id) < (?, ?)
                ORDER BY at DESC, id DESC LIMIT ?
                """, [customerID, before, beforeID, limit + 1])
            var entries = try messageRows.map {
                try TimelineEntry.message(Rows.message($0, history: histories[$0["id"]] ?? []))
            }
            entries += try eventRows.map { try TimelineEntry.event(Rows.event($0)) }
            entries.sort { ($0.at, $0.id) > ($1.at, $1.id) }
            let page = Array(entries.prefix(limit))
            let more = entries.count > limit
            return Page(items: page, nextCursor: more ? page.last.map { TimelineCursor(after: $0).token } : nil)
        }
    }

    public func conversation(id: String) async throws -> Conversation? {
        try await database.read { db in
            try db.fetchOne("SELECT \(Rows.conversationColumns) FROM conversations WHERE id = ?", [id]).map {
                try Rows.conversation($0)
            }
        }
    }

    public func conversations(customerID: String) async throws -> [Conversation] {
        try await database.read { db in
            try db.fetchAll(
                "SELECT \(Rows.conversationColumns) FROM conversations WHERE customer_id = ? ORDER BY last_message_at DESC, id DESC",
                [customerID]
            ).map { try Rows.conversation($0) }
        }
    }

    public func messages(conversationID: String) async throws -> [Message] {
        try await database.read { db in
            let rows = try db.fetchAll(
                "SELECT \(Rows.messageColumns) FROM messages WHERE conversation_id = ? ORDER BY sent_at, id",
                [conversationID])
            let histories = try Rows.histories(db, messageIDs: rows.map { try $0["id"] })
            return try rows.map { try Rows.message($0, history: histories[$0["id"]] ?? []) }
        }
    }

    public func message(id: String) async throws -> Message? {
        try await database.read { db in
            guard
                let row = try db.fetchOne("SELECT \(Rows.messageColumns) FROM messages WHERE id = ?", [id])
            else { return nil }
            return try Rows.message(row, history: Rows.histories(db, messageIDs: [id])[id] ?? [])
        }
    }
}
