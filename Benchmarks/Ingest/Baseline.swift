import Foundation
import GRDB
import SwitchboardAdapterKit
import SwitchboardSQLStore
import SwitchboardSQLite

/// The same rows the router stores, inserted with plain SQL: no lookups, no decisions, prepared
/// statements, 1,000 envelopes per transaction, same schema and same `synchronous = FULL`.
enum Baseline {
    static func run(_ workload: Workload, path: String) async throws -> Double {
        _ = try SQLStore(sqlitePath: path)  // creates the schema by the same migrations
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -16000")
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        let start = ContinuousClock.now
        for chunk in stride(from: 0, to: workload.rows.count, by: 1000) {
            let rows = workload.rows[chunk..<min(chunk + 1000, workload.rows.count)]
            try await pool.write { db in
                let customer = try db.cachedStatement(
                    sql:
                        "INSERT INTO customers (id, display_name, attributes, first_seen, last_seen) VALUES (?, ?, '{}', ?, ?)"
                )
                let identity = try db.cachedStatement(
                    sql:
                        "INSERT INTO identities (address, kind, customer_id, original_customer_id, first_seen_channel, verified, provenance, created_at) VALUES (?, ?, ?, ?, 'shop', 0, 'inbound', ?)"
                )
                let conversation = try db.cachedStatement(
                    sql:
                        "INSERT INTO conversations (id, customer_id, channel, customer_address, thread_key, subject, status, created_at, last_message_at) VALUES (?, ?, 'shop', ?, ?, ?, 'open', ?, ?)"
                )
                let message = try db.cachedStatement(
                    sql:
                        "INSERT INTO messages (id, conversation_id, customer_id, channel, direction, visibility, author, subject, text, attachments, external_id, sent_at, received_at) VALUES (?, ?, ?, 'shop', 'inbound', 'private', ?, ?, ?, '[]', ?, ?, ?)"
                )
                for row in rows {
                    let envelope = workload.envelopes[row.envelope]
                    let millis = Int64(envelope.sentAt.timeIntervalSince1970 * 1000)
                    let customerID = "cus_\(row.customer)"
                    let conversationID = "con_\(row.conversation)"
                    if row.newCustomer {
                        try customer.execute(arguments: [customerID, envelope.hints.displayName, millis, millis])
                        try identity.execute(arguments: [
                            envelope.from.description, envelope.from.kind.rawValue, customerID, customerID, millis,
                        ])
                    }
                    if row.newConversation {
                        try conversation.execute(arguments: [
                            conversationID, customerID, envelope.from.description, envelope.threadKey, envelope.subject,
                            millis, millis,
                        ])
                    }
                    try message.execute(arguments: [
                        "msg_\(row.envelope)", conversationID, customerID, envelope.from.description, envelope.subject,
                        envelope.text, envelope.externalID, millis, millis,
                    ])
                }
            }
        }
        return (ContinuousClock.now - start).seconds
    }
}
