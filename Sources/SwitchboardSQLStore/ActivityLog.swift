import Foundation
import SwitchboardAdapterKit
import SwitchboardCore

/// Appends to the event log (`activity`) in the caller's transaction, and reads it back for
/// reports and SLAs. Every write path that changes what reports count calls ``append(_:db:)``.
enum ActivityLog {
    static func append(_ entry: ActivityEntry, db: any SQLSession) throws {
        try db.execute(
            """
            INSERT INTO activity (at, kind, conversation_id, customer_id, channel, is_automatic, actor, value)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                entry.at.millis, entry.kind.rawValue, entry.conversationID, entry.customerID, entry.channel?.rawValue,
                entry.isAutomatic, entry.actor, entry.value,
            ])
    }

    /// Appends one line about `conversation` (its channel and customer filled in).
    static func append(
        _ kind: ActivityEntry.Kind, _ conversation: Conversation, at: Date, automatic: Bool = false,
        actor: String? = nil, value: String? = nil, db: any SQLSession
    ) throws {
        try append(
            ActivityEntry(
                at: at, kind: kind, conversationID: conversation.id, customerID: conversation.customerID,
                channel: conversation.channel, isAutomatic: automatic, actor: actor, value: value), db: db)
    }

    static let columns = "seq, at, kind, conversation_id, customer_id, channel, is_automatic, actor, value"

    static func entry(_ row: SQLRow) throws -> ActivityEntry {
        let kindName: String = try row["kind"]
        guard let kind = ActivityEntry.Kind(rawValue: kindName) else {
            throw StoreError(.invalid, "the event log has a line of unknown kind '\(kindName)'")
        }
        return ActivityEntry(
            sequence: try row["seq"], at: Date(millis: try row["at"]), kind: kind,
            conversationID: try row["conversation_id"], customerID: try row["customer_id"],
            channel: (try row["channel"] as String?).map(ChannelID.init(rawValue:)),
            isAutomatic: try row["is_automatic"], actor: try row["actor"], value: try row["value"])
    }
}

extension SQLStore: ActivityLogReader {
    public func activity(ofConversationsOpenedFrom from: Date, to: Date) async throws -> [ActivityEntry] {
        try await database.read { db in
            try db.fetchAll(
                """
                SELECT \(ActivityLog.columns) FROM activity WHERE conversation_id IN (
                    SELECT conversation_id FROM activity WHERE kind = 'conversation.opened' AND at >= ? AND at < ?)
                ORDER BY seq
                """, [from.millis, to.millis]
            ).map(ActivityLog.entry)
        }
    }

    public func activity(ofConversations ids: [String]) async throws -> [ActivityEntry] {
        guard !ids.isEmpty else { return [] }
        return try await database.read { db in
            var entries: [ActivityEntry] = []
            // In slices, well under either backend's limit on bound parameters.
            for start in stride(from: 0, to: ids.count, by: 500) {
                let slice = Array(ids[start..<min(start + 500, ids.count)])
                entries += try db.fetchAll(
                    "SELECT \(ActivityLog.columns) FROM activity WHERE conversation_id IN (\(db.placeholders(slice.count))) ORDER BY seq",
                    slice
                ).map(ActivityLog.entry)
            }
            return entries.sorted { $0.sequence < $1.sequence }
        }
    }

    public func messageActivity(from: Date, to: Date) async throws -> [ActivityEntry] {
        try await database.read { db in
            try db.fetchAll(
                """
                SELECT \(ActivityLog.columns) FROM activity
                WHERE kind IN ('message.in', 'message.out', 'rating') AND at >= ? AND at < ? ORDER BY seq
                """, [from.millis, to.millis]
            ).map(ActivityLog.entry)
        }
    }
}
