import Foundation
import SwitchboardAdapterKit
import SwitchboardCore

/// Merge and un-merge as synchronous transaction bodies, shared by agents' merges and the
/// automatic merges of the identity rules.
///
/// A merge moves the source's identities, conversations and messages to the target and leaves the
/// source as a tombstone (`merged_into`). Un-merge moves back every identity first filed under the
/// source (`original_customer_id`), every conversation held with one of those addresses — including
/// ones opened after the merge — and their messages.
enum ProfileQueries {
    static func identities(of customerID: String, db: any SQLSession) throws -> [Identity] {
        try db.fetchAll("SELECT * FROM identities WHERE customer_id = ? ORDER BY created_at, address", [customerID])
            .map(Rows.identity)
    }

    static func liveCustomer(_ id: String, db: any SQLSession) throws -> Customer {
        guard let row = try db.fetchOne("SELECT * FROM customers WHERE id = ?", [id]) else {
            throw StoreError(.notFound, "no customer \(id); list customers with `switchboard customers list`")
        }
        let customer = try Rows.customer(row)
        if let target = customer.mergedInto {
            throw StoreError(.conflict, "customer \(id) was merged into \(target); use \(target) instead")
        }
        return customer
    }

    /// The customer `id` is now: itself, or the one it was merged into (following merges).
    static func currentCustomerID(_ id: String, db: any SQLSession) throws -> String? {
        var current = id
        for _ in 0..<16 {
            guard let row = try db.fetchOne("SELECT merged_into FROM customers WHERE id = ?", [current]) else {
                return nil
            }
            guard let target: String = try row["merged_into"] else { return current }
            current = target
        }
        return current
    }

    static func merge(
        _ source: String, into target: String, actor: String, reason: String, now: Date, db: any SQLSession
    )
        throws -> MergeRecord
    {
        guard source != target else { throw StoreError(.invalid, "a customer cannot be merged into itself") }
        let sourceCustomer = try liveCustomer(source, db: db)
        let targetCustomer = try liveCustomer(target, db: db)
        let record = MergeRecord(
            id: SortableID.make("mrg_", at: now), sourceCustomerID: source, targetCustomerID: target, actor: actor,
            reason: reason, mergedAt: now)
        try db.execute(
            """
            INSERT INTO merges (id, source_customer_id, target_customer_id, actor, reason, merged_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """, [record.id, source, target, actor, reason, now.millis])
        try db.execute("UPDATE identities SET customer_id = ? WHERE customer_id = ?", [target, source])
        try db.execute("UPDATE conversations SET customer_id = ? WHERE customer_id = ?", [target, source])
        try db.execute("UPDATE messages SET customer_id = ? WHERE customer_id = ?", [target, source])
        try db.execute("UPDATE customers SET merged_into = ? WHERE id = ?", [target, source])
        try db.execute(
            """
            UPDATE customers SET first_seen = \(db.dialect.least)(first_seen, ?), last_seen = \(db.dialect.greatest)(last_seen, ?),
                display_name = COALESCE(display_name, ?) WHERE id = ?
            """,
            [
                sourceCustomer.firstSeen.millis, sourceCustomer.lastSeen.millis, sourceCustomer.displayName, target,
            ])
        try db.execute(
            "DELETE FROM merge_suggestions WHERE (customer_id = ? AND other_customer_id = ?) OR (customer_id = ? AND other_customer_id = ?)",
            [source, target, target, source])
        let detail =
            "merged \(source)\(sourceCustomer.displayName.map { " (\($0))" } ?? "") into \(target)"
            + "\(targetCustomer.displayName.map { " (\($0))" } ?? ""): \(reason)"
        try recordEvent(customerID: target, kind: "merge", actor: actor, detail: detail, now: now, db: db)
        try ActivityLog.append(
            ActivityEntry(
                at: now, kind: .merge, conversationID: nil, customerID: target, channel: nil, actor: actor,
                value: source),
            db: db)
        return record
    }

    static func unmerge(_ mergeID: String, actor: String, now: Date, db: any SQLSession) throws -> MergeRecord {
        guard let row = try db.fetchOne("SELECT * FROM merges WHERE id = ?", [mergeID]) else {
            throw StoreError(.notFound, "no merge \(mergeID); see `switchboard merges list`")
        }
        var record = try Rows.merge(row)
        if let undone = record.unmergedAt {
            throw StoreError(.conflict, "merge \(mergeID) was already undone at \(undone)")
        }
        let source = record.sourceCustomerID
        // What the source takes back: its own identities and those of every profile merged into it
        // (directly or through a chain) by merges that still stand.
        let absorbed = """
            WITH RECURSIVE absorbed(id) AS (
                SELECT \(db.dialect.textParameter) UNION SELECT customers.id FROM customers JOIN absorbed ON customers.merged_into = absorbed.id
            )
            """
        try db.execute(
            "\(absorbed) UPDATE identities SET customer_id = ? WHERE original_customer_id IN (SELECT id FROM absorbed)",
            [source, source])
        try db.execute(
            """
            \(absorbed) UPDATE conversations SET customer_id = ?
            WHERE customer_address IN (SELECT address FROM identities WHERE original_customer_id IN (SELECT id FROM absorbed))
            """, [source, source])
        try db.execute(
            "UPDATE messages SET customer_id = ? WHERE conversation_id IN (SELECT id FROM conversations WHERE customer_id = ?)",
            [source, source])
        try db.execute("UPDATE customers SET merged_into = NULL WHERE id = ?", [source])
        try db.execute("UPDATE merges SET unmerged_at = ?, unmerged_by = ? WHERE id = ?", [now.millis, actor, mergeID])
        record.unmergedAt = now
        record.unmergedBy = actor
        let detail = "undid merge \(mergeID): \(source) is its own profile again"
        try recordEvent(
            customerID: record.targetCustomerID, kind: "unmerge", actor: actor, detail: detail, now: now, db: db)
        try ActivityLog.append(
            ActivityEntry(
                at: now, kind: .unmerge, conversationID: nil, customerID: record.targetCustomerID, channel: nil,
                actor: actor, value: source), db: db)
        try recordEvent(customerID: source, kind: "unmerge", actor: actor, detail: detail, now: now, db: db)
        return record
    }

    /// Appends a system event to the customer's timeline; returns its id.
    @discardableResult
    static func recordEvent(
        customerID: String, conversationID: String? = nil, kind: String, actor: String, detail: String, now: Date,
        db: any SQLSession
    ) throws -> String {
        let id = SortableID.make("evt_", at: now)
        try db.execute(
            "INSERT INTO events (id, customer_id, conversation_id, kind, actor, detail, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [id, customerID, conversationID, kind, actor, detail, now.millis])
        return id
    }
}
