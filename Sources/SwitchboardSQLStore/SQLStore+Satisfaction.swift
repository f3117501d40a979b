import Foundation
import SwitchboardAdapterKit
import SwitchboardCore

/// Satisfaction surveys (`csat`, one row per conversation asked): the question is queued in the
/// same transaction as the row, and the answer — a reply with a number, or the rating page — is
/// written with its line in the event log.
enum SatisfactionQueries {
    /// Whether `conversationID` was asked within `window` of `now` and has no answer yet.
    static func awaitsAnswer(conversationID: String, window: Duration, now: Date, db: any SQLSession) throws -> Bool {
        try db.fetchOne(
            "SELECT 1 FROM csat WHERE conversation_id = ? AND score IS NULL AND asked_at >= ?",
            [conversationID, now.addingTimeInterval(-window.timeInterval).millis]) != nil
    }

    /// Stores `score` as the conversation's rating, given by `messageID` (nil: on the rating page).
    static func recordAnswer(
        _ conversation: Conversation, score: Int, messageID: String?, at: Date, now: Date, db: any SQLSession
    ) throws {
        try db.execute(
            "UPDATE csat SET score = ?, answered_at = ?, answer_message_id = ? WHERE conversation_id = ?",
            [score, now.millis, messageID, conversation.id])
        try ActivityLog.append(.rating, conversation, at: at, value: "\(score)", db: db)
    }

    static func rating(_ row: SQLRow) throws -> SatisfactionRating {
        SatisfactionRating(
            conversationID: try row["conversation_id"], askedAt: Date(millis: try row["asked_at"]),
            score: (try row["score"] as Int64?).map(Int.init),
            answeredAt: (try row["answered_at"] as Int64?).map(Date.init(millis:)))
    }
}

extension SQLStore: SatisfactionStore {
    public func askForRating(conversationID: String, survey: SatisfactionSurvey, now: Date) async throws -> Message? {
        try await database.write { db in
            guard
                let row = try db.fetchOne(
                    "SELECT \(Rows.conversationColumns) FROM conversations WHERE id = ?", [conversationID])
            else {
                throw StoreError(.notFound, "no conversation \(conversationID)")
            }
            let conversation = try Rows.conversation(row)
            guard try db.fetchOne("SELECT 1 FROM csat WHERE conversation_id = ?", [conversationID]) == nil,
                !conversation.customerAddress.isNoReplySender,
                let latest = try db.fetchOne(
                    """
                    SELECT is_automatic, visibility FROM messages WHERE conversation_id = ? AND direction = 'inbound'
                    ORDER BY sent_at DESC, id DESC LIMIT 1
                    """, [conversationID]),
                try latest["is_automatic"] == false, try latest["visibility"] == Visibility.private.rawValue
            else { return nil }
            let token = String(APITokenSecret.generate().dropFirst(APITokenSecret.prefix.count))
            let text = survey.text(for: conversation, token: token)
            let message = try ReplyWriter.enqueue(
                ReplyRequest(
                    conversationID: conversationID, text: text, author: "satisfaction survey", isAutomatic: true,
                    visibility: .private),
                text: text, now: now, db: db)
            // The timeline (and the API, and webhooks) show the question without the token: the link
            // is in the copy queued for the channel only, and the store keeps the token's hash.
            let shown = survey.text(for: conversation, token: SatisfactionSurvey.hiddenToken)
            try db.execute("UPDATE messages SET text = ? WHERE id = ?", [shown, message.id])
            try db.execute(
                """
                INSERT INTO csat (conversation_id, customer_id, channel, token_hash, asked_at, question_message_id)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
                [
                    conversationID, conversation.customerID, conversation.channel.rawValue,
                    APITokenSecret.hash(token), now.millis, message.id,
                ])
            try ActivityLog.append(.ratingAsked, conversation, at: now, automatic: true, db: db)
            var recorded = message
            recorded.text = shown
            return recorded
        }
    }

    public func rate(token: String, score: Int, window: Duration, now: Date) async throws -> SatisfactionRating {
        guard (1...5).contains(score) else { throw StoreError(.invalid, "a rating is a whole number from 1 to 5") }
        return try await database.write { db in
            guard
                let row = try db.fetchOne(
                    "SELECT * FROM csat WHERE token_hash = ?", [APITokenSecret.hash(token)])
            else {
                throw StoreError(.notFound, "this rating link is not valid")
            }
            var rating = try SatisfactionQueries.rating(row)
            guard rating.score == nil else {
                throw StoreError(.conflict, "this conversation has been rated already; thank you")
            }
            guard now.timeIntervalSince(rating.askedAt) <= window.timeInterval else {
                throw StoreError(.conflict, "this survey has closed")
            }
            guard
                let conversationRow = try db.fetchOne(
                    "SELECT \(Rows.conversationColumns) FROM conversations WHERE id = ?", [rating.conversationID])
            else {
                throw StoreError(.notFound, "the conversation of this rating link no longer exists")
            }
            try SatisfactionQueries.recordAnswer(
                try Rows.conversation(conversationRow), score: score, messageID: nil, at: now, now: now, db: db)
            rating.score = score
            rating.answeredAt = Date(millis: now.millis)
            return rating
        }
    }

    public func rating(token: String) async throws -> SatisfactionRating? {
        guard token.utf8.count < 200 else { return nil }
        return try await database.read { db in
            try db.fetchOne("SELECT * FROM csat WHERE token_hash = ?", [APITokenSecret.hash(token)])
                .map(SatisfactionQueries.rating)
        }
    }

    public func rating(conversationID: String) async throws -> SatisfactionRating? {
        try await database.read { db in
            try db.fetchOne("SELECT * FROM csat WHERE conversation_id = ?", [conversationID])
                .map(SatisfactionQueries.rating)
        }
    }
}
