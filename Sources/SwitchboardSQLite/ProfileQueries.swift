import Foundation
import GRDB
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
    static func identities(of customerID: String, db: Database) throws -> [Identity] {
        try Row.fetchAll(
            db, sql: "SELECT * FROM identities WHERE customer_id = ? ORDER BY created_at, address",
            arguments: [customerID]
        ).map(Rows.identity)
    }

    static func liveCustomer(_ id: String, db: Database) throws -> Customer {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM customers WHERE id = ?", arguments: [id]) else {
            throw StoreError(.notFound, "no customer \(id); list customers with `switchboard customers list`")
        }
        let customer = Rows.customer(row)
        if let target = customer.mergedInto {
            throw StoreError(.conflict, "customer \(id) was merged into \(target); use \(target) instead")
        }
        return customer
    }

    static func merge(_ source: String, into target: String, actor: String, reason: String, now: Date, db: Database)
        throws -> MergeRecord
    {
        guard source != target else { throw StoreError(.invalid, "a customer cannot be merged into itself") }
        let sourceCustomer = try liveCustomer(source, db: db)
        let targetCustomer = try liveCustomer(target, db: db)
        let record = MergeRecord(
            id: SortableID.make("mrg_", at: now), sourceCustomerID: source, targetCustomerID: target, actor: actor,
            reason: reason, mergedAt: now)
        try db.execute(
            sql: """
                INSERT INTO merges (id, source_customer_id, target_customer_id, actor, reason, merged_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [record.id, source, target, actor, reason, now.millis])
        try db.execute(sql: "UPDATE identities SET customer_id = ? WHERE customer_id = ?", arguments: [target, source])
        try db.execute(
            sql: "UPDATE conversations SET customer_id = ? WHERE customer_id = ?", arguments: [target, source])
        try db.execute(sql: "UPDATE messages SET customer_id = ? WHERE customer_id = ?", arguments: [target, source])
        try db.execute(sql: "UPDATE customers SET merged_into = ? WHERE id = ?", arguments: [target, source])
        try db.execute(
            sql: """
                UPDATE customers SET first_seen = MIN(first_seen, ?), last_seen = MAX(last_seen, ?),
                    display_name = COALESCE(display_name, ?) WHERE id = ?
                """,
            arguments: [
                sourceCustomer.firstSeen.millis, sourceCustomer.lastSeen.millis, sourceCustomer.displayName, target,
            ])
        try db.execute(
            sql:
                "DELETE FROM merge_suggestions WHERE (customer_id = ? AND other_customer_id = ?) OR (customer_id = ? AND other_customer_id = ?)",
            arguments: [source, target, target, source])
        let detail =
            "merged \(source)\(sourceCustomer.displayName.map { " (\($0))" } ?? "") into \(target)"
            + "\(targetCustomer.displayName.map { " (\($0))" } ?? ""): \(reason)"
        try recordEvent(customerID: target, kind: "merge", actor: actor, detail: detail, now: now, db: db)
        return record
    }

    static func unmerge(_ mergeID: String, actor: String, now: Date, db: Database) throws -> MergeRecord {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM merges WHERE id = ?", arguments: [mergeID]) else {
            throw StoreError(.notFound, "no merge \(mergeID); see `switchboard merges list`")
        }
        var record = Rows.merge(row)
        if let undone = record.unmergedAt {
            throw StoreError(.conflict, "merge \(mergeID) was already undone at \(undone)")
        }
        let source = record.sourceCustomerID
        // What the source takes back: its own identities and those of every profile merged into it
        // (directly or through a chain) by merges that still stand.
        let absorbed = """
            WITH RECURSIVE absorbed(id) AS (
                SELECT ? UNION SELECT customers.id FROM customers JOIN absorbed ON customers.merged_into = absorbed.id
            )
            """
        try db.execute(
            sql: "\(absorbed) UPDATE identities SET customer_id = ? WHERE original_customer_id IN absorbed",
            arguments: [source, source])
        try db.execute(
            sql: """
                \(absorbed) UPDATE conversations SET customer_id = ?
                WHERE customer_address IN (SELECT address FROM identities WHERE original_customer_id IN absorbed)
                """,
            arguments: [source, source])
        try db.execute(
            sql:
                "UPDATE messages SET customer_id = ? WHERE conversation_id IN (SELECT id FROM conversations WHERE customer_id = ?)",
            arguments: [source, source])
        try db.execute(sql: "UPDATE customers SET merged_into = NULL WHERE id = ?", arguments: [source])
        try db.execute(
            sql: "UPDATE merges SET unmerged_at = ?, unmerged_by = ? WHERE id = ?",
            arguments: [now.millis, actor, mergeID])
        record.unmergedAt = now
        record.unmergedBy = actor
        let detail = "undid merge \(mergeID): \(source) is its own profile again"
        try recordEvent(
            customerID: record.targetCustomerID, kind: "unmerge", actor: actor, detail: detail, now: now, db: db)
        try recordEvent(customerID: source, kind: "unmerge", actor: actor, detail: detail, now: now, db: db)
        return record
    }

    static func recordEvent(
        customerID: String, conversationID: String? = nil, kind: String, actor: String, detail: String, now: Date,
        db: Database
    ) throws {
        try db.execute(
            sql:
                "INSERT INTO events (id, customer_id, conversation_id, kind, actor, detail, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [SortableID.make("evt_", at: now), customerID, conversationID, kind, actor, detail, now.millis])
    }
}
