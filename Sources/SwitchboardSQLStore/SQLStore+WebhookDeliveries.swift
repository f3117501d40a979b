import Foundation
import SwitchboardAdapterKit
import SwitchboardCore

extension SQLStore: WebhookDeliveryStore {
    public func enqueueWebhookDeliveries(_ deliveries: [WebhookDelivery]) async throws {
        guard !deliveries.isEmpty else { return }
        try await database.write { db in
            for delivery in deliveries {
                try db.execute(
                    """
                    INSERT INTO webhook_deliveries (id, endpoint, event, payload, state, next_attempt_at, created_at)
                    VALUES (?, ?, ?, ?, 'pending', ?, ?)
                    """,
                    [
                        delivery.id, delivery.endpoint, delivery.event.rawValue, delivery.payload,
                        delivery.createdAt.millis, delivery.createdAt.millis,
                    ])
            }
        }
    }

    public func claimDueWebhookDeliveries(now: Date, limit: Int, lease: Duration) async throws -> [WebhookDelivery] {
        try await database.writeConcurrently { db in
            let rows = try db.fetchAll(
                """
                SELECT * FROM webhook_deliveries WHERE state = 'pending' AND next_attempt_at <= ?
                AND (leased_until IS NULL OR leased_until <= ?)
                ORDER BY next_attempt_at, id LIMIT ? \(db.dialect.skipLocked)
                """, [now.millis, now.millis, limit])
            let leaseEnd = now.addingTimeInterval(lease.timeInterval)
            var deliveries: [WebhookDelivery] = []
            for row in rows {
                let delivery = try Self.webhookDelivery(row)
                try db.execute(
                    "UPDATE webhook_deliveries SET leased_until = ? WHERE id = ?", [leaseEnd.millis, delivery.id])
                deliveries.append(delivery)
            }
            return deliveries
        }
    }

    public func markWebhookDelivered(id: String, at: Date) async throws {
        try await database.write { db in
            try db.execute(
                "UPDATE webhook_deliveries SET state = 'sent', sent_at = ?, last_error = NULL, leased_until = NULL WHERE id = ?",
                [at.millis, id])
        }
    }

    public func markWebhookFailed(id: String, error: String, retryAt: Date?) async throws {
        try await database.write { db in
            if let retryAt {
                try db.execute(
                    """
                    UPDATE webhook_deliveries SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?,
                    leased_until = NULL WHERE id = ?
                    """, [error, retryAt.millis, id])
            } else {
                try db.execute(
                    "UPDATE webhook_deliveries SET state = 'dead', attempts = attempts + 1, last_error = ?, leased_until = NULL WHERE id = ?",
                    [error, id])
            }
        }
    }

    public func webhookDeliveries(state: WebhookDelivery.State?, limit: Int) async throws -> [WebhookDelivery] {
        try await database.read { db in
            let rows: [SQLRow]
            if let state {
                rows = try db.fetchAll(
                    "SELECT * FROM webhook_deliveries WHERE state = ? ORDER BY id DESC LIMIT ?",
                    [state.rawValue, limit])
            } else {
                rows = try db.fetchAll("SELECT * FROM webhook_deliveries ORDER BY id DESC LIMIT ?", [limit])
            }
            return try rows.map(Self.webhookDelivery)
        }
    }

    public func retryWebhookDelivery(id: String) async throws -> Bool {
        try await database.write { db in
            let requeued = try db.execute(
                """
                UPDATE webhook_deliveries SET state = 'pending', attempts = 0, next_attempt_at = ?, leased_until = NULL
                WHERE id = ? AND state = 'dead'
                """, [Date().millis, id])
            return requeued > 0
        }
    }

    public func webhookDeliveryCounts() async throws -> [String: OutboxCounts] {
        try await database.read { db in
            try Self.waitingAndDead(
                db,
                sql: """
                    SELECT endpoint AS key, state, count(*) AS n FROM webhook_deliveries
                    WHERE state IN ('pending', 'dead') GROUP BY endpoint, state
                    """)
        }
    }

    /// Folds `key, state, n` rows (pending and dead counts) into counts per key.
    static func waitingAndDead(_ db: any SQLSession, sql: String) throws -> [String: OutboxCounts] {
        var counts: [String: OutboxCounts] = [:]
        for row in try db.fetchAll(sql) {
            let key: String = try row["key"]
            let n: Int = try row["n"]
            if try (row["state"] as String) == "dead" {
                counts[key, default: OutboxCounts()].deadLettered = n
            } else {
                counts[key, default: OutboxCounts()].waiting = n
            }
        }
        return counts
    }

    static func webhookDelivery(_ row: SQLRow) throws -> WebhookDelivery {
        let event: String = try row["event"]
        let state: String = try row["state"]
        guard let kind = WebhookEventKind(rawValue: event), let parsed = WebhookDelivery.State(rawValue: state) else {
            throw StoreError(
                .invalid, "webhook delivery \((try? row["id"] as String) ?? "?") has an unknown event or state")
        }
        let sentAt: Int64? = try row["sent_at"]
        return try WebhookDelivery(
            id: row["id"], endpoint: row["endpoint"], event: kind, payload: row["payload"], state: parsed,
            attempts: row["attempts"], lastError: row["last_error"], createdAt: Date(millis: row["created_at"]),
            sentAt: sentAt.map { Date(millis: $0) })
    }
}
