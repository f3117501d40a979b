import Foundation
import GRDB
import SwitchboardCore

extension SQLiteStore: WebhookDeliveryStore {
    public func enqueueWebhookDeliveries(_ deliveries: [WebhookDelivery]) async throws {
        guard !deliveries.isEmpty else { return }
        try await pool.write { db in
            for delivery in deliveries {
                try db.execute(
                    sql: """
                        INSERT INTO webhook_deliveries (id, endpoint, event, payload, state, next_attempt_at, created_at)
                        VALUES (?, ?, ?, ?, 'pending', ?, ?)
                        """,
                    arguments: [
                        delivery.id, delivery.endpoint, delivery.event.rawValue, delivery.payload,
                        delivery.createdAt.millis, delivery.createdAt.millis,
                    ])
            }
        }
    }

    public func claimDueWebhookDeliveries(now: Date, limit: Int, lease: Duration) async throws -> [WebhookDelivery] {
        try await pool.write { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM webhook_deliveries WHERE state = 'pending' AND next_attempt_at <= ?
                    AND (leased_until IS NULL OR leased_until <= ?)
                    ORDER BY next_attempt_at, id LIMIT ?
                    """,
                arguments: [now.millis, now.millis, limit])
            let leaseEnd = now.addingTimeInterval(
                Double(lease.components.seconds) + Double(lease.components.attoseconds) / 1e18)
            var deliveries: [WebhookDelivery] = []
            for row in rows {
                let delivery = try Self.webhookDelivery(row)
                try db.execute(
                    sql: "UPDATE webhook_deliveries SET leased_until = ? WHERE id = ?",
                    arguments: [leaseEnd.millis, delivery.id])
                deliveries.append(delivery)
            }
            return deliveries
        }
    }

    public func markWebhookDelivered(id: String, at: Date) async throws {
        try await pool.write { db in
            try db.execute(
                sql:
                    "UPDATE webhook_deliveries SET state = 'sent', sent_at = ?, last_error = NULL, leased_until = NULL WHERE id = ?",
                arguments: [at.millis, id])
        }
    }

    public func markWebhookFailed(id: String, error: String, retryAt: Date?) async throws {
        try await pool.write { db in
            if let retryAt {
                try db.execute(
                    sql: """
                        UPDATE webhook_deliveries SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?,
                        leased_until = NULL WHERE id = ?
                        """,
                    arguments: [error, retryAt.millis, id])
            } else {
                try db.execute(
                    sql:
                        "UPDATE webhook_deliveries SET state = 'dead', attempts = attempts + 1, last_error = ?, leased_until = NULL WHERE id = ?",
                    arguments: [error, id])
            }
        }
    }

    public func webhookDeliveries(state: WebhookDelivery.State?, limit: Int) async throws -> [WebhookDelivery] {
        try await pool.read { db in
            let rows: [Row]
            if let state {
                rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM webhook_deliveries WHERE state = ? ORDER BY id DESC LIMIT ?",
                    arguments: [state.rawValue, limit])
            } else {
                rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM webhook_deliveries ORDER BY id DESC LIMIT ?", arguments: [limit])
            }
            return try rows.map(Self.webhookDelivery)
        }
    }

    public func retryWebhookDelivery(id: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE webhook_deliveries SET state = 'pending', attempts = 0, next_attempt_at = ?, leased_until = NULL
                    WHERE id = ? AND state = 'dead'
                    """,
                arguments: [Date().millis, id])
            return db.changesCount > 0
        }
    }

    public func webhookDeliveryCounts() async throws -> [String: OutboxCounts] {
        try await pool.read { db in
            try Self.waitingAndDead(
                db,
                sql: """
                    SELECT endpoint AS key, state, count(*) AS n FROM webhook_deliveries
                    WHERE state IN ('pending', 'dead') GROUP BY endpoint, state
                    """)
        }
    }

    /// Folds `key, state, n` rows (pending and dead counts) into counts per key.
    static func waitingAndDead(_ db: Database, sql: String) throws -> [String: OutboxCounts] {
        var counts: [String: OutboxCounts] = [:]
        for row in try Row.fetchAll(db, sql: sql) {
            let key: String = row["key"]
            let n: Int = row["n"]
            if (row["state"] as String) == "dead" {
                counts[key, default: OutboxCounts()].deadLettered = n
            } else {
                counts[key, default: OutboxCounts()].waiting = n
            }
        }
        return counts
    }

    static func webhookDelivery(_ row: Row) throws -> WebhookDelivery {
        let event: String = row["event"]
        let state: String = row["state"]
        guard let kind = WebhookEventKind(rawValue: event), let parsed = WebhookDelivery.State(rawValue: state) else {
            throw StoreError(.invalid, "webhook delivery \(row["id"] as String) has an unknown event or state")
        }
        let sentAt: Int64? = row["sent_at"]
        return WebhookDelivery(
            id: row["id"], endpoint: row["endpoint"], event: kind, payload: row["payload"], state: parsed,
            attempts: row["attempts"], lastError: row["last_error"], createdAt: Date(millis: row["created_at"]),
            sentAt: sentAt.map { Date(millis: $0) })
    }
}
