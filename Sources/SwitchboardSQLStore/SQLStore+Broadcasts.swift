import Foundation
import SwitchboardAdapterKit
import SwitchboardCore

/// Broadcasts: one row per (broadcast, customer) in `broadcast_recipients`, written in the same
/// transaction as the customer's queued message, so a broadcast sent again with its id (a retried
/// request, a second run of a script) reaches nobody twice and answers what was done.
extension SQLStore: BroadcastStore {
    /// Customers are taken in slices, each in its own transaction, so agents' writes are never held
    /// up behind a large broadcast; a broadcast stopped half-way is finished by sending it again.
    static let broadcastSlice = 100

    public func broadcast(_ request: BroadcastRequest, rules: BroadcastChannelRules, now: Date) async throws
        -> BroadcastResult
    {
        try request.validate()
        let text = request.text.trimmingCharacters(in: .whitespacesAndNewlines)
        let fingerprint = request.fingerprint
        try await database.write { db in
            if let known = try db.fetchOne("SELECT request_hash FROM broadcasts WHERE id = ?", [request.id]) {
                guard try known["request_hash"] == fingerprint else {
                    throw StoreError(
                        .conflict,
                        "broadcast '\(request.id)' was sent with another text, templates or customers; "
                            + "give this one a new id")
                }
            } else {
                try db.execute(
                    "INSERT INTO broadcasts (id, request_hash, author, created_at) VALUES (?, ?, ?, ?)",
                    [request.id, fingerprint, request.author, now.millis])
            }
        }
        var recipients: [BroadcastResult.Recipient] = []
        for start in stride(from: 0, to: request.customerIDs.count, by: Self.broadcastSlice) {
            let slice = request.customerIDs[start..<min(start + Self.broadcastSlice, request.customerIDs.count)]
            recipients += try await database.write { db in
                try slice.map { id in
                    try Self.broadcast(request, text: text, to: id, rules: rules, now: now, db: db)
                }
            }
        }
        return BroadcastResult(id: request.id, recipients: recipients)
    }

    private static func broadcast(
        _ request: BroadcastRequest, text: String, to requestedID: String, rules: BroadcastChannelRules, now: Date,
        db: any SQLSession
    ) throws -> BroadcastResult.Recipient {
        guard let customerID = try ProfileQueries.currentCustomerID(requestedID, db: db) else {
            return BroadcastResult.Recipient(customerID: requestedID, skipped: "no customer \(requestedID)")
        }
        // Done before for this customer, or for one since merged into it (the same person).
        if let done = try db.fetchOne(
            """
            SELECT channel, conversation_id, message_id, skipped FROM broadcast_recipients
            WHERE broadcast_id = ?
                AND (customer_id = ? OR customer_id IN (SELECT id FROM customers WHERE merged_into = ?))
            ORDER BY message_id IS NULL LIMIT 1
            """, [request.id, customerID, customerID])
        {
            return BroadcastResult.Recipient(
                customerID: customerID, channel: (try done["channel"] as String?).map(ChannelID.init(rawValue:)),
                conversationID: try done["conversation_id"], messageID: try done["message_id"],
                skipped: try done["skipped"])
        }
        var recipient = BroadcastResult.Recipient(customerID: customerID)
        if let latest = try db.fetchOne(
            """
            SELECT conversation_id, channel, sent_at FROM messages
            WHERE customer_id = ? AND direction = 'inbound' ORDER BY sent_at DESC, id DESC LIMIT 1
            """, [customerID])
        {
            let conversationID: String = try latest["conversation_id"]
            let channel = ChannelID(rawValue: try latest["channel"])
            recipient.channel = channel
            recipient.conversationID = conversationID
            let address: String? = try db.fetchOne(
                "SELECT customer_address FROM conversations WHERE id = ?", [conversationID])?["customer_address"]
            let optedOut = try address.map { try db.fetchOne("SELECT 1 FROM opt_outs WHERE address = ?", [$0]) != nil }
            let plan = BroadcastResult.plan(
                request, channel: channel, lastInboundAt: Date(millis: try latest["sent_at"]),
                optedOut: optedOut ?? false, rules: rules, now: now)
            switch plan {
            case .failure(let skip):
                recipient.skipped = skip.reason
            case .success(let template):
                // With a template, the timeline shows the template (what the customer gets), not the text.
                let message = try ReplyWriter.enqueue(
                    ReplyRequest(
                        conversationID: conversationID, text: template == nil ? text : "", author: request.author,
                        isAutomatic: true, visibility: .private, template: template),
                    text: template == nil ? text : "", now: now, db: db)
                recipient.messageID = message.id
            }
        } else {
            recipient.skipped = "has never written in, so there is no channel to reach them on"
        }
        try db.execute(
            """
            INSERT INTO broadcast_recipients (broadcast_id, customer_id, channel, conversation_id, message_id, skipped, at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            [
                request.id, customerID, recipient.channel?.rawValue, recipient.conversationID, recipient.messageID,
                recipient.skipped, now.millis,
            ])
        return recipient
    }
}
