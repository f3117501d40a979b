import Foundation
import SwitchboardAdapterKit
import SwitchboardCore

/// Writes an agent's reply: the outbound message row, its `queued` status and its outbox row, in
/// the caller's transaction. Works out what the adapter needs from the conversation: the message
/// it answers, the visibility (the customer's latest message's, unless the agent chose), and when
/// the customer last wrote (for channels with a reply window). Moving a public conversation to
/// private writes the public notice first, in the same transaction.
enum ReplyWriter {
    /// Writes `reply` (its trimmed `text`, empty for a template) in `db`'s transaction; returns the
    /// reply's message (the private one, where a public notice was written first).
    static func enqueue(_ reply: ReplyRequest, text: String, now: Date, db: any SQLSession) throws -> Message {
        guard
            let row = try db.fetchOne(
                "SELECT \(Rows.conversationColumns) FROM conversations WHERE id = ?", [reply.conversationID])
        else {
            throw StoreError(.notFound, "no conversation \(reply.conversationID); see the customer's timeline for ids")
        }
        let conversation = try Rows.conversation(row)
        let latest = try db.fetchOne(
            """
            SELECT external_id, visibility, sent_at FROM messages
            WHERE conversation_id = ? AND direction = 'inbound' ORDER BY sent_at DESC, id DESC LIMIT 1
            """, [conversation.id])
        let lastInbound: String? = try latest?["external_id"]
        let lastInboundAt = try (latest?["sent_at"] as Int64?).map(Date.init(millis:))
        let customerVisibility = try (latest?["visibility"] as String?).flatMap(Visibility.init(rawValue:)) ?? .private
        let visibility = reply.visibility ?? customerVisibility
        // A public reply answers something public; in a private conversation there is nothing to
        // answer in public (and a channel would post it as a DM, recorded as public).
        guard visibility == .private || customerVisibility == .public else {
            throw StoreError(
                .invalid,
                "conversation \(conversation.id) is private (the customer wrote privately); a reply to it is private")
        }
        let context = Context(
            conversation: conversation, inReplyTo: lastInbound, lastInboundAt: lastInboundAt, author: reply.author,
            isAutomatic: reply.isAutomatic,
            subject: reply.subject ?? conversation.subject.map { $0.lowercased().hasPrefix("re:") ? $0 : "Re: \($0)" })
        if let notice = reply.publicNotice {
            guard visibility == .private, customerVisibility == .public else {
                throw StoreError(
                    .invalid,
                    "a public notice goes with a private reply to a public conversation; this one's latest message is "
                        + "\(customerVisibility) and the reply is \(visibility)")
            }
            _ = try insert(
                text: notice.trimmingCharacters(in: .whitespacesAndNewlines), visibility: .public, template: nil,
                context: context, now: now, db: db)
        }
        let shown = text.isEmpty ? (reply.template?.summary ?? "") : text
        // One millisecond later, so the timeline shows the notice first.
        let at = reply.publicNotice == nil ? now : now.addingTimeInterval(0.001)
        return try insert(
            text: shown, visibility: visibility, template: reply.template, context: context, now: at, db: db)
    }

    /// What every reply row of one request shares.
    struct Context {
        var conversation: Conversation
        var inReplyTo: String?
        var lastInboundAt: Date?
        var author: String
        var isAutomatic: Bool
        var subject: String?
    }

    private static func insert(
        text: String, visibility: Visibility, template: MessageTemplate?, context: Context, now: Date,
        db: any SQLSession
    ) throws -> Message {
        let conversation = context.conversation
        let messageID = SortableID.make("msg_", at: now)
        let outbound = OutboundMessage(
            messageID: messageID, conversationID: conversation.id, channel: conversation.channel,
            to: conversation.customerAddress, threadKey: conversation.threadKey, subject: context.subject, text: text,
            inReplyTo: context.inReplyTo, visibility: visibility, idempotencyKey: "sb-\(messageID)",
            author: context.author, isAutomatic: context.isAutomatic, template: template,
            lastInboundAt: context.lastInboundAt)
        try db.execute(
            """
            INSERT INTO messages (id, conversation_id, customer_id, channel, direction, visibility, author,
                subject, text, in_reply_to, sent_at, received_at, is_automatic, delivery_status)
            VALUES (?, ?, ?, ?, 'outbound', ?, ?, ?, ?, ?, ?, ?, ?, 'queued')
            """,
            [
                messageID, conversation.id, conversation.customerID, conversation.channel.rawValue,
                visibility.rawValue, context.author, context.subject, text, context.inReplyTo, now.millis, now.millis,
                context.isAutomatic,
            ])
        try db.execute(
            "INSERT INTO message_status (message_id, status, at) VALUES (?, 'queued', ?)", [messageID, now.millis])
        try db.execute(
            """
            INSERT INTO outbox (message_id, channel, payload, idempotency_key, state, next_attempt_at, created_at)
            VALUES (?, ?, ?, ?, 'pending', ?, ?)
            """,
            [
                messageID, conversation.channel.rawValue, try Rows.json(outbound), outbound.idempotencyKey,
                now.millis, now.millis,
            ])
        try db.execute(
            """
            UPDATE conversations SET first_response_at = COALESCE(first_response_at, ?),
                last_message_at = \(db.dialect.greatest)(last_message_at, ?) WHERE id = ?
            """,
            // An automatic acknowledgement is not a response by a person.
            [context.isAutomatic ? nil : now.millis, now.millis, conversation.id])
        try ActivityLog.append(
            .messageOut, conversation, at: now, automatic: context.isAutomatic, actor: context.author, db: db)
        return Message(
            id: messageID, conversationID: conversation.id, customerID: conversation.customerID,
            channel: conversation.channel, direction: .outbound, visibility: visibility, author: context.author,
            subject: context.subject, text: text, html: nil, attachments: [], externalID: nil,
            inReplyTo: context.inReplyTo, sentAt: now, receivedAt: now, isAutomatic: context.isAutomatic,
            deliveryStatus: "queued", statusHistory: [StatusEntry(status: "queued", at: now)])
    }
}
