import Foundation
import SwitchboardCore

extension SQLStore: ConversationStore {
    public func setStatus(conversationID: String, to status: Conversation.Status, actor: String) async throws
        -> Conversation
    {
        try await database.write { db in
            let now = Date()
            guard
                let row = try db.fetchOne(
                    "SELECT \(Rows.conversationColumns) FROM conversations WHERE id = ?", [conversationID])
            else {
                throw StoreError(.notFound, "no conversation \(conversationID); see the customer's timeline for ids")
            }
            var conversation = try Rows.conversation(row)
            guard conversation.status != status else { return conversation }
            let previous = conversation.status
            conversation.status = status
            conversation.resolvedAt = status == .resolved ? now : nil
            try db.execute(
                "UPDATE conversations SET status = ?, resolved_at = ? WHERE id = ?",
                [status.rawValue, conversation.resolvedAt?.millis, conversationID])
            try ProfileQueries.recordEvent(
                customerID: conversation.customerID, conversationID: conversationID, kind: "status", actor: actor,
                detail: "\(previous.rawValue) → \(status.rawValue)", now: now, db: db)
            return conversation
        }
    }
}
