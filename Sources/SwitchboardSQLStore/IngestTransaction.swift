import Foundation
import SwitchboardAdapterKit
import SwitchboardCore

/// The body of one envelope's ingest, run inside the group commit's write transaction:
/// dedup → identity → conversation → message. Decisions come from SwitchboardCore's pure functions;
/// this file only reads the candidates and writes the results.
///
/// A group is first written optimistically, envelope after envelope (``ingestGroup``). If anything
/// throws, the whole transaction rolls back and the group is written again with each envelope in
/// its own savepoint (``ingest(_:policy:now:db:)``), so a bad envelope is rejected alone. The fast
/// path saves two statements per envelope; the outcome is the same on both paths.
enum IngestTransaction {
    /// How stale `customers.last_seen` may get before a new message refreshes it, in milliseconds.
    static let lastSeenResolution: Int64 = 60_000

    /// The fast path: no savepoints; throws if any envelope fails, and the caller rolls back.
    static func ingestGroup(_ group: [PreparedEnvelope], policy: IngestPolicy, now: Date, db: any SQLSession) throws
        -> [IngestOutcome]
    {
        try group.map { try ingestUnchecked($0, policy: policy, now: now, db: db) }
    }

    /// The careful path: one savepoint per envelope.
    static func ingest(_ prepared: PreparedEnvelope, policy: IngestPolicy, now: Date, db: any SQLSession) throws
        -> IngestOutcome
    {
        var outcome: IngestOutcome = .rejected(reason: "not processed")
        do {
            try db.inSavepoint {
                outcome = try ingestUnchecked(prepared, policy: policy, now: now, db: db)
                switch outcome {
                // A late edit is a duplicate that still wrote its history row; other duplicates wrote nothing.
                case .stored, .edited, .duplicate: return true
                case .rejected: return false
                }
            }
        } catch let error as SQLError where error.isUnrecoverable {
            throw error
        } catch {
            outcome = .rejected(reason: "\(error)")
        }
        return outcome
    }

    private static func ingestUnchecked(
        _ prepared: PreparedEnvelope, policy: IngestPolicy, now: Date, db: any SQLSession
    )
        throws -> IngestOutcome
    {
        let envelope = prepared.envelope
        guard !envelope.externalID.isEmpty else {
            return .rejected(reason: "the envelope has no external id (the channel's message id, used to deduplicate)")
        }
        guard envelope.sentAt.isStorableMessageTime else {
            return .rejected(
                reason: "the message time \(envelope.sentAt.timeIntervalSince1970) is not between 1970 and 2200; "
                    + "the channel adapter must give the time the channel reports, or the time it received the message")
        }
        if envelope.replaces != nil, case .done(let outcome) = try IngestEdits.apply(prepared, now: now, db: db) {
            return outcome
        }
        if let existing = try
            (db.fetchValue(
                "SELECT id FROM messages WHERE channel = ? AND external_id = ?",
                [prepared.channel, prepared.storedExternalID]) as String?)
        {
            return .duplicate(messageID: existing)
        }
        if let globalID = envelope.globalID,
            let existing = try (db.fetchValue("SELECT id FROM messages WHERE global_id = ?", [globalID]) as String?)
        {
            return .duplicate(messageID: existing)
        }

        var (customerID, newCustomer) = try resolveCustomer(prepared, now: now, db: db)
        var merge = try applyVerifiedHints(prepared, customerID: customerID, policy: policy, now: now, db: db)
        if let merge { customerID = merge.targetCustomerID }
        if !envelope.hints.aliases.isEmpty,
            let linked = try IngestIdentityLinks.linkAliases(
                prepared, customerID: customerID, policy: policy, now: now, db: db)
        {
            merge = linked
            customerID = linked.targetCustomerID
        }
        if let linked = try IngestIdentityLinks.linkAddressesInText(
            prepared, customerID: customerID, policy: policy, now: now, db: db)
        {
            merge = linked
            customerID = linked.targetCustomerID
        }

        let sentAt = prepared.sentAtMillis
        let latestRow = try db.fetchOne(
            """
            SELECT \(Rows.conversationColumns) FROM conversations
            WHERE channel = ? AND thread_key = ? AND customer_address = ?
            ORDER BY created_at DESC, \(db.dialect.insertionOrder) DESC LIMIT 1
            """, [prepared.channel, envelope.threadKey, prepared.from])
        let latest = try latestRow.map { try Rows.conversation($0, customerAddress: envelope.from) }
        let decision = Threading.decide(latest: latest, at: envelope.sentAt, reopenWindow: policy.reopenWindow)
        // "4" in answer to the satisfaction question: a rating, which leaves the conversation resolved.
        var rating: Int?
        if case .reopen(let id) = decision, let score = SatisfactionSurvey.score(of: envelope.text),
            try SatisfactionQueries.awaitsAnswer(
                conversationID: id, window: policy.ratingWindow, now: envelope.sentAt, db: db)
        {
            rating = score
        }
        var conversation: Conversation
        switch decision {
        case .open:
            conversation = Conversation(
                id: prepared.conversationID, customerID: customerID, channel: envelope.channel,
                customerAddress: envelope.from, threadKey: envelope.threadKey, subject: envelope.subject,
                status: .open, tags: envelope.tags, createdAt: now, lastMessageAt: envelope.sentAt)
            try db.execute(
                """
                INSERT INTO conversations (id, customer_id, channel, customer_address, thread_key, subject, status,
                    created_at, last_message_at, tags) VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)
                """,
                [
                    conversation.id, customerID, prepared.channel, prepared.from, envelope.threadKey,
                    envelope.subject, now.millis, sentAt, prepared.tagsJSON,
                ])
        case .append(let id), .reopen(let id):
            guard var existing = latest, existing.id == id else {
                throw StoreError(.conflict, "conversation \(id) vanished during ingest")
            }
            if rating == nil {
                existing.status = .open
                existing.resolvedAt = nil
            }
            existing.lastMessageAt = max(existing.lastMessageAt, envelope.sentAt)
            conversation = existing
            try db.execute(
                """
                UPDATE conversations SET status = ?, resolved_at = ?,
                    last_message_at = \(db.dialect.greatest)(last_message_at, ?) WHERE id = ?
                """, [existing.status.rawValue, existing.resolvedAt?.millis, sentAt, id])
            let added = envelope.tags.filter { !existing.tags.contains($0) }
            if !added.isEmpty {
                conversation.tags += added
                try db.execute(
                    "UPDATE conversations SET tags = ? WHERE id = ?", [try Rows.json(conversation.tags), id])
            }
        }

        let messageID = prepared.messageID
        try db.execute(
            """
            INSERT INTO messages (id, conversation_id, customer_id, channel, direction, visibility, author, subject,
                text, html, attachments, external_id, in_reply_to, sent_at, received_at, is_automatic, raw,
                raw_content_type, global_id, parse_warnings)
            VALUES (?, ?, ?, ?, 'inbound', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                messageID, conversation.id, conversation.customerID, prepared.channel,
                envelope.visibility.rawValue, prepared.from, envelope.subject, envelope.text, envelope.html,
                prepared.attachmentsJSON, prepared.storedExternalID, envelope.inReplyTo, sentAt, now.millis,
                envelope.isAutomatic,
                prepared.raw, envelope.raw?.contentType, envelope.globalID, prepared.parseWarningsJSON,
            ])
        let message = Message(
            id: messageID, conversationID: conversation.id, customerID: conversation.customerID,
            channel: envelope.channel, direction: .inbound, visibility: envelope.visibility,
            author: envelope.from.description, subject: envelope.subject, text: envelope.text, html: envelope.html,
            attachments: envelope.attachments, externalID: prepared.storedExternalID, inReplyTo: envelope.inReplyTo,
            sentAt: envelope.sentAt, receivedAt: now, isAutomatic: envelope.isAutomatic, deliveryStatus: nil,
            parseWarnings: envelope.parseWarnings)
        try IngestEdits.recordEditStoredAsOriginal(prepared, messageID: messageID, now: now, db: db)
        switch decision {
        case .open:
            try ActivityLog.append(
                .conversationOpened, conversation, at: envelope.sentAt, actor: prepared.from,
                value: conversation.tags.isEmpty ? nil : conversation.tags.joined(separator: ","), db: db)
        case .reopen where rating == nil:
            try ActivityLog.append(
                .status, conversation, at: envelope.sentAt, actor: prepared.from, value: "open", db: db)
        case .reopen, .append: break
        }
        // The message's sentiment (scored before the transaction) goes in the log's value, for reports.
        try ActivityLog.append(
            .messageIn, conversation, at: envelope.sentAt, automatic: envelope.isAutomatic, actor: prepared.from,
            value: prepared.sentiment.rawValue, db: db)
        // After the message's line: reports take the rating's line as "this message was a rating".
        if let rating {
            try SatisfactionQueries.recordAnswer(
                conversation, score: rating, messageID: messageID, at: envelope.sentAt, now: now, db: db)
        }
        let optOut = policy.optOut.action(for: envelope.text, on: envelope.channel)
        if let optOut {
            try applyOptOut(optOut, message: message, conversation: conversation, from: prepared.from, now: now, db: db)
        }
        return .stored(
            StoredMessage(
                message: message, conversation: conversation, newCustomer: newCustomer,
                newConversation: decision == .open,
                reopened: { if case .reopen = decision { rating == nil } else { false } }(),
                merge: merge, optOut: optOut, rating: rating, sentiment: prepared.sentiment))
    }

    /// Rule 1 (exact address), rule 2 (certain equivalences), else a new profile.
    private static func resolveCustomer(_ prepared: PreparedEnvelope, now: Date, db: any SQLSession) throws -> (
        String, Bool
    ) {
        let envelope = prepared.envelope
        let displayName = envelope.hints.displayName
        if let row = try db.fetchOne(
            """
            SELECT identities.customer_id, customers.last_seen, customers.display_name IS NULL AS unnamed
            FROM identities JOIN customers ON customers.id = identities.customer_id
            WHERE identities.address = ?
            """, [prepared.from])
        {
            let customerID: String = try row[0]
            let lastSeen: Int64 = try row[1]
            let unnamed: Bool = try row[2]
            // last_seen is kept to the minute: a burst of messages costs no write per message.
            if now.millis - lastSeen > lastSeenResolution || (unnamed && displayName != nil) {
                try db.execute(
                    "UPDATE customers SET last_seen = \(db.dialect.greatest)(last_seen, ?), display_name = COALESCE(display_name, ?) WHERE id = ?",
                    [now.millis, displayName, customerID])
            }
            return (customerID, false)
        }
        for equivalent in prepared.equivalents + prepared.aliasCandidates {
            if let partner = try db.fetchOne(
                "SELECT customer_id, original_customer_id FROM identities WHERE address = ?", [equivalent.description])
            {
                let customerID: String = try partner[0]
                // Filed under the profile the partner address came from, so an un-merge takes both back.
                try insertIdentity(
                    envelope.from, customerID: customerID, originalCustomerID: partner[1], channel: envelope.channel,
                    verified: false,
                    provenance: prepared.equivalents.contains(equivalent)
                        ? "equivalence:\(equivalent)" : "alias:\(equivalent)",
                    rawHandle: envelope.hints.rawHandle,
                    now: now, db: db)
                try db.execute(
                    "UPDATE customers SET last_seen = \(db.dialect.greatest)(last_seen, ?) WHERE id = ?",
                    [now.millis, customerID])
                return (customerID, false)
            }
        }
        let customerID = prepared.customerID
        try db.execute(
            "INSERT INTO customers (id, display_name, attributes, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)",
            [customerID, displayName, prepared.attributesJSON, now.millis, now.millis])
        try insertIdentity(
            envelope.from, customerID: customerID, channel: envelope.channel, verified: false, provenance: "inbound",
            rawHandle: envelope.hints.rawHandle, now: now, db: db)
        return (customerID, true)
    }

    /// Rule 3: strong identifiers the channel vouches for link, merge or suggest.
    private static func applyVerifiedHints(
        _ prepared: PreparedEnvelope, customerID: String, policy: IngestPolicy, now: Date, db: any SQLSession
    ) throws -> MergeRecord? {
        let envelope = prepared.envelope
        var merge: MergeRecord?
        for learned in envelope.hints.verifiedAddresses where learned.kind.isStrongIdentifier {
            let current = merge?.targetCustomerID ?? customerID
            guard let other = try owner(of: learned, db: db) else {
                // Filed under the profile the sender's address came from, so an un-merge takes both back.
                let original =
                    try
                    (db.fetchValue("SELECT original_customer_id FROM identities WHERE address = ?", [prepared.from])
                    as String?)
                try insertIdentity(
                    learned, customerID: current, originalCustomerID: original ?? current, channel: envelope.channel,
                    verified: true, provenance: "hint:\(envelope.from)", now: now, db: db)
                continue
            }
            if other == current {
                try db.execute("UPDATE identities SET verified = 1 WHERE address = ?", [learned.description])
                continue
            }
            if let record = try IngestIdentityLinks.mergeOrSuggest(
                current, other, learned: learned, merge: policy.identity.autoMergeOnStrongIdentifier,
                reason: "\(envelope.from) gave the verified identifier \(learned)", now: now, db: db)
            {
                merge = record
            }
        }
        return merge
    }

    static func owner(of address: Address, db: any SQLSession) throws -> String? {
        try owner(of: address.description, db: db)
    }

    static func owner(of address: String, db: any SQLSession) throws -> String? {
        try (db.fetchValue("SELECT customer_id FROM identities WHERE address = ?", [address]) as String?)
    }

    /// - Parameter originalCustomerID: the profile an un-merge gives the address back to; by default
    ///   the one it is filed under now.
    static func insertIdentity(
        _ address: Address, customerID: String, originalCustomerID: String? = nil, channel: ChannelID?, verified: Bool,
        provenance: String, rawHandle: String? = nil, now: Date, db: any SQLSession
    ) throws {
        try db.execute(
            """
            INSERT INTO identities (address, kind, customer_id, original_customer_id, first_seen_channel, verified,
                provenance, created_at, raw_handle) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                address.description, address.kind.rawValue, customerID, originalCustomerID ?? customerID,
                channel?.rawValue,
                verified, provenance, now.millis, rawHandle,
            ])
    }

    /// STOP and START: records or lifts the sender's opt-out, with an event in their timeline.
    static func applyOptOut(
        _ action: OptOutPolicy.Action, message: Message, conversation: Conversation, from: String, now: Date,
        db: any SQLSession
    ) throws {
        switch action {
        case .optOut(let keyword):
            try db.execute(
                """
                INSERT INTO opt_outs (address, keyword, channel, message_id, at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (address) DO UPDATE SET keyword = excluded.keyword, channel = excluded.channel,
                    message_id = excluded.message_id, at = excluded.at
                """, [from, keyword, message.channel.rawValue, message.id, now.millis])
            try ProfileQueries.recordEvent(
                customerID: conversation.customerID, conversationID: conversation.id, kind: "opt-out", actor: from,
                detail: "\(from) texted \(keyword): no message will be sent to this number until it texts START",
                now: now, db: db)
        case .optIn(let keyword):
            guard try db.execute("DELETE FROM opt_outs WHERE address = ?", [from]) > 0 else { return }
            try ProfileQueries.recordEvent(
                customerID: conversation.customerID, conversationID: conversation.id, kind: "opt-in", actor: from,
                detail: "\(from) texted \(keyword): messages to this number are allowed again", now: now, db: db)
        }
    }
}
