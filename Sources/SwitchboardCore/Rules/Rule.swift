import Foundation
import SwitchboardAdapterKit

/// One `rules:` entry: when an inbound message matches every condition, the hub takes the actions.
///
/// Rules exist so that the work a team does by hand on every new message (tagging refunds,
/// raising an angry customer's priority, handing the next chat to whoever is free, saying "we got
/// it") is done the moment the message is stored, the same way each time, and is recorded in the
/// event log under the rule's name.
public struct Rule: Sendable, Hashable {
    public var name: String
    public var conditions: RuleConditions
    public var actions: RuleActions

    public init(name: String, conditions: RuleConditions, actions: RuleActions) {
        self.name = name
        self.conditions = conditions
        self.actions = actions
    }

    /// Who the event log names for what a rule did.
    public var actor: String { "rule:\(name)" }
}

/// What a message must be for a rule to apply; a condition left empty or `nil` matches anything.
public struct RuleConditions: Sendable, Hashable {
    /// Which message of its conversation.
    public enum MessagePosition: String, Sendable, Hashable, CaseIterable {
        /// The message opened the conversation.
        case first
        /// Any later message (including one that reopened it).
        case followUp = "follow_up"
    }

    /// Whether the team is at work when the message arrives (config `business_hours:`).
    public enum BusinessTime: String, Sendable, Hashable, CaseIterable { case open, closed }

    /// The channel instances the message may come from.
    public var channels: Set<ChannelID>
    /// Words or phrases, any one of which the text must contain (case-insensitive, whole words).
    public var keywords: [String]
    /// A regular expression the text must match.
    public var pattern: RulePattern?
    /// Customer attributes (`email`, `phone`, `locale`, …) that must have these values, ignoring
    /// case; a value starting with `*` matches the end (`email: "*@bigcorp.example"`).
    public var customerAttributes: [String: String]
    /// Tags the conversation must all carry.
    public var tags: [String]
    public var businessTime: BusinessTime?
    public var message: MessagePosition?
    /// The class the ``SentimentScorer`` gives the text.
    public var sentiment: Sentiment?

    public init(
        channels: Set<ChannelID> = [], keywords: [String] = [], pattern: RulePattern? = nil,
        customerAttributes: [String: String] = [:], tags: [String] = [], businessTime: BusinessTime? = nil,
        message: MessagePosition? = nil, sentiment: Sentiment? = nil
    ) {
        self.channels = channels
        self.keywords = keywords
        self.pattern = pattern
        self.customerAttributes = customerAttributes
        self.tags = tags
        self.businessTime = businessTime
        self.message = message
        self.sentiment = sentiment
    }

    /// Whether the rule needs the customer's profile to decide (it is read only then).
    public var needsCustomer: Bool { !customerAttributes.isEmpty }

    /// What a rule is evaluated against.
    public struct Subject: Sendable {
        public let message: Message
        public var conversation: Conversation
        public var newConversation: Bool
        public var customerAttributes: [String: String]
        public var sentiment: Sentiment
        public var isOpen: Bool
        /// The subject and text that keywords and patterns look in, joined once for every rule.
        let searchText: String

        public init(
            message: Message, conversation: Conversation, newConversation: Bool,
            customerAttributes: [String: String], sentiment: Sentiment, isOpen: Bool
        ) {
            self.message = message
            self.conversation = conversation
            self.newConversation = newConversation
            self.customerAttributes = customerAttributes
            self.sentiment = sentiment
            self.isOpen = isOpen
            searchText = [message.subject, message.text].compactMap { $0 }.joined(separator: "\n")
        }
    }

    /// Whether `subject` meets every condition.
    public func match(_ subject: Subject) -> Bool {
        if !channels.isEmpty && !channels.contains(subject.message.channel) { return false }
        if let message, (message == .first) != subject.newConversation { return false }
        if let businessTime, (businessTime == .open) != subject.isOpen { return false }
        if let sentiment, sentiment != subject.sentiment { return false }
        if !tags.allSatisfy(subject.conversation.tags.contains) { return false }
        for (key, value) in customerAttributes {
            guard let actual = subject.customerAttributes[key]?.lowercased() else { return false }
            let wanted = value.lowercased()
            guard wanted.hasPrefix("*") ? actual.hasSuffix(wanted.dropFirst()) : actual == wanted else { return false }
        }
        let text = subject.searchText
        if !keywords.isEmpty && !keywords.contains(where: { Self.contains(text, phrase: $0) }) { return false }
        if let pattern, !pattern.matches(text) { return false }
        return true
    }

    /// `phrase` in `text` as whole words, ignoring case and accents ("Refund" in "a refund, please";
    /// not "fund" in "refund").
    static func contains(_ text: String, phrase: String) -> Bool {
        let options: String.CompareOptions = [.caseInsensitive, .diacriticInsensitive]
        var searchRange = text.startIndex..<text.endIndex
        while let found = text.range(of: phrase, options: options, range: searchRange) {
            let before = found.lowerBound == text.startIndex ? nil : text[text.index(before: found.lowerBound)]
            let after = found.upperBound == text.endIndex ? nil : text[found.upperBound]
            if !(before?.isLetter ?? false || before?.isNumber ?? false)
                && !(after?.isLetter ?? false || after?.isNumber ?? false)
            {
                return true
            }
            searchRange = text.index(after: found.lowerBound)..<text.endIndex
        }
        return false
    }
}

/// A compiled regular expression from the config; equal when the source is.
public struct RulePattern: Sendable, Hashable {
    public let source: String
    private let expression: CompiledExpression

    /// Throws when `source` is not a valid regular expression.
    public init(_ source: String) throws {
        self.source = source
        expression = CompiledExpression(try NSRegularExpression(pattern: source, options: [.caseInsensitive]))
    }

    public func matches(_ text: String) -> Bool {
        expression.regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    public static func == (lhs: RulePattern, rhs: RulePattern) -> Bool { lhs.source == rhs.source }
    public func hash(into hasher: inout Hasher) { hasher.combine(source) }

    /// NSRegularExpression is immutable once made and documented safe to match from any thread.
    private final class CompiledExpression: @unchecked Sendable {
        let regex: NSRegularExpression
        init(_ regex: NSRegularExpression) { self.regex = regex }
    }
}

/// What a rule does to the conversation of a message it matched.
public struct RuleActions: Sendable, Hashable {
    /// Tags added to the conversation.
    public var addTags: [String]
    /// The conversation's priority is raised to at least this (never lowered).
    public var priority: Int?
    /// Hand an unassigned conversation to the next available agent of these (all agents when empty),
    /// in turn; available means signed in to the web inbox.
    public var assignRoundRobin: [String]?
    /// An automatic answer, with the canned replies' placeholders.
    public var acknowledge: CannedReply?
    /// At most one automatic answer per conversation within this time.
    public var acknowledgeWindow: Duration
    /// Resolve the conversation (after the acknowledgement, if any).
    public var close: Bool

    public static let defaultAcknowledgeWindow: Duration = .seconds(24 * 3600)

    public init(
        addTags: [String] = [], priority: Int? = nil, assignRoundRobin: [String]? = nil,
        acknowledge: CannedReply? = nil, acknowledgeWindow: Duration = defaultAcknowledgeWindow, close: Bool = false
    ) {
        self.addTags = addTags
        self.priority = priority
        self.assignRoundRobin = assignRoundRobin
        self.acknowledge = acknowledge
        self.acknowledgeWindow = acknowledgeWindow
        self.close = close
    }

    /// Whether the rule does nothing (the config refuses such a rule).
    public var isEmpty: Bool {
        addTags.isEmpty && priority == nil && assignRoundRobin == nil && acknowledge == nil && !close
    }
}
