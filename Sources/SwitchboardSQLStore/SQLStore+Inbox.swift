import Foundation
import SwitchboardAdapterKit
import SwitchboardCore

/// The inbox's conversation list: a read of its own because its query shape (one walk of
/// `conversations_inbox` per status, merged) is what keeps it fast on a large store.
extension SQLStore {
    public func conversations(matching filter: ConversationFilter, limit: Int, cursor: String?) async throws
        -> Page<Conversation>
    {
        let limit = max(1, min(limit, 500))
        var position = TimelineCursor(millis: Int64.max, id: "\u{10FFFF}")
        if let cursor {
            guard let parsed = TimelineCursor(token: cursor) else {
                throw StoreError(.invalid, "the cursor '\(cursor)' is not one this server handed out")
            }
            position = parsed
        }
        // One sub-query per status, each walking `conversations_inbox` from the cursor, merged:
        // `status IN (…)` would make both backends sort every matching row instead.
        let statuses = Set(filter.statuses).isEmpty ? Conversation.Status.allCases : Array(Set(filter.statuses))
        var residual = ""
        var residualArguments: [SQLValue] = []
        if let channel = filter.channel {
            residual += " AND channel = ?"
            residualArguments.append(.text(channel.rawValue))
        }
        if let assignee = filter.assignee {
            residual += " AND assignee = ?"
            residualArguments.append(.text(assignee))
        }
        if let tag = filter.tag {
            // Tags are stored as a JSON array of plain names (ConversationChange.normalizedTags).
            let escaped = tag.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_")
            residual += " AND tags LIKE ? ESCAPE '\\'"
            residualArguments.append(.text("%\"\(escaped)\"%"))
        }
        var parts: [String] = []
        var arguments: [SQLValue] = []
        for (index, status) in statuses.sorted(by: { $0.rawValue < $1.rawValue }).enumerated() {
            parts.append(
                """
                SELECT * FROM (SELECT \(Rows.conversationColumns) FROM conversations
                WHERE status = ?\(residual) AND (last_message_at, id) < (?, ?)
                ORDER BY last_message_at DESC, id DESC LIMIT ?) AS by_status_\(index)
                """)
            arguments += [.text(status.rawValue)] + residualArguments
            arguments += [.integer(position.millis), .text(position.id), .integer(Int64(limit + 1))]
        }
        let sql = """
            SELECT * FROM (\(parts.joined(separator: " UNION ALL "))) AS inbox
            ORDER BY last_message_at DESC, id DESC LIMIT ?
            """
        let bound = arguments + [.integer(Int64(limit + 1))]
        let rows = try await database.read { db in try db.fetchAll(sql, bound) }
        let conversations = try rows.prefix(limit).map { try Rows.conversation($0) }
        let next =
            rows.count > limit
            ? conversations.last.map { TimelineCursor(millis: $0.lastMessageAt.millis, id: $0.id).token } : nil
        return Page(items: Array(conversations), nextCursor: next)
    }
}
