import Foundation
import SwitchboardAdapterKit
import SwitchboardCore

/// SQLRow ↔ model mapping. Hand-written (not Codable records) because the ingest path uses prepared
/// statements, and because the stored forms (milliseconds, JSON text) differ from the model's.
enum Rows {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()

    static func json(_ value: some Encodable) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decodeJSON<T: Decodable>(_ type: T.Type, _ text: String?, default fallback: T) -> T {
        guard let text, text != "[]", text != "{}", let value = try? JSONDecoder().decode(T.self, from: Data(text.utf8))
        else { return fallback }
        return value
    }

    static func address(_ text: String) throws -> Address {
        do {
            return try Address(parsing: text)
        } catch {
            throw StoreError(.invalid, "stored address '\(text)' no longer parses: \(error.message)")
        }
    }

    static func customer(_ row: SQLRow) throws -> Customer {
        try Customer(
            id: row["id"], displayName: row["display_name"],
            attributes: decodeJSON([String: String].self, row["attributes"], default: [:]),
            firstSeen: Date(millis: row["first_seen"]), lastSeen: Date(millis: row["last_seen"]),
            mergedInto: row["merged_into"])
    }

    static func identity(_ row: SQLRow) throws -> Identity {
        try Identity(
            address: try address(row["address"]), customerID: row["customer_id"],
            originalCustomerID: row["original_customer_id"],
            firstSeenChannel: (row["first_seen_channel"] as String?).map(ChannelID.init(rawValue:)),
            verified: row["verified"], provenance: row["provenance"], createdAt: Date(millis: row["created_at"]),
            rawHandle: row["raw_handle"])
    }

    static func optOut(_ row: SQLRow) throws -> OptOut {
        try OptOut(
            address: try address(row["address"]), keyword: row["keyword"], channel: ChannelID(rawValue: row["channel"]),
            messageID: row["message_id"], at: Date(millis: row["at"]))
    }

    /// The columns ``conversation(_:customerAddress:)`` reads, in its order.
    static let conversationColumns = """
        id, customer_id, channel, thread_key, subject, status, assignee, tags, priority, created_at, last_message_at,
        first_response_at, resolved_at, customer_address
        """

    /// Decodes a row of ``conversationColumns`` by position (the ingest path reads one per envelope,
    /// and lookups by column name cost more than the query).
    /// - Parameter customerAddress: the row's address when the caller already has it parsed.
    static func conversation(_ row: SQLRow, customerAddress: Address? = nil) throws -> Conversation {
        try Conversation(
            id: row[0], customerID: row[1], channel: ChannelID(rawValue: row[2]),
            customerAddress: try customerAddress ?? address(row[13]), threadKey: row[3], subject: row[4],
            status: Conversation.Status(rawValue: row[5]) ?? .open, assignee: row[6],
            tags: decodeJSON([String].self, row[7], default: []), priority: row[8], createdAt: Date(millis: row[9]),
            lastMessageAt: Date(millis: row[10]), firstResponseAt: (row[11] as Int64?).map(Date.init(millis:)),
            resolvedAt: (row[12] as Int64?).map(Date.init(millis:)))
    }

    static let messageColumns = """
        id, conversation_id, customer_id, channel, direction, visibility, author, subject, text, html,
        attachments, external_id, in_reply_to, sent_at, received_at, is_automatic, delivery_status, parse_warnings
        """

    static func message(_ row: SQLRow, history: [StatusEntry] = []) throws -> Message {
        try Message(
            id: row["id"], conversationID: row["conversation_id"], customerID: row["customer_id"],
            channel: ChannelID(rawValue: row["channel"]),
            direction: Message.Direction(rawValue: row["direction"]) ?? .inbound,
            visibility: Visibility(rawValue: row["visibility"]) ?? .private, author: row["author"],
            subject: row["subject"], text: row["text"], html: row["html"],
            attachments: decodeJSON([Attachment].self, row["attachments"], default: []),
            externalID: row["external_id"], inReplyTo: row["in_reply_to"], sentAt: Date(millis: row["sent_at"]),
            receivedAt: Date(millis: row["received_at"]), isAutomatic: row["is_automatic"],
            deliveryStatus: row["delivery_status"], statusHistory: history,
            parseWarnings: decodeJSON([String].self, row["parse_warnings"], default: []))
    }

    static func merge(_ row: SQLRow) throws -> MergeRecord {
        try MergeRecord(
            id: row["id"], sourceCustomerID: row["source_customer_id"], targetCustomerID: row["target_customer_id"],
            actor: row["actor"], reason: row["reason"], mergedAt: Date(millis: row["merged_at"]),
            unmergedAt: (row["unmerged_at"] as Int64?).map(Date.init(millis:)), unmergedBy: row["unmerged_by"])
    }

    static func event(_ row: SQLRow) throws -> SystemEvent {
        try SystemEvent(
            id: row["id"], customerID: row["customer_id"], conversationID: row["conversation_id"], kind: row["kind"],
            actor: row["actor"], detail: row["detail"], at: Date(millis: row["at"]))
    }

    /// Status histories of the given messages, oldest first.
    static func histories(_ db: any SQLSession, messageIDs: [String]) throws -> [String: [StatusEntry]] {
        guard !messageIDs.isEmpty else { return [:] }
        let rows = try db.fetchAll(
            "SELECT message_id, status, at, detail FROM message_status WHERE message_id IN (\(db.placeholders(messageIDs.count))) "
                + "ORDER BY at, \(db.dialect.insertionOrder)", messageIDs)
        var histories: [String: [StatusEntry]] = [:]
        for row in rows {
            try histories[row["message_id"], default: []].append(
                StatusEntry(status: row["status"], at: Date(millis: row["at"]), detail: row["detail"]))
        }
        return histories
    }
}
