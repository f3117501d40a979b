import Foundation
import GRDB
import SwitchboardAdapterKit
import SwitchboardCore

extension SQLiteStore: OutboxStore {
    public func enqueueReply(_ reply: ReplyRequest) async throws -> Message {
        let text = reply.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw StoreError(.invalid, "the reply is empty; write some text") }
        return try await pool.write { db in
            let now = Date()
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT \(Rows.conversationColumns) FROM conversations WHERE id = ?",
                    arguments: [reply.conversationID])
            else {
                throw StoreError(
                    .notFound, "no conversation \(reply.conversationID); see the customer's timeline for ids")
            }
            let conversation = try Rows.conversation(row)
            let lastInbound = try String.fetchOne(
                db,
                sql: """
                    SELECT external_id FROM messages WHERE conversation_id = ? AND direction = 'inbound'
                    ORDER BY sent_at DESC, id DESC LIMIT 1
                    """,
                arguments: [conversation.id])
            let subject =
                reply.subject ?? conversation.subject.map { $0.lowercased().hasPrefix("re:") ? $0 : "Re: \($0)" }
            let messageID = SortableID.make("msg_", at: now)
            let outbound = OutboundMessage(
                messageID: messageID, conversationID: conversation.id, channel: conversation.channel,
                to: conversation.customerAddress, threadKey: conversation.threadKey, subject: subject, text: text,
                inReplyTo: lastInbound, visibility: .private, idempotencyKey: "sb-\(messageID)", author: reply.author,
                isAutomatic: reply.isAutomatic)
            try db.execute(
                sql: """
                    INSERT INTO messages (id, conversation_id, customer_id, channel, direction, visibility, author,
                        subject, text, in_reply_to, sent_at, received_at, is_automatic, delivery_status)
                    VALUES (?, ?, ?, ?, 'outbound', ?, ?, ?, ?, ?, ?, ?, ?, 'queued')
                    """,
                arguments: [
                    messageID, conversation.id, conversation.customerID, conversation.channel.rawValue,
                    outbound.visibility.rawValue, reply.author, subject, text, lastInbound, now.millis, now.millis,
                    reply.isAutomatic,
                ])
            try db.execute(
                sql: "INSERT INTO message_status (message_id, status, at) VALUES (?, 'queued', ?)",
                arguments: [messageID, now.millis])
            try db.execute(
                sql: """
                    INSERT INTO outbox (message_id, channel, payload, idempotency_key, state, next_attempt_at, created_at)
                    VALUES (?, ?, ?, ?, 'pending', ?, ?)
                    """,
                arguments: [
                    messageID, conversation.channel.rawValue, try Rows.json(outbound), outbound.idempotencyKey,
                    now.millis, now.millis,
                ])
            try db.execute(
                sql: """
                    UPDATE conversations SET first_response_at = COALESCE(first_response_at, ?),
                        last_message_at = MAX(last_message_at, ?) WHERE id = ?
                    """,
                // An automatic acknowledgement is not a response by a person.
                arguments: [reply.isAutomatic ? nil : now.millis, now.millis, conversation.id])
            return Message(
                id: messageID, conversationID: conversation.id, customerID: conversation.customerID,
                channel: conversation.channel, direction: .outbound, visibility: outbound.visibility,
                author: reply.author, subject: subject, text: text, html: nil, attachments: [], externalID: nil,
                inReplyTo: lastInbound, sentAt: now, receivedAt: now, isAutomatic: reply.isAutomatic,
                deliveryStatus: "queued",
                statusHistory: [StatusEntry(status: "queued", at: now)])
        }
    }

    public func claimDue(now: Date, limit: Int, lease: Duration) async throws -> [OutboxItem] {
        try await pool.write { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, payload, attempts, last_error FROM outbox
                    WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?
                    """,
                arguments: [now.millis, limit])
            let leaseEnd = now.addingTimeInterval(
                Double(lease.components.seconds) + Double(lease.components.attoseconds) / 1e18
            ).millis
            var items: [OutboxItem] = []
            for row in rows {
                let id: Int64 = row["id"]
                try db.execute(sql: "UPDATE outbox SET next_attempt_at = ? WHERE id = ?", arguments: [leaseEnd, id])
                let payload: String = row["payload"]
                let message = try JSONDecoder().decode(OutboundMessage.self, from: Data(payload.utf8))
                items.append(
                    OutboxItem(id: id, message: message, attempts: row["attempts"], lastError: row["last_error"]))
            }
            return items
        }
    }

    public func markSent(_ item: OutboxItem, receipt: SendReceipt) async throws {
        try await pool.write { db in
            let now = Date()
            try db.execute(
                sql:
                    "UPDATE outbox SET state = 'sent', attempts = attempts + 1, sent_at = ?, last_error = NULL WHERE id = ?",
                arguments: [now.millis, item.id])
            var detail: String? = nil
            do {
                try db.execute(
                    sql: "UPDATE messages SET external_id = ?, delivery_status = 'sent' WHERE id = ?",
                    arguments: [receipt.externalID, item.message.messageID])
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                detail = "the channel returned id \(receipt.externalID), which another message already has"
                try db.execute(
                    sql: "UPDATE messages SET delivery_status = 'sent' WHERE id = ?",
                    arguments: [item.message.messageID])
            }
            try db.execute(
                sql: "INSERT INTO message_status (message_id, status, at, detail) VALUES (?, 'sent', ?, ?)",
                arguments: [item.message.messageID, now.millis, detail])
        }
    }

    public func markFailed(_ item: OutboxItem, error: SendError, retryAt: Date?) async throws {
        try await pool.write { db in
            let now = Date()
            let reason = "\(error.code): \(error.message)"
            if let retryAt {
                try db.execute(
                    sql: "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?",
                    arguments: [reason, retryAt.millis, item.id])
                try db.execute(
                    sql: "INSERT INTO message_status (message_id, status, at, detail) VALUES (?, 'retrying', ?, ?)",
                    arguments: [item.message.messageID, now.millis, "attempt \(item.attempts + 1) failed: \(reason)"])
            } else {
                try db.execute(
                    sql: "UPDATE outbox SET state = 'dead', attempts = attempts + 1, last_error = ? WHERE id = ?",
                    arguments: [reason, item.id])
                try db.execute(
                    sql: "UPDATE messages SET delivery_status = 'failed' WHERE id = ?",
                    arguments: [item.message.messageID])
                try db.execute(
                    sql: "INSERT INTO message_status (message_id, status, at, detail) VALUES (?, 'failed', ?, ?)",
                    arguments: [
                        item.message.messageID, now.millis, "not sent after \(item.attempts + 1) attempt(s): \(reason)",
                    ])
            }
        }
    }

    public func deadLetters() async throws -> [OutboxItem] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT id, payload, attempts, last_error FROM outbox WHERE state = 'dead' ORDER BY id"
            )
            .map { row in
                let payload: String = row["payload"]
                return OutboxItem(
                    id: row["id"], message: try JSONDecoder().decode(OutboundMessage.self, from: Data(payload.utf8)),
                    attempts: row["attempts"], lastError: row["last_error"])
            }
        }
    }

    public func retry(messageID: String) async throws -> Bool {
        try await pool.write { db in
            let now = Date()
            try db.execute(
                sql:
                    "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ? WHERE message_id = ? AND state = 'dead'",
                arguments: [now.millis, messageID])
            guard db.changesCount > 0 else { return false }
            try db.execute(sql: "UPDATE messages SET delivery_status = 'queued' WHERE id = ?", arguments: [messageID])
            try db.execute(
                sql:
                    "INSERT INTO message_status (message_id, status, at, detail) VALUES (?, 'queued', ?, 'retried by an agent')",
                arguments: [messageID, now.millis])
            return true
        }
    }

    public func optOut(for address: Address) async throws -> OptOut? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM opt_outs WHERE address = ?", arguments: [address.description])
                .map(Rows.optOut)
        }
    }
}
