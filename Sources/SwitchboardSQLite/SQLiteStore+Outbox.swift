import Foundation
import GRDB
import SwitchboardAdapterKit
import SwitchboardCore

extension SQLiteStore: OutboxStore {
    public func enqueueReply(_ reply: ReplyRequest) async throws -> Message {
        let text = reply.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty || reply.template != nil else {
            throw StoreError(.invalid, "the reply is empty; write some text or name a template")
        }
        if let notice = reply.publicNotice, notice.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw StoreError(.invalid, "the public notice is empty; leave it out or write what the public sees")
        }
        return try await pool.write { db in
            try ReplyWriter.enqueue(reply, text: text, now: Date(), db: db)
        }
    }

    public func claimDue(now: Date, limit: Int, lease: Duration) async throws -> [OutboxItem] {
        try await pool.write { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, payload, attempts, rate_limited, last_error FROM outbox
                    WHERE state = 'pending' AND next_attempt_at <= ? AND (leased_until IS NULL OR leased_until <= ?)
                    ORDER BY next_attempt_at, id LIMIT ?
                    """,
                arguments: [now.millis, now.millis, limit])
            let leaseEnd = now.addingTimeInterval(
                Double(lease.components.seconds) + Double(lease.components.attoseconds) / 1e18
            ).millis
            var items: [OutboxItem] = []
            for row in rows {
                let id: Int64 = row["id"]
                try db.execute(sql: "UPDATE outbox SET leased_until = ? WHERE id = ?", arguments: [leaseEnd, id])
                let payload: String = row["payload"]
                let message = try JSONDecoder().decode(OutboundMessage.self, from: Data(payload.utf8))
                items.append(
                    OutboxItem(
                        id: id, message: message, attempts: row["attempts"], rateLimited: row["rate_limited"],
                        lastError: row["last_error"]))
            }
            return items
        }
    }

    public func markSent(_ item: OutboxItem, receipt: SendReceipt) async throws {
        try await pool.write { db in
            let now = Date()
            try db.execute(
                sql:
                    "UPDATE outbox SET state = 'sent', attempts = attempts + 1, sent_at = ?, last_error = NULL, leased_until = NULL WHERE id = ?",
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
            // A "slow down" is counted apart: it has its own budget (RetryPolicy.maxRateLimited).
            let counter = error.code == .rateLimited ? "rate_limited" : "attempts"
            let attempt =
                error.code == .rateLimited
                ? "rate limited (\(item.rateLimited + 1))" : "attempt \(item.attempts + 1) failed"
            if let retryAt {
                try db.execute(
                    sql: """
                        UPDATE outbox SET \(counter) = \(counter) + 1, last_error = ?, next_attempt_at = ?,
                        leased_until = NULL WHERE id = ?
                        """,
                    arguments: [reason, retryAt.millis, item.id])
                try db.execute(
                    sql: "INSERT INTO message_status (message_id, status, at, detail) VALUES (?, 'retrying', ?, ?)",
                    arguments: [item.message.messageID, now.millis, "\(attempt): \(reason)"])
            } else {
                try db.execute(
                    sql: """
                        UPDATE outbox SET state = 'dead', \(counter) = \(counter) + 1, last_error = ?, leased_until = NULL
                        WHERE id = ?
                        """,
                    arguments: [reason, item.id])
                try db.execute(
                    sql: "UPDATE messages SET delivery_status = 'failed' WHERE id = ?",
                    arguments: [item.message.messageID])
                let tries = item.attempts + item.rateLimited + 1
                try db.execute(
                    sql: "INSERT INTO message_status (message_id, status, at, detail) VALUES (?, 'failed', ?, ?)",
                    arguments: [item.message.messageID, now.millis, "not sent after \(tries) attempt(s): \(reason)"])
            }
        }
    }

    public func postpone(_ item: OutboxItem, until: Date) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE outbox SET next_attempt_at = ?, leased_until = NULL WHERE id = ? AND state = 'pending'",
                arguments: [until.millis, item.id])
        }
    }

    public func releaseLeases() async throws -> Int {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE outbox SET leased_until = NULL WHERE state = 'pending' AND leased_until IS NOT NULL")
            let sends = db.changesCount
            try db.execute(
                sql:
                    "UPDATE webhook_deliveries SET leased_until = NULL WHERE state = 'pending' AND leased_until IS NOT NULL"
            )
            return sends + db.changesCount
        }
    }

    public func outboxCounts() async throws -> [ChannelID: OutboxCounts] {
        try await pool.read { db in
            let counts = try Self.waitingAndDead(
                db,
                sql: """
                    SELECT channel AS key, state, count(*) AS n FROM outbox WHERE state IN ('pending', 'dead')
                    GROUP BY channel, state
                    """)
            return Dictionary(uniqueKeysWithValues: counts.map { (ChannelID(rawValue: $0.key), $0.value) })
        }
    }

    public func deadLetters() async throws -> [OutboxItem] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT id, payload, attempts, rate_limited, last_error FROM outbox WHERE state = 'dead' ORDER BY id"
            )
            .map { row in
                let payload: String = row["payload"]
                return OutboxItem(
                    id: row["id"], message: try JSONDecoder().decode(OutboundMessage.self, from: Data(payload.utf8)),
                    attempts: row["attempts"], rateLimited: row["rate_limited"], lastError: row["last_error"])
            }
        }
    }

    public func retry(messageID: String) async throws -> Bool {
        try await pool.write { db in
            let now = Date()
            try db.execute(
                sql:
                    "UPDATE outbox SET state = 'pending', attempts = 0, rate_limited = 0, next_attempt_at = ? WHERE message_id = ? AND state = 'dead'",
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
