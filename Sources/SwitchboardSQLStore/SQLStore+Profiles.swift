import Foundation
import SwitchboardAdapterKit
import SwitchboardCore

extension SQLStore: ProfileStore {
    public func customers(limit: Int, cursor: String?) async throws -> Page<Customer> {
        let limit = max(1, min(limit, 500))
        return try await database.read { db in
            // Two queries rather than `(? IS NULL OR id < ?)`: with the OR, neither backend walks the
            // primary key, and a page took 20 ms at 100,000 customers instead of 0.01 ms.
            let rows =
                if let cursor {
                    try db.fetchAll(
                        "SELECT * FROM customers WHERE merged_into IS NULL AND id < ? ORDER BY id DESC LIMIT ?",
                        [cursor, limit + 1])
                } else {
                    try db.fetchAll(
                        "SELECT * FROM customers WHERE merged_into IS NULL ORDER BY id DESC LIMIT ?", [limit + 1])
                }
            let customers = try rows.prefix(limit).map(Rows.customer)
            return Page(items: Array(customers), nextCursor: rows.count > limit ? customers.last?.id : nil)
        }
    }

    public func profile(id: String) async throws -> CustomerProfile? {
        try await database.read { db in
            guard let row = try db.fetchOne("SELECT * FROM customers WHERE id = ?", [id]) else {
                return nil
            }
            let optOuts = try db.fetchAll(
                """
                SELECT opt_outs.* FROM opt_outs JOIN identities ON identities.address = opt_outs.address
                WHERE identities.customer_id = ? ORDER BY opt_outs.at, opt_outs.address
                """, [id])
            return try CustomerProfile(
                customer: Rows.customer(row), identities: try ProfileQueries.identities(of: id, db: db),
                optOuts: try optOuts.map(Rows.optOut))
        }
    }

    public func customer(for address: Address) async throws -> Customer? {
        try await database.read { db in
            try db.fetchOne(
                "SELECT customers.* FROM identities JOIN customers ON customers.id = identities.customer_id WHERE address = ?",
                [address.description]
            ).map(Rows.customer)
        }
    }

    public func merge(_ source: String, into target: String, actor: String, reason: String) async throws -> MergeRecord
    {
        try await database.write { db in
            try ProfileQueries.merge(source, into: target, actor: actor, reason: reason, now: Date(), db: db)
        }
    }

    public func unmerge(_ mergeID: String, actor: String) async throws -> MergeRecord {
        try await database.write { db in try ProfileQueries.unmerge(mergeID, actor: actor, now: Date(), db: db) }
    }

    public func merges(customerID: String?) async throws -> [MergeRecord] {
        try await database.read { db in
            let rows =
                if let customerID {
                    try db.fetchAll(
                        """
                        SELECT * FROM merges WHERE source_customer_id = ? OR target_customer_id = ?
                        ORDER BY merged_at DESC, id DESC
                        """, [customerID, customerID])
                } else {
                    try db.fetchAll("SELECT * FROM merges ORDER BY merged_at DESC, id DESC")
                }
            return try rows.map(Rows.merge)
        }
    }

    public func mergeSuggestions() async throws -> [MergeSuggestion] {
        try await database.read { db in
            try db.fetchAll(
                """
                SELECT merge_suggestions.* FROM merge_suggestions
                JOIN customers AS a ON a.id = merge_suggestions.customer_id AND a.merged_into IS NULL
                JOIN customers AS b ON b.id = merge_suggestions.other_customer_id AND b.merged_into IS NULL
                ORDER BY merge_suggestions.created_at DESC, merge_suggestions.id DESC
                """
            ).map { row in
                try MergeSuggestion(
                    id: row["id"], customerID: row["customer_id"], otherCustomerID: row["other_customer_id"],
                    reason: row["reason"], createdAt: Date(millis: row["created_at"]))
            }
        }
    }
}

extension SQLStore: InboxStore {
    public func ingest(_ batch: [InboundEnvelope], policy: IngestPolicy) async throws -> [IngestOutcome] {
        try await writer.ingest(batch, policy: policy)
    }

    @discardableResult
    public func apply(_ updates: [StatusUpdate]) async throws -> [AppliedStatus] {
        try await database.write { db in
            var matched: [AppliedStatus] = []
            for update in updates {
                guard
                    let messageID = try
                        (db.fetchValue(
                            "SELECT id FROM messages WHERE channel = ? AND external_id = ? AND direction = 'outbound'",
                            [update.channel.rawValue, update.externalID]) as String?)
                else { continue }
                matched.append(AppliedStatus(messageID: messageID, status: update.status))
                try db.execute(
                    "INSERT INTO message_status (message_id, status, at, detail) VALUES (?, ?, ?, ?)",
                    [messageID, update.status.name, update.at.millis, update.status.reason])
                try db.execute(
                    "UPDATE messages SET delivery_status = ? WHERE id = ? AND (? = 'failed' OR COALESCE("
                        + Self.rank("delivery_status") + ", 0) < " + Self.rank("?") + ")",
                    [update.status.name, messageID, update.status.name, update.status.name])
            }
            return matched
        }
    }

    /// Orders delivery states so a late `delivered` never overwrites `read`.
    static func rank(_ column: String) -> String {
        "CASE \(column) WHEN 'queued' THEN 1 WHEN 'sent' THEN 2 WHEN 'delivered' THEN 3 WHEN 'read' THEN 4 WHEN 'failed' THEN 0 END"
    }
}
