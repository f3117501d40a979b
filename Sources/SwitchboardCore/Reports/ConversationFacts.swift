import Foundation
import SwitchboardAdapterKit

/// What the event log says about one conversation: when it opened, when the customer wrote and
/// when a person answered (automatic messages never count as answers), how its status moved.
/// SLAs and reports are computed from these facts, never from the live tables.
public struct ConversationFacts: Sendable {
    public var conversationID: String
    public var channel: ChannelID
    public var customerID: String?
    public var openedAt: Date
    public var tags: [String]
    /// Times of the customer's messages, automatic ones (out-of-office, bounces) left out.
    public var customerMessages: [Date]
    /// Times of replies written by a person.
    public var answers: [Date]
    /// Every status change, in order.
    public var statusChanges: [(at: Date, status: Conversation.Status)]

    /// The first answer by a person.
    public var firstResponseAt: Date? { answers.first }
    /// The first time the conversation was resolved.
    public var firstResolvedAt: Date? { statusChanges.first { $0.status == .resolved }?.at }
    /// Whether it was opened again after being resolved.
    public var wasReopened: Bool {
        guard let resolved = statusChanges.firstIndex(where: { $0.status == .resolved }) else { return false }
        return statusChanges[(resolved + 1)...].contains { $0.status != .resolved }
    }

    /// The customer's waits for a next answer after the first one: from the first customer message
    /// after an answer to the answer that followed it (nil while unanswered).
    public var laterWaits: [(from: Date, answeredAt: Date?)] {
        guard let first = firstResponseAt else { return [] }
        var waits: [(from: Date, answeredAt: Date?)] = []
        var lastAnswer = first
        var answerIndex = 1
        while true {
            guard let asked = customerMessages.first(where: { $0 > lastAnswer }) else { break }
            while answerIndex < answers.count, answers[answerIndex] <= asked { answerIndex += 1 }
            guard answerIndex < answers.count else {
                waits.append((asked, nil))
                break
            }
            waits.append((asked, answers[answerIndex]))
            lastAnswer = answers[answerIndex]
            answerIndex += 1
        }
        return waits
    }

    /// The facts of every conversation whose opening line is among `entries` (lines of other
    /// conversations, or of conversations opened before the log began, are skipped).
    public static func collect(_ entries: [ActivityEntry]) -> [ConversationFacts] {
        var order: [String] = []
        var facts: [String: ConversationFacts] = [:]
        for entry in entries {
            guard let id = entry.conversationID else { continue }
            if entry.kind == .conversationOpened {
                guard facts[id] == nil, let channel = entry.channel else { continue }
                order.append(id)
                facts[id] = ConversationFacts(
                    conversationID: id, channel: channel, customerID: entry.customerID, openedAt: entry.at,
                    tags: Self.tags(entry.value), customerMessages: [], answers: [], statusChanges: [])
                continue
            }
            guard facts[id] != nil else { continue }
            switch entry.kind {
            case .messageIn where !entry.isAutomatic: facts[id]?.customerMessages.append(entry.at)
            case .messageOut where !entry.isAutomatic: facts[id]?.answers.append(entry.at)
            case .status:
                if let status = entry.value.flatMap(Conversation.Status.init(rawValue:)) {
                    facts[id]?.statusChanges.append((entry.at, status))
                }
            case .tags: facts[id]?.tags = Self.tags(entry.value)
            case .rating:
                // A "4" in answer to the satisfaction question is not a customer waiting for an answer.
                if let index = facts[id]?.customerMessages.lastIndex(of: entry.at) {
                    facts[id]?.customerMessages.remove(at: index)
                }
            case .conversationOpened, .messageIn, .messageOut, .assignment, .priority, .merge, .unmerge, .ratingAsked:
                break
            }
        }
        return order.compactMap { id in
            guard var fact = facts[id] else { return nil }
            // Channels report their own times, which may arrive out of order.
            fact.customerMessages.sort()
            fact.answers.sort()
            return fact
        }
    }

    private static func tags(_ value: String?) -> [String] {
        (value ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
