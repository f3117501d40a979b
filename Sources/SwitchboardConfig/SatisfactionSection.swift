import Foundation
import SwitchboardAdapterKit
import SwitchboardCore

/// `csat:` — ask customers for a rating when their conversation is resolved:
///
/// ```yaml
/// csat:
///   question: "How did we do? Reply with a number from 1 (poor) to 5 (great)."  # SMS, chat, …
///   email_question: "How did we do? Rate us from 1 to 5: {{link}}"             # {{link}}: the rating page
///   window: 7d                                                                 # answers taken this long
/// ```
/// Every key has a default, so `csat: {}` turns it on as is.
struct SatisfactionSection: Decodable {
    var question: String?
    var emailQuestion: String?
    var window: ConfigDuration?

    enum CodingKeys: String, CodingKey {
        case question, window
        case emailQuestion = "email_question"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        question = try container.decodeIfPresent(String.self, forKey: .question)
        if let question, question.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw DecodingError.dataCorruptedError(
                forKey: .question, in: container, debugDescription: "the question is empty")
        }
        emailQuestion = try container.decodeIfPresent(String.self, forKey: .emailQuestion)
        if let emailQuestion, !emailQuestion.contains("{{link}}") {
            throw DecodingError.dataCorruptedError(
                forKey: .emailQuestion, in: container,
                debugDescription: "the email question needs {{link}}, where the rating page's address goes")
        }
        window = try container.decodeIfPresent(ConfigDuration.self, forKey: .window)
        if window?.duration == .zero {
            throw DecodingError.dataCorruptedError(
                forKey: .window, in: container, debugDescription: "the window must be longer than 0s")
        }
    }

    func survey(publicBaseURL: String) -> SatisfactionSurvey {
        SatisfactionSurvey(
            question: question ?? SatisfactionSurvey.defaultQuestion,
            emailQuestion: emailQuestion ?? SatisfactionSurvey.defaultEmailQuestion,
            window: window?.duration ?? SatisfactionSurvey.defaultWindow, publicBaseURL: publicBaseURL)
    }
}
