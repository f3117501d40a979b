import Foundation
import SwitchboardCore

extension SQLStore: ConversationStore {
    public func setStatus(conversationID: String, to status: Conversation.Status, actor: String) async throws
        -> Conversation
    {
        try await setStatus(conversationID: conversationID, to: status, actor: actor, at: Date())
    }

    /// ``setStatus(conversationID:to:actor:)`` as of `now`: for `switchboard generate`, which writes
    /// a history in the past.
    public func setStatus(conversationID: String, to status: Conversation.Status, actor: String, at now: Date)
        async throws -> Conversation
    {
        try await database.write { db in
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
            try ActivityLog.append(.status, conversation, at: now, actor: actor, value: status.rawValue, db: db)
            return conversation
        }
    }

    public func update(conversationID: String, _ change: ConversationChange, actor: String) async throws
        -> Conversation
    {
        let tags = try change.tags.map(ConversationChange.normalizedTags)
        let addedTags = try ConversationChange.normalizedTags(change.addingTags)
        for priority in [change.priority, change.raisingPriorityTo].compactMap({ $0 })
        where !ConversationChange.priorities.contains(priority) {
            throw StoreError(.invalid, "priority must be 0 (normal) to 3 (urgent)")
        }
        let assignee = try change.assignee.map { name -> String? in
            guard let name else { return nil }
            let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { return nil }
            guard trimmed.count <= 100, !trimmed.contains(where: \.isNewline) else {
                throw StoreError(.invalid, "an assignee is a user's name, 1 to 100 characters on one line")
            }
            return trimmed
        }
        return try await database.write { db in
            let now = Date()
            var conversation = try Self.lockedConversation(conversationID, db: db)
            // Each change: a timeline event (its kind is the log's) and an event-log line.
            var changes: [(kind: ActivityEntry.Kind, detail: String, value: String?)] = []
            // The relative changes, against the row as it is now.
            var assignee = assignee
            if let name = change.assigneeIfNone, conversation.assignee == nil { assignee = .some(name) }
            var tags = tags
            if !addedTags.isEmpty {
                tags = try ConversationChange.normalizedTags((tags ?? conversation.tags) + addedTags)
            }
            var priority = change.priority
            if let raised = change.raisingPriorityTo, raised > (priority ?? conversation.priority) { priority = raised }
            if let assignee, assignee != conversation.assignee {
                if let name = assignee, try db.fetchOne("SELECT id FROM users WHERE name = ?", [name]) == nil {
                    throw StoreError(.invalid, "no user named \(name) to assign to; see `switchboard users list`")
                }
                changes.append(
                    (.assignment, "\(conversation.assignee ?? "nobody") → \(assignee ?? "nobody")", assignee))
                conversation.assignee = assignee
            }
            if let tags, tags != conversation.tags {
                changes.append(
                    (.tags, tags.isEmpty ? "no tags" : tags.joined(separator: ", "), tags.joined(separator: ",")))
                conversation.tags = tags
            }
            if let priority, priority != conversation.priority {
                changes.append((.priority, "\(conversation.priority) → \(priority)", String(priority)))
                conversation.priority = priority
            }
            guard !changes.isEmpty else { return conversation }
            try db.execute(
                "UPDATE conversations SET assignee = ?, tags = ?, priority = ? WHERE id = ?",
                [conversation.assignee, try Rows.json(conversation.tags), conversation.priority, conversationID])
            for change in changes {
                try ProfileQueries.recordEvent(
                    customerID: conversation.customerID, conversationID: conversationID, kind: change.kind.rawValue,
                    actor: actor, detail: change.detail, now: now, db: db)
                try ActivityLog.append(change.kind, conversation, at: now, actor: actor, value: change.value, db: db)
            }
            return conversation
        }
    }

    public func addNote(conversationID: String, text: String, author: String) async throws -> SystemEvent {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= 20_000 else {
            throw StoreError(.invalid, "a note is 1 to 20,000 characters")
        }
        return try await database.write { db in
            let now = Date(millis: Date().millis)
            let conversation = try Self.lockedConversation(conversationID, db: db)
            let id = try ProfileQueries.recordEvent(
                customerID: conversation.customerID, conversationID: conversationID, kind: "note", actor: author,
                detail: text, now: now, db: db)
            return SystemEvent(
                id: id, customerID: conversation.customerID, conversationID: conversationID, kind: "note",
                actor: author, detail: text, at: now)
        }
    }

    static func lockedConversation(_ id: String, db: any SQLSession) throws -> Conversation {
        guard
            let row = try db.fetchOne(
                "SELECT \(Rows.conversationColumns) FROM conversations WHERE id = ?", [id])
        else {
            throw StoreError(.notFound, "no conversation \(id); see the customer's timeline for ids")
        }
        return try Rows.conversation(row)
    }
}
