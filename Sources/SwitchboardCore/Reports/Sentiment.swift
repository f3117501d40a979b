import Foundation

/// How an inbound customer message reads. Support teams see unhappy customers early (the inbox
/// and reports can show it), and rules can raise the priority of conversations whose customer
/// writes a negative message.
public enum Sentiment: String, Sendable, Hashable, Codable, CaseIterable {
    case positive, neutral, negative
}

/// A message's score: the sum of its words' weights after negation and intensifiers, and the class.
///
/// Kept with the class so that a rule or report can show why a message counts as negative, or use
/// its own cut-off on the number.
public struct SentimentScore: Sendable, Hashable {
    /// The sum of the matched words', phrases' and emoticons' weights (below zero reads unhappy).
    public var score: Double
    /// ``score`` against the scorer's threshold.
    public var sentiment: Sentiment
    /// The lexicon language that matched most words ("en", "de", "es", "fr"), nil when none matched.
    public var language: String?
}

/// Scores a customer message from word lists, without a model: it runs on every inbound message as
/// it arrives, gives the same answer every time and its reasons can be read off the lists, which
/// is what a rule that raises a conversation's priority needs.
///
/// How a message is scored:
/// - Quoted email history is dropped: lines starting with `>`, and everything from a reply
///   attribution ("On … wrote:", "Am … schrieb", "El … escribió", "Le … a écrit") or an
///   "-----Original Message-----" divider on.
/// - Emoticons and emoji (`:)`, `:-(`, 👍, 😡, …) are counted first and taken out of the text.
/// - The rest is lowercased and split into words on anything that is not a letter (an apostrophe
///   between letters stays, `’` is read as `'`; French elisions such as `n'` and `l'` become
///   words of their own) and into clauses on punctuation (`.`, `,`, `!`, `?`, `;`, `:`, brackets,
///   line breaks).
/// - Lexicon entries are matched longest first: an entry may be a phrase ("never arrived").
/// - Negation: when one of the three words before an entry, in the same clause and not part of a
///   phrase entry, is a negation word, the entry's weight is multiplied by −0.5. Negated praise is
///   a mild complaint ("not good" −1) and a negated complaint faint praise ("not bad" +1), not
///   their opposites. Phrases that contain a negation word themselves ("never arrived", "pas
///   terrible") are not negated again.
/// - Intensifier: when the word just before an entry is an intensifier, the weight is multiplied
///   by its factor ("very" 1.5, "slightly" 0.5).
/// - The language is the lexicon language with the most matched entries (ties go to the one with
///   more of its negation and intensifier words in the text, then to the larger lexicon, then to
///   the first code: a word shared by two languages' lists usually comes from the broader one).
///   Every lexicon is used for the score; a word in several lexicons takes that language's weight
///   when it has the word.
/// - ``Sentiment/positive`` when the sum is at least the threshold, ``Sentiment/negative`` when it
///   is at most minus the threshold, ``Sentiment/neutral`` otherwise.
public struct SentimentScorer: Sendable {
    /// English, German, Spanish and French lexicons.
    public static let standard = SentimentScorer(
        lexicons: standardLexicons, negations: standardNegations, intensifiers: standardIntensifiers)

    /// What a negated entry's weight is multiplied by.
    static let negationFactor = -0.5

    /// Entry (word or space-separated phrase) → weight, per language code.
    private let lexicons: [String: [String: Double]]
    /// Negation words per language code.
    private let negations: [String: Set<String>]
    /// Intensifier word → factor, per language code.
    private let intensifiers: [String: [String: Double]]
    /// The score a message needs to be positive (and minus it to be negative).
    private let threshold: Double
    /// Every language code, sorted: the order ties and shared words are settled in.
    private let languages: [String]
    /// Every lexicon's entries, a shared entry with the first language's weight.
    private let allEntries: [String: Double]
    /// Every language's negation words.
    private let allNegations: Set<String>
    /// Every intensifier, a shared one with the first language's factor.
    private let allIntensifiers: [String: Double]
    /// The number of words in the longest lexicon entry.
    private let longestEntryLength: Int

    /// A scorer with these lists, keyed by language code. Entries, negations and intensifiers are
    /// lowercased; an entry with spaces is a phrase matched word by word. Messages scoring at
    /// least `threshold` are positive, at most `-threshold` negative.
    public init(
        lexicons: [String: [String: Double]], negations: [String: Set<String>],
        intensifiers: [String: [String: Double]], threshold: Double = 1
    ) {
        self.lexicons = lexicons.mapValues { lexicon in
            Dictionary(
                lexicon.map { (Self.normalizedEntry($0.key), $0.value) }, uniquingKeysWith: { first, _ in first })
        }
        self.negations = negations.mapValues { Set($0.map(Self.normalizedEntry)) }
        self.intensifiers = intensifiers.mapValues { factors in
            Dictionary(
                factors.map { (Self.normalizedEntry($0.key), $0.value) }, uniquingKeysWith: { first, _ in first })
        }
        self.threshold = threshold
        languages = Set(lexicons.keys).union(negations.keys).union(intensifiers.keys).sorted()
        var allEntries: [String: Double] = [:]
        var allIntensifiers: [String: Double] = [:]
        for language in languages.reversed() {
            allEntries.merge(self.lexicons[language] ?? [:]) { _, earlier in earlier }
            allIntensifiers.merge(self.intensifiers[language] ?? [:]) { _, earlier in earlier }
        }
        self.allEntries = allEntries
        self.allIntensifiers = allIntensifiers
        allNegations = self.negations.values.reduce(into: Set<String>()) { $0.formUnion($1) }
        longestEntryLength = allEntries.keys.map { $0.split(separator: " ").count }.max() ?? 1
    }

    /// The score, class and language of `text` (an inbound message's plain text, quoted history and all).
    /// How much of a message is read by default: the opening of a long mail says how its writer
    /// feels, and a bounded input keeps scoring cheap whatever arrives.
    public static let defaultLimit = 8_000

    /// Scores the first `limit` characters of `text`.
    public func score(_ text: String, limit: Int = defaultLimit) -> SentimentScore {
        let head = text.utf8.count <= limit ? text : String(text.prefix(limit))
        let (emoticonScore, textWithoutEmoticons) = Self.extractingEmoticons(from: Self.newestPart(of: head))
        let clauses = Self.clauses(in: textWithoutEmoticons)
        let matches = entryMatches(in: clauses)
        let language = dominantLanguage(of: matches, in: clauses)
        // Words inside a phrase entry ("not" in "not working") do not negate or intensify the next entry.
        var phraseWords = Set<WordPosition>()
        for match in matches where match.length > 1 {
            phraseWords.formUnion(
                (match.start..<match.start + match.length).map { WordPosition(clause: match.clause, word: $0) })
        }
        var total = emoticonScore
        for match in matches {
            total += weight(of: match, in: clauses[match.clause], skipping: phraseWords, language: language)
        }
        let sentiment: Sentiment =
            if total >= threshold { .positive } else if total <= -threshold { .negative } else { .neutral }
        return SentimentScore(score: total, sentiment: sentiment, language: language)
    }

    // MARK: Matching

    /// A lexicon entry found in a clause: its words are `words[start..<start + length]`.
    private struct EntryMatch {
        var entry: String
        var clause: Int
        var start: Int
        var length: Int
    }

    /// Where a word is: its clause and its place in the clause.
    private struct WordPosition: Hashable {
        var clause: Int
        var word: Int
    }

    /// Every lexicon entry in the clauses, left to right, the longest entry at each word first.
    private func entryMatches(in clauses: [[String]]) -> [EntryMatch] {
        var matches: [EntryMatch] = []
        for (clauseIndex, words) in clauses.enumerated() {
            var start = 0
            while start < words.count {
                var length = min(longestEntryLength, words.count - start)
                while length > 0 {
                    let entry = words[start..<start + length].joined(separator: " ")
                    if allEntries[entry] != nil {
                        matches.append(EntryMatch(entry: entry, clause: clauseIndex, start: start, length: length))
                        break
                    }
                    length -= 1
                }
                start += max(length, 1)
            }
        }
        return matches
    }

    /// The language whose lexicon has the most of the matched entries; nil when none matched.
    private func dominantLanguage(of matches: [EntryMatch], in clauses: [[String]]) -> String? {
        var best: (language: String, entries: Int, functionWords: Int, size: Int)?
        for language in languages {
            let lexicon = lexicons[language] ?? [:]
            let entries = matches.count { lexicon[$0.entry] != nil }
            guard entries > 0 else { continue }
            let languageNegations = negations[language] ?? []
            let languageIntensifiers = intensifiers[language] ?? [:]
            let functionWords = clauses.joined().count {
                languageNegations.contains($0) || languageIntensifiers[$0] != nil
            }
            let rank = (entries, functionWords, lexicon.count)
            if let current = best, rank <= (current.entries, current.functionWords, current.size) { continue }
            best = (language, entries, functionWords, lexicon.count)
        }
        return best?.language
    }

    /// A match's weight in its clause: the entry's weight, negated and intensified by the words before it.
    private func weight(
        of match: EntryMatch, in words: [String], skipping phraseWords: Set<WordPosition>, language: String?
    ) -> Double {
        let languageEntries = language.flatMap { lexicons[$0] } ?? [:]
        var weight = languageEntries[match.entry] ?? allEntries[match.entry] ?? 0
        let entryWords = words[match.start..<match.start + match.length]
        let negatesItself = entryWords.contains { allNegations.contains($0) }
        let window = (max(0, match.start - 3)..<match.start).filter {
            !phraseWords.contains(WordPosition(clause: match.clause, word: $0))
        }
        if !negatesItself && window.contains(where: { allNegations.contains(words[$0]) }) {
            weight *= Self.negationFactor
        }
        if match.start > 0, !phraseWords.contains(WordPosition(clause: match.clause, word: match.start - 1)) {
            let previous = words[match.start - 1]
            let languageIntensifiers = language.flatMap { intensifiers[$0] } ?? [:]
            if let factor = languageIntensifiers[previous] ?? allIntensifiers[previous] {
                weight *= factor
            }
        }
        return weight
    }

    // MARK: Text

    /// An entry as matched: lowercased, `’` as `'`, words separated by one space.
    private static func normalizedEntry(_ entry: String) -> String {
        foldingApostrophes(entry.lowercased()).split(separator: " ").joined(separator: " ")
    }

    private static func foldingApostrophes(_ text: String) -> String {
        String(text.map { apostrophes.contains($0) ? "'" : $0 })
    }

    /// Characters read as an apostrophe: right single quotation mark, modifier letter apostrophe.
    private static let apostrophes: Set<Character> = ["\u{2019}", "\u{02BC}"]

    /// Punctuation that ends a clause: negation and intensifiers do not reach past it.
    private static let clauseBreaks: Set<Character> = [".", ",", "!", "?", ";", ":", "¡", "¿", "(", ")", "…", "–", "—"]

    /// French elisions written as their own word, so that "n'est" is "n'" and "est", "l'appli" "l'" and "appli".
    private static let elisions: Set<String> = [
        "c'", "d'", "j'", "l'", "m'", "n'", "s'", "t'", "qu'", "jusqu'", "lorsqu'", "puisqu'",
    ]

    /// The text before any quoted history: lines starting with ">" are skipped, and a reply
    /// attribution or "Original Message" divider ends the text.
    static func newestPart(of text: String) -> String {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        var kept: [Substring] = []
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces).lowercased()
            if historyDividers.contains(where: { trimmed.hasPrefix($0) }) { break }
            if isReplyAttribution(trimmed) { break }
            // Mail clients wrap a long attribution ("On …, Bob <bob@\nexample.com> wrote:").
            if index + 1 < lines.count, !trimmed.hasSuffix(":") {
                let next = lines[index + 1].trimmingCharacters(in: .whitespaces).lowercased()
                if !isReplyAttribution(next) && isReplyAttribution(trimmed + " " + next) { break }
            }
            if trimmed.hasPrefix(">") { continue }
            kept.append(line)
        }
        return kept.joined(separator: "\n")
    }

    /// Whether a lowercased line is "On … wrote:", "Am … schrieb …:", "El … escribió:" or "Le … a écrit :".
    private static func isReplyAttribution(_ line: String) -> Bool {
        guard line.hasSuffix(":") else { return false }
        return attributions.contains { line.hasPrefix($0.opening) && line.contains($0.verb) }
    }

    private static let attributions: [(opening: String, verb: String)] = [
        ("on ", " wrote"), ("am ", " schrieb"), ("el ", " escribió"), ("le ", " a écrit"),
    ]

    /// Outlook's line above a forwarded or quoted message, lowercased, in the four languages.
    private static let historyDividers = [
        "-----original message", "-----ursprüngliche nachricht", "-----mensaje original", "-----message d'origine",
    ]

    /// The emoticons' and emoji's summed weight, and the text with each of them replaced by a space.
    static func extractingEmoticons(from text: String) -> (score: Double, text: String) {
        let characters = Array(text)
        var remainder = ""
        var score = 0.0
        var index = 0
        scanning: while index < characters.count {
            // Skin tones and variation selectors follow the emoji's first scalar in the same character.
            if let scalar = characters[index].unicodeScalars.first, let weight = emojiWeights[scalar] {
                score += weight
                remainder.append(" ")
                index += 1
                continue
            }
            for (emoticon, weight) in textEmoticons where characters[index...].starts(with: emoticon) {
                let end = index + emoticon.count
                // ":D" in "Re:Delivery" is not a smile.
                if end < characters.count, characters[end].isLetter || characters[end].isNumber { continue }
                score += weight
                remainder.append(" ")
                index = end
                continue scanning
            }
            remainder.append(characters[index])
            index += 1
        }
        return (score, remainder)
    }

    /// The text's words, lowercased, in clauses.
    static func clauses(in text: String) -> [[String]] {
        let characters = Array(foldingApostrophes(text.lowercased()))
        var clauses: [[String]] = []
        var clause: [String] = []
        var word = ""
        for (index, character) in characters.enumerated() {
            let insideWord = !word.isEmpty && index + 1 < characters.count && characters[index + 1].isLetter
            if character.isLetter || (character == "'" && insideWord) {
                word.append(character)
                continue
            }
            clause.append(contentsOf: splittingElision(word))
            word = ""
            if character.isNewline || clauseBreaks.contains(character), !clause.isEmpty {
                clauses.append(clause)
                clause = []
            }
        }
        clause.append(contentsOf: splittingElision(word))
        if !clause.isEmpty { clauses.append(clause) }
        return clauses
    }

    /// A word, or a French elision and the rest ("n'est" → "n'", "est"); nothing for an empty word.
    private static func splittingElision(_ word: String) -> [String] {
        guard !word.isEmpty else { return [] }
        guard let apostrophe = word.firstIndex(of: "'") else { return [word] }
        let elision = String(word[...apostrophe])
        guard elisions.contains(elision) else { return [word] }
        return [elision, String(word[word.index(after: apostrophe)...])]
    }
}
