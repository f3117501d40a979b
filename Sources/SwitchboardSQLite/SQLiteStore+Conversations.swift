import Foundation
import GRDB
import SwitchboardCore

extension SQLiteStore: ConversationStore {
    public func setStatus(conversationID: String, to status: Conversation.Status, actor: String) async throws
        -> Conversation
    {
        try await pool.write { db in
            let now = Date()
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT \(Rows.conversationColumns) FROM conversations WHERE id = ?",
                    arguments: [conversationID])
            else {
                throw StoreError(.notFound, "no conversation \(conversationID); see the customer's timeline for ids")
            }
            var conversation = try Rows.conversation(row)
            guard conversation.status != status else { return conversation }
            let previous = conversation.status
            conversation.status = status
            conversation.resolvedAt = status == .resolved ? now : nil
            try db.execute(
                sql: "UPDATE conversations SET status = ?, resolved_at = ? WHERE id = ?",
                arguments: [status.rawValue, conversation.resolvedAt?.millis, conversationID])
            try ProfileQueries.recordEvent(
                customerID: conversation.customerID, conversationID: conversationID, kind: "status", actor: actor,
                detail: "\(previous.rawValue) → \(status.rawValue)", now: now, db: db)
            return conversation
        }
    }
}
