import Foundation
import SwitchboardAdapterKit
import SwitchboardCore

extension SQLStore: OutboxStore {
    public func enqueueReply(_ reply: ReplyRequest) async throws -> Message {
        try await enqueueReply(reply, at: Date())
    }

    /// ``enqueueReply(_:)`` as of `now`: for `switchboard generate`, which writes a history in the past.
    public func enqueueReply(_ reply: ReplyRequest, at now: Date) async throws -> Message {
        let text = try Self.checkedText(of: reply)
        return try await database.write { db in
            try ReplyWriter.enqueue(reply, text: text, now: now, db: db)
        }
    }

    public func enqueueAutomaticReply(_ reply: ReplyRequest, unlessAutomaticSince since: Date) async throws
        -> Message?
    {
        let text = try Self.checkedText(of: reply)
        guard !text.isEmpty else { throw StoreError(.invalid, "the automatic answer is empty") }
        return try await database.write { db in
            let answered = try db.fetchOne(
                """
                SELECT 1 FROM activity WHERE conversation_id = ? AND kind = 'message.out' AND is_automatic = ?
                AND at > ? LIMIT 1
                """, [reply.conversationID, true, since.millis])
            guard answered == nil else { return nil }
            return try ReplyWriter.enqueue(reply, text: text, now: Date(), db: db)
        }
    }

    /// The reply's text, trimmed; throws `invalid` for a reply with neither text nor template, or
    /// with an empty public notice.
    static func checkedText(of reply: ReplyRequest) throws -> String {
        let text = reply.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty || reply.template != nil else {
            throw StoreError(.invalid, "the reply is empty; write some text or name a template")
        }
        if let notice = reply.publicNotice, notice.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw StoreError(.invalid, "the public notice is empty; leave it out or write what the public sees")
        }
        return text
    }

    /// Claims without waiting for other writers: on PostgreSQL each hub locks only the rows it
    /// takes and skips those another hub is taking, so every reply is sent by one process.
    public func claimDue(now: Date, limit: Int, lease: Duration) async throws -> [OutboxItem] {
        try await database.writeConcurrently { db in
            let rows = try db.fetchAll(
                """
                SELECT id, payload, attempts, rate_limited, last_error FROM outbox
                WHERE state = 'pending' AND next_attempt_at <= ? AND (leased_until IS NULL OR leased_until <= ?)
                ORDER BY next_attempt_at, id LIMIT ? \(db.dialect.skipLocked)
                """, [now.millis, now.millis, limit])
            let leaseEnd = now.addingTimeInterval(lease.timeInterval).millis
            var items: [OutboxItem] = []
            for row in rows {
                let id: Int64 = try row["id"]
                try db.execute("UPDATE outbox SET leased_until = ? WHERE id = ?", [leaseEnd, id])
                let payload: String = try row["payload"]
                let message = try JSONDecoder().decode(OutboundMessage.self, from: Data(payload.utf8))
                try items.append(
                    OutboxItem(
                        id: id, message: message, attempts: row["attempts"], rateLimited: row["rate_limited"],
                        lastError: row["last_error"]))
            }
            return items
        }
    }

    public func markSent(_ item: OutboxItem, receipt: SendReceipt) async throws {
        try await database.write { db in
            let now = Date()
            try db.execute(
                "UPDATE outbox SET state = 'sent', attempts = attempts + 1, sent_at = ?, last_error = NULL, leased_until = NULL WHERE id = ?",
                [now.millis, item.id])
            var detail: String? = nil
            do {
                // In a savepoint: on PostgreSQL a failed statement spoils the whole transaction.
                try db.inSavepoint {
                    try db.execute(
                        "UPDATE messages SET external_id = ?, delivery_status = 'sent' WHERE id = ?",
                        [receipt.externalID, item.message.messageID])
                    return true
                }
            } catch let error as SQLError where error.kind == .constraint {
                detail = "the channel returned id \(receipt.externalID), which another message already has"
                try db.execute("UPDATE messages SET delivery_status = 'sent' WHERE id = ?", [item.message.messageID])
            }
            try db.execute(
                "INSERT INTO message_status (message_id, status, at, detail) VALUES (?, 'sent', ?, ?)",
                [item.message.messageID, now.millis, detail])
        }
    }

    public func markFailed(_ item: OutboxItem, error: SendError, retryAt: Date?) async throws {
        try await database.write { db in
            let now = Date()
            let reason = "\(error.code): \(error.message)"
            // A "slow down" is counted apart: it has its own budget (RetryPolicy.maxRateLimited).
            let counter = error.code == .rateLimited ? "rate_limited" : "attempts"
            let attempt =
                error.code == .rateLimited
                ? "rate limited (\(item.rateLimited + 1))" : "attempt \(item.attempts + 1) failed"
            if let retryAt {
                try db.execute(
                    """
                    UPDATE outbox SET \(counter) = \(counter) + 1, last_error = ?, next_attempt_at = ?,
                    leased_until = NULL WHERE id = ?
                    """, [reason, retryAt.millis, item.id])
                try db.execute(
                    "INSERT INTO message_status (message_id, status, at, detail) VALUES (?, 'retrying', ?, ?)",
                    [item.message.messageID, now.millis, "\(attempt): \(reason)"])
            } else {
                try db.execute(
                    """
                    UPDATE outbox SET state = 'dead', \(counter) = \(counter) + 1, last_error = ?, leased_until = NULL
                    WHERE id = ?
                    """, [reason, item.id])
                try db.execute("UPDATE messages SET delivery_status = 'failed' WHERE id = ?", [item.message.messageID])
                let tries = item.attempts + item.rateLimited + 1
                try db.execute(
                    "INSERT INTO message_status (message_id, status, at, detail) VALUES (?, 'failed', ?, ?)",
                    [item.message.messageID, now.millis, "not sent after \(tries) attempt(s): \(reason)"])
            }
        }
    }

    public func postpone(_ item: OutboxItem, until: Date) async throws {
        try await database.write { db in
            try db.execute(
                "UPDATE outbox SET next_attempt_at = ?, leased_until = NULL WHERE id = ? AND state = 'pending'",
                [until.millis, item.id])
        }
    }

    /// Nothing on a shared database (PostgreSQL): another hub's claims are not this one's to take
    /// back; a killed hub's claims are taken up when their lease ends.
    public func releaseLeases() async throws -> Int {
        guard !database.isShared else { return 0 }
        return try await database.write { db in
            let sends = try db.execute(
                "UPDATE outbox SET leased_until = NULL WHERE state = 'pending' AND leased_until IS NOT NULL")
            let deliveries = try db.execute(
                "UPDATE webhook_deliveries SET leased_until = NULL WHERE state = 'pending' AND leased_until IS NOT NULL"
            )
            return sends + deliveries
        }
    }

    public func outboxCounts() async throws -> [ChannelID: OutboxCounts] {
        try await database.read { db in
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
        try await database.read { db in
            try db.fetchAll(
                "SELECT id, payload, attempts, rate_limited, last_error FROM outbox WHERE state = 'dead' ORDER BY id"
            )
            .map { row in
                let payload: String = try row["payload"]
                return try OutboxItem(
                    id: row["id"], message: try JSONDecoder().decode(OutboundMessage.self, from: Data(payload.utf8)),
                    attempts: row["attempts"], rateLimited: row["rate_limited"], lastError: row["last_error"])
            }
        }
    }

    public func retry(messageID: String) async throws -> Bool {
        try await database.write { db in
            let now = Date()
            let requeued = try db.execute(
                """
                UPDATE outbox SET state = 'pending', attempts = 0, rate_limited = 0, next_attempt_at = ?
                WHERE message_id = ? AND state = 'dead'
                """, [now.millis, messageID])
            guard requeued > 0 else { return false }
            try db.execute("UPDATE messages SET delivery_status = 'queued' WHERE id = ?", [messageID])
            try db.execute(
                "INSERT INTO message_status (message_id, status, at, detail) VALUES (?, 'queued', ?, 'retried by an agent')",
                [messageID, now.millis])
            return true
        }
    }

    public func optOut(for address: Address) async throws -> OptOut? {
        try await database.read { db in
            try db.fetchOne("SELECT * FROM opt_outs WHERE address = ?", [address.description])
                .map(Rows.optOut)
        }
    }
}
