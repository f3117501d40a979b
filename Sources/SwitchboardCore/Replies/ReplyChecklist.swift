import Foundation

/// Checks a draft reply against good support practice before an agent sends it.
///
/// It exists because the mistakes it catches are the ones customers remember: a reply that does
/// not use their name, a reply nobody signed, and a reply that blames them or sounds final. It
/// warns; it never blocks a send (the agent decides). The rules:
///
/// - **customer's name**: when the customer's name is known, the reply should use their first name
///   (any case or accents: "ana" and "Ána" count for "Ana");
/// - **signature**: when the agent's name is known, one of the reply's last three non-empty lines
///   should carry the agent's first or full name;
/// - **negative or blaming phrases**: each phrase of ``negativePhrases`` found in the reply, as
///   whole words, with a kinder way to say it.
public struct ReplyChecklist: Sendable {
    /// One warning about a draft.
    public struct Finding: Sendable, Hashable, Codable {
        public enum Rule: String, Sendable, Hashable, Codable {
            case customerName = "customer_name"
            case signature
            case negativePhrase = "negative_phrase"
        }

        public var rule: Rule
        /// What is wrong and what to do, for the agent.
        public var message: String
        /// The phrase found, for ``Rule/negativePhrase``.
        public var phrase: String?
    }

    /// A phrase to avoid and what to write instead.
    public struct Phrase: Sendable, Hashable {
        public var text: String
        public var instead: String

        public init(_ text: String, instead: String) {
            self.text = text
            self.instead = instead
        }
    }

    /// Phrases that blame the customer, dismiss them, or close the door, drawn from common support
    /// writing guides (positive language: say what you can do, not what they did wrong).
    public static let defaultNegativePhrases: [Phrase] = [
        Phrase("you should have", instead: "say what will help from here"),
        Phrase("you failed to", instead: "describe what happened, not what they did"),
        Phrase("you didn't", instead: "describe what happened, not what they did"),
        Phrase("your fault", instead: "take the problem on: \"let me fix this\""),
        Phrase("not our fault", instead: "take the problem on: \"let me fix this\""),
        Phrase("not our problem", instead: "say who can help and how"),
        Phrase("as i already said", instead: "repeat the answer kindly, or put it another way"),
        Phrase("as previously stated", instead: "repeat the answer kindly, or put it another way"),
        Phrase("calm down", instead: "acknowledge how they feel: \"I understand this is frustrating\""),
        Phrase("obviously", instead: "leave it out"),
        Phrase("that's impossible", instead: "say what is possible"),
        Phrase("there is nothing we can do", instead: "say what you can do"),
        Phrase("there's nothing we can do", instead: "say what you can do"),
        Phrase("you must", instead: "\"could you\" or \"please\""),
        Phrase("unfortunately", instead: "lead with what you can do"),
        Phrase("our policy", instead: "explain the reason, then what you can offer"),
        Phrase("no way", instead: "say what is possible"),
    ]

    public var negativePhrases: [Phrase]

    public init(negativePhrases: [Phrase] = ReplyChecklist.defaultNegativePhrases) {
        self.negativePhrases = negativePhrases
    }

    /// The findings for `draft`, in the order of the rules above.
    /// - Parameters:
    ///   - customerName: the customer's display name, if known ("Ana Lima", "Lima, Ana").
    ///   - agentName: the sending agent's name, if known.
    public func check(_ draft: String, customerName: String?, agentName: String?) -> [Finding] {
        var findings: [Finding] = []
        let words = Self.words(draft)
        if let first = customerName.flatMap(PersonName.firstName), !Self.contains(words, Self.words(first)) {
            findings.append(
                Finding(
                    rule: .customerName,
                    message: "The reply does not use the customer's name; greet them as \(first)."))
        }
        if let agentName = agentName?.trimmingCharacters(in: .whitespacesAndNewlines), !agentName.isEmpty {
            let lastLines = draft.split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.suffix(3)
            let closing = Self.words(lastLines.joined(separator: " "))
            let names = [Self.words(agentName)] + (PersonName.firstName(agentName).map { [Self.words($0)] } ?? [])
            if !names.contains(where: { !$0.isEmpty && Self.contains(closing, $0) }) {
                findings.append(
                    Finding(rule: .signature, message: "The reply is not signed; end it with your name, \(agentName)."))
            }
        }
        for phrase in negativePhrases where Self.contains(words, Self.words(phrase.text)) {
            findings.append(
                Finding(
                    rule: .negativePhrase,
                    message: "\"\(phrase.text)\" can read as negative or blaming; instead, \(phrase.instead).",
                    phrase: phrase.text))
        }
        return findings
    }

    /// Lower-cased, accent-free words (letters, digits and apostrophes), for whole-word matching.
    static func words(_ text: String) -> [Substring] {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .replacingOccurrences(of: "\u{2019}", with: "'")
        return folded.split { !($0.isLetter || $0.isNumber || $0 == "'") }
    }

    /// Whether `needle` occurs in `haystack` as consecutive words.
    static func contains(_ haystack: [Substring], _ needle: [Substring]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count)
        where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return true
        }
        return false
    }
}

/// What a reply can say about a person from their display name.
public enum PersonName {
    static let titles: Set<String> = [
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "madam", "m", "mme", "herr", "frau",
    ]

    /// The first name in a display name: "Ana Lima" → "Ana", "Lima, Ana" → "Ana", "Dr. Ana Lima" →
    /// "Ana"; `nil` for an empty name, an address, or a phone number.
    public static func firstName(_ displayName: String) -> String? {
        var name = displayName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, !name.contains("@"), name.contains(where: \.isLetter) else { return nil }
        if let comma = name.firstIndex(of: ",") {
            let after = name[name.index(after: comma)...].trimmingCharacters(in: .whitespaces)
            if !after.isEmpty { name = after }
        }
        let parts = name.split(whereSeparator: \.isWhitespace).map(String.init)
        let first = parts.first { part in
            !titles.contains(part.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ".")))
        }
        return first.flatMap { $0.contains(where: \.isLetter) ? $0 : nil }
    }
}
