import Foundation
import SwitchboardAdapterKit

/// The config's `csat:`: after a conversation is resolved, the customer is asked one question on
/// the channel they used — reply with a number on SMS and chat, follow a link on email — and the
/// answer is stored on the conversation and counted in reports.
///
/// It exists because resolution times say how fast a team was, not whether the customer was
/// helped; a one-question rating, asked where the customer already is, is the answer most teams
/// can actually get.
public struct SatisfactionSurvey: Sendable, Hashable {
    /// The question on channels where the customer replies with a number.
    public var question: String
    /// The question on email; `{{link}}` becomes the conversation's rating page.
    public var emailQuestion: String
    /// Answers are taken this long after the question.
    public var window: Duration
    /// The hub's public URL, for the email link.
    public var publicBaseURL: String

    public static let defaultQuestion = "How did we do? Reply with a number from 1 (poor) to 5 (great)."
    public static let defaultEmailQuestion = "How did we do? Rate this conversation from 1 to 5: {{link}}"
    public static let defaultWindow: Duration = .seconds(7 * 24 * 3600)

    public init(
        question: String = defaultQuestion, emailQuestion: String = defaultEmailQuestion,
        window: Duration = defaultWindow, publicBaseURL: String
    ) {
        self.question = question
        self.emailQuestion = emailQuestion
        self.window = window
        self.publicBaseURL = publicBaseURL
    }

    /// What the timeline shows in place of the token: only the customer gets the link.
    public static let hiddenToken = "…"

    /// The rating page of a survey's token.
    public func link(token: String) -> String {
        (publicBaseURL.hasSuffix("/") ? String(publicBaseURL.dropLast()) : publicBaseURL) + "/csat/" + token
    }

    /// The question as `conversation`'s customer gets it.
    public func text(for conversation: Conversation, token: String) -> String {
        conversation.customerAddress.kind == .email
            ? emailQuestion.replacingOccurrences(of: "{{link}}", with: link(token: token)) : question
    }

    /// The score a reply to the question gives, 1 to 5, or nil when the text is not one: `4`,
    /// `4/5`, `4.`, ` 4 ` or four stars (`★★★★`, `⭐⭐⭐⭐`). Anything longer is a message.
    public static func score(of text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: ".!")))
        guard !trimmed.isEmpty, trimmed.count <= 5 else { return nil }
        if let value = Int(trimmed), (1...5).contains(value) { return value }
        if trimmed.hasSuffix("/5"), let value = Int(trimmed.dropLast(2)), (1...5).contains(value) { return value }
        let stars = trimmed.unicodeScalars.filter { $0 != "\u{FE0F}" }
        if stars.allSatisfy({ $0 == "★" || $0 == "⭐" }), (1...5).contains(stars.count) { return stars.count }
        return nil
    }
}

/// A conversation's rating: when it was asked for and, once answered, the score.
public struct SatisfactionRating: Sendable, Hashable, Codable {
    public var conversationID: String
    public var askedAt: Date
    public var score: Int?
    public var answeredAt: Date?

    public init(conversationID: String, askedAt: Date, score: Int? = nil, answeredAt: Date? = nil) {
        self.conversationID = conversationID
        self.askedAt = askedAt
        self.score = score
        self.answeredAt = answeredAt
    }

    enum CodingKeys: String, CodingKey {
        case conversationID = "conversation_id"
        case askedAt = "asked_at"
        case score
        case answeredAt = "answered_at"
    }
}

/// Surveys and their answers. Closed, like the other store protocols.
public protocol SatisfactionStore: Sendable {
    /// Asks `conversationID`'s customer the survey's question (an automatic message in the
    /// conversation, queued like a reply), once per conversation; nil when it was asked before or
    /// the customer is not one to ask (an automatic sender, a no-reply address, a public thread).
    func askForRating(conversationID: String, survey: SatisfactionSurvey, now: Date) async throws -> Message?
    /// Records the score given on the rating page of `token`; throws `notFound` for an unknown
    /// token, `conflict` when the survey was answered or has closed.
    func rate(token: String, score: Int, window: Duration, now: Date) async throws -> SatisfactionRating
    /// The survey of `token`, for its page.
    func rating(token: String) async throws -> SatisfactionRating?
    func rating(conversationID: String) async throws -> SatisfactionRating?
}
