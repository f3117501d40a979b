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
    /// What the lists say about each word they name, so a word of a message costs one lookup.
    private let wordFacts: [String: WordFacts]

    /// A word of the lists: an entry by itself, the start of a phrase entry, a negation or
    /// intensifier of some languages.
    private struct WordFacts: Sendable {
        var isEntry = false
        var startsPhrase = false
        var functionWordLanguages: [String] = []
    }

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
        var wordFacts: [String: WordFacts] = [:]
        for entry in allEntries.keys {
            if entry.contains(" ") {
                if let first = entry.split(separator: " ").first {
                    wordFacts[String(first), default: .init()].startsPhrase = true
                }
            } else {
                wordFacts[entry, default: .init()].isEntry = true
            }
        }
        for language in languages {
            let words = (self.negations[language] ?? []).union((self.intensifiers[language] ?? [:]).keys)
            for word in words { wordFacts[word, default: .init()].functionWordLanguages.append(language) }
        }
        self.wordFacts = wordFacts
    }

    /// How much of a message is read by default: the opening of a long mail says how its writer
    /// feels, and a bounded input keeps scoring cheap (it runs on every inbound message, before
    /// the store writes it) whatever arrives.
    public static let defaultLimit = 1_000

    /// The score, class and language of the first `limit` characters of `text` (an inbound
    /// message's plain text, quoted history and all).
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
                // A word the lists do not name costs one lookup; only a phrase's first word is tried as a phrase.
                guard let facts = wordFacts[words[start]] else {
                    start += 1
                    continue
                }
                var matched = 0
                if facts.startsPhrase {
                    var length = min(longestEntryLength, words.count - start)
                    while length > 1 {
                        let entry = words[start..<start + length].joined(separator: " ")
                        if allEntries[entry] != nil {
                            matches.append(EntryMatch(entry: entry, clause: clauseIndex, start: start, length: length))
                            matched = length
                            break
                        }
                        length -= 1
                    }
                }
                if matched == 0, facts.isEntry {
                    matches.append(EntryMatch(entry: words[start], clause: clauseIndex, start: start, length: 1))
                    matched = 1
                }
                start += max(matched, 1)
            }
        }
        return matches
    }

    /// The language whose lexicon has the most of the matched entries; nil when none matched.
    private func dominantLanguage(of matches: [EntryMatch], in clauses: [[String]]) -> String? {
        var best: (language: String, entries: Int, functionWords: Int, size: Int)?
        // Negation and intensifier words per language, counted in one pass over the words.
        var functionWordCounts: [String: Int] = [:]
        if !matches.isEmpty {
            for word in clauses.joined() {
                for language in wordFacts[word]?.functionWordLanguages ?? [] {
                    functionWordCounts[language, default: 0] += 1
                }
            }
        }
        for language in languages {
            let lexicon = lexicons[language] ?? [:]
            let entries = matches.count { lexicon[$0.entry] != nil }
            guard entries > 0 else { continue }
            let functionWords = functionWordCounts[language] ?? 0
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
        String(String.UnicodeScalarView(text.unicodeScalars.map { apostrophes.contains($0) ? "'" : $0 }))
    }

    /// Characters read as an apostrophe: right single quotation mark, modifier letter apostrophe.
    private static let apostrophes: Set<Unicode.Scalar> = ["\u{2019}", "\u{02BC}"]

    /// Punctuation that ends a clause: negation and intensifiers do not reach past it.
    private static let clauseBreakScalars: Set<Unicode.Scalar> = [
        ".", ",", "!", "?", ";", ":", "¡", "¿", "(", ")", "…", "–", "—",
    ]

    /// French elisions written as their own word, so that "n'est" is "n'" and "est", "l'appli" "l'" and "appli".
    private static let elisions: Set<String> = [
        "c'", "d'", "j'", "l'", "m'", "n'", "s'", "t'", "qu'", "jusqu'", "lorsqu'", "puisqu'",
    ]

    /// The text before any quoted history: lines starting with ">" are skipped, and a reply
    /// attribution or "Original Message" divider ends the text. Only lines that could be one of
    /// those (a `>` or `-` first, a `:` last, or a `:` last on the next line) are looked at closely.
    static func newestPart(of text: String) -> String {
        let lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Substring.init)
        var kept: [Substring] = []
        for (index, line) in lines.enumerated() {
            let first = line.first { !$0.isWhitespace }
            if first == "-", historyDividers.contains(where: { lowered(line).hasPrefix($0) }) { break }
            if endsWithColon(line), isReplyAttribution(lowered(line)) { break }
            // Mail clients wrap a long attribution ("On …, Bob <bob@\nexample.com> wrote:").
            if !endsWithColon(line), index + 1 < lines.count, endsWithColon(lines[index + 1]) {
                let next = lowered(lines[index + 1])
                if !isReplyAttribution(next) && isReplyAttribution(lowered(line) + " " + next) { break }
            }
            if first == ">" { continue }
            kept.append(line)
        }
        return kept.count == lines.count ? text : kept.joined(separator: "\n")
    }

    private static func endsWithColon(_ line: Substring) -> Bool { line.last { !$0.isWhitespace } == ":" }

    private static func lowered(_ line: Substring) -> String { line.trimmingCharacters(in: .whitespaces).lowercased() }

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
    /// The text emoticons as scalars, and the scalars they start with (`:`, `;`, `=`).
    static let textEmoticonScalars = textEmoticons.map {
        (scalars: Array($0.emoticon.unicodeScalars), weight: $0.weight)
    }
    static let emoticonStarts = Set(textEmoticonScalars.compactMap(\.scalars.first))

    /// Works on Unicode scalars, not Characters: it runs on every inbound message, and a
    /// Character-by-Character pass cost about a microsecond per character.
    static func extractingEmoticons(from text: String) -> (score: Double, text: String) {
        let scalars = Array(text.unicodeScalars)
        var remainder = String.UnicodeScalarView()
        var score = 0.0
        var index = 0
        scanning: while index < scalars.count {
            let scalar = scalars[index]
            if !scalar.isASCII, let weight = emojiWeights[scalar] {
                score += weight
                remainder.append(" ")
                index += 1
                // Skin tones, variation selectors and joined parts belong to the same emoji.
                while index < scalars.count, emojiContinuations.contains(scalars[index]) {
                    index += scalars[index] == "\u{200D}" ? 2 : 1
                }
                continue
            }
            if emoticonStarts.contains(scalar) {
                for (emoticon, weight) in textEmoticonScalars where scalars[index...].starts(with: emoticon) {
                    let end = index + emoticon.count
                    // ":D" in "Re:Delivery" is not a smile.
                    if end < scalars.count, isLetter(scalars[end]) || scalars[end].properties.numericType != nil {
                        continue
                    }
                    score += weight
                    remainder.append(" ")
                    index = end
                    continue scanning
                }
            }
            remainder.append(scalar)
            index += 1
        }
        return (score, String(remainder))
    }

    /// Scalars that continue an emoji: skin tones, variation selector 16, zero-width joiner.
    private static let emojiContinuations: Set<Unicode.Scalar> = Set(
        (0x1F3FB...0x1F3FF).compactMap(Unicode.Scalar.init) + ["\u{FE0F}", "\u{200D}"])

    /// A letter, or a mark that belongs to one (a combining accent); ASCII is decided without a
    /// table lookup.
    static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let value = scalar.value
            return (97...122).contains(value) || (65...90).contains(value)
        }
        let properties = scalar.properties
        return properties.isAlphabetic || properties.generalCategory == .nonspacingMark
    }

    private static func isNewline(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A...0x0D, 0x85, 0x2028, 0x2029: true
        default: false
        }
    }

    /// The text's words, lowercased, in clauses.
    static func clauses(in text: String) -> [[String]] {
        let scalars = Array(text.lowercased().unicodeScalars)
        var clauses: [[String]] = []
        var clause: [String] = []
        var word = String.UnicodeScalarView()
        for index in scalars.indices {
            var scalar = scalars[index]
            if apostrophes.contains(scalar) { scalar = "'" }
            let insideWord = !word.isEmpty && index + 1 < scalars.count && isLetter(scalars[index + 1])
            if isLetter(scalar) || (scalar == "'" && insideWord) {
                word.append(scalar)
                continue
            }
            appendSplittingElision(String(word), to: &clause)
            word = String.UnicodeScalarView()
            if isNewline(scalar) || clauseBreakScalars.contains(scalar), !clause.isEmpty {
                clauses.append(clause)
                clause = []
            }
        }
        appendSplittingElision(String(word), to: &clause)
        if !clause.isEmpty { clauses.append(clause) }
        return clauses
    }

    /// Appends a word, or a French elision and the rest ("n'est" → "n'", "est"); nothing for an empty word.
    private static func appendSplittingElision(_ word: String, to clause: inout [String]) {
        guard !word.isEmpty else { return }
        guard word.utf8.contains(UInt8(ascii: "'")), let apostrophe = word.firstIndex(of: "'"),
            elisions.contains(String(word[...apostrophe]))
        else {
            clause.append(word)
            return
        }
        clause.append(String(word[...apostrophe]))
        clause.append(String(word[word.index(after: apostrophe)...]))
    }
}
