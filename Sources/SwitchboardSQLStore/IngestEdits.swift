import Foundation
import SwitchboardAdapterKit
import SwitchboardCore

/// Edits (``InboundEnvelope/replaces``): a customer changed a message they sent (Telegram's
/// `edited_message`, Matrix's `m.replace`). The message keeps its id and place in the timeline and
/// takes the new text; every earlier text stays in `message_edits`, with an `edited` event, so
/// nothing an agent once read is lost. The edit's own external id deduplicates redelivery.
enum IngestEdits {
    /// What ingest does next with an edit.
    enum Step {
        /// The edit is fully handled (applied, a duplicate, or refused).
        case done(IngestOutcome)
        /// The original was never stored: store the edit as the message, under the original's id.
        case storeAsOriginal
    }

    /// Applies the edit `prepared` carries, or says that it must be stored as its original.
    static func apply(_ prepared: PreparedEnvelope, now: Date, db: any SQLSession) throws -> Step {
        let envelope = prepared.envelope
        guard let original = envelope.replaces else { return .storeAsOriginal }
        if let seen = try
            (db.fetchValue(
                "SELECT message_id FROM message_edits WHERE channel = ? AND external_id = ?",
                [prepared.channel, envelope.externalID]) as String?)
        {
            return .done(.duplicate(messageID: seen))
        }
        guard
            let row = try db.fetchOne(
                """
                SELECT id, conversation_id, customer_id, author, direction, text,
                    (SELECT MAX(edited_at) FROM message_edits WHERE message_id = messages.id) AS last_edit
                FROM messages WHERE channel = ? AND external_id = ?
                """, [prepared.channel, original])
        else { return .storeAsOriginal }
        let messageID: String = try row["id"]
        let conversationID: String = try row["conversation_id"]
        let customerID: String = try row["customer_id"]
        let author: String = try row["author"]
        guard try row["direction"] == "inbound", author == prepared.from else {
            return .done(
                .rejected(
                    reason:
                        "\(envelope.from) cannot edit message \(original) on \(envelope.channel): \(author) wrote it"))
        }
        let previous: String = try row["text"]
        let lastEdit: Int64? = try row["last_edit"]
        try insertEdit(prepared, of: messageID, previousText: previous, now: now, db: db)
        // Edits can arrive out of order: an older one goes into the history without changing the text.
        guard lastEdit.map({ prepared.sentAtMillis >= $0 }) ?? true else {
            return .done(.duplicate(messageID: messageID))
        }
        try db.execute(
            "UPDATE messages SET text = ?, html = ? WHERE id = ?", [envelope.text, envelope.html, messageID])
        try ProfileQueries.recordEvent(
            customerID: customerID, conversationID: conversationID, kind: "edited", actor: prepared.from,
            detail: "\(prepared.from) edited message \(messageID); it read: \(previous.prefix(500))", now: now, db: db)
        return .done(.edited(messageID: messageID, conversationID: conversationID, customerID: customerID))
    }

    /// Records that `messageID` was stored from an edit whose original never arrived, so a
    /// redelivery of the same edit is a duplicate.
    static func recordEditStoredAsOriginal(
        _ prepared: PreparedEnvelope, messageID: String, now: Date, db: any SQLSession
    )
        throws
    {
        guard prepared.envelope.replaces != nil else { return }
        try insertEdit(prepared, of: messageID, previousText: nil, now: now, db: db)
    }

    /// One row of `message_edits`: the edit `prepared` carries, applied to `messageID`.
    private static func insertEdit(
        _ prepared: PreparedEnvelope, of messageID: String, previousText: String?, now: Date, db: any SQLSession
    ) throws {
        try db.execute(
            """
            INSERT INTO message_edits (message_id, channel, external_id, previous_text, text, edited_at, received_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            [
                messageID, prepared.channel, prepared.envelope.externalID, previousText, prepared.envelope.text,
                prepared.sentAtMillis, now.millis,
            ])
    }
}
