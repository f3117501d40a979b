import Foundation

/// A regular expression from libphonenumber, compiled once (on first use) and shared by every parse.
///
/// It exists because `NSRegularExpression` is not `Sendable`, while the metadata that owns the
/// patterns is shared across threads and tasks, and compiling ICU patterns on every parse would be
/// far too slow. The type gives the two ways libphonenumber applies a pattern: Python's
/// `re.match` (anchored at the start, first match by priority) and `fullmatch` (the whole text).
///
/// `@unchecked Sendable`: the only mutable state, `compiled`, is read and written under `lock`;
/// `NSRegularExpression` is immutable once created and documented as safe to use from several
/// threads at once.
final class PhonePattern: @unchecked Sendable {
    /// The pattern as libphonenumber's metadata (or code) spells it.
    let source: String
    private let caseInsensitive: Bool
    private let lock = NSLock()
    /// nil until first use; then the prefix-matching regex and the whole-text regex.
    private var compiled: (prefix: NSRegularExpression?, whole: NSRegularExpression?)?

    init(_ source: String, caseInsensitive: Bool = false) {
        self.source = source
        self.caseInsensitive = caseInsensitive
    }

    private func regexes() -> (prefix: NSRegularExpression?, whole: NSRegularExpression?) {
        lock.lock()
        defer { lock.unlock() }
        if let compiled { return compiled }
        let options: NSRegularExpression.Options = caseInsensitive ? [.caseInsensitive] : []
        // A pattern that ICU rejects matches nothing; the unit tests compile every metadata pattern.
        let prefix = try? NSRegularExpression(pattern: source, options: options)
        let whole = try? NSRegularExpression(pattern: "\\A(?:" + source + ")\\z", options: options)
        let result = (prefix: prefix, whole: whole)
        compiled = result
        return result
    }

    /// Whether ICU accepts the pattern (for the tests).
    var compiles: Bool {
        let regexes = regexes()
        return regexes.prefix != nil && regexes.whole != nil
    }

    /// Python's `pattern.fullmatch(text) is not None`: some way of matching consumes all of `text`.
    func matchesWhole(_ text: String) -> Bool {
        guard let regex = regexes().whole else { return false }
        let range = NSRange(location: 0, length: text.utf16.count)
        return regex.firstMatch(in: text, options: [.anchored], range: range) != nil
    }

    /// Python's `pattern.match(text)`: the first match (by the pattern's priorities) that starts at
    /// the beginning of `text`, or nil.
    func matchAtStart(_ text: String) -> PhonePatternMatch? {
        guard let regex = regexes().prefix else { return nil }
        let range = NSRange(location: 0, length: text.utf16.count)
        guard let result = regex.firstMatch(in: text, options: [.anchored], range: range) else { return nil }
        return PhonePatternMatch(text: text, result: result)
    }

    /// Python's `pattern.search(text)`: the leftmost match anywhere in `text`, or nil.
    func firstMatch(in text: String) -> PhonePatternMatch? {
        guard let regex = regexes().prefix else { return nil }
        let range = NSRange(location: 0, length: text.utf16.count)
        guard let result = regex.firstMatch(in: text, options: [], range: range) else { return nil }
        return PhonePatternMatch(text: text, result: result)
    }
}

/// One match of a `PhonePattern`, with the positions turned back into Unicode scalar offsets
/// (Python's string indices), since `NSRegularExpression` reports UTF-16 offsets.
struct PhonePatternMatch {
    /// Scalar offset where the match starts.
    let start: Int
    /// Scalar offset just past the match.
    let end: Int
    /// Each capture group's text, nil where the group did not take part (index 0: the whole match).
    let groups: [String?]

    init(text: String, result: NSTextCheckingResult) {
        func scalarOffset(_ utf16Offset: Int) -> Int {
            let utf16 = text.utf16
            let index = utf16.index(utf16.startIndex, offsetBy: utf16Offset)
            return text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: index)
        }
        start = scalarOffset(result.range.location)
        end = scalarOffset(result.range.location + result.range.length)
        var groups: [String?] = []
        for group in 0..<result.numberOfRanges {
            let range = result.range(at: group)
            if range.location == NSNotFound {
                groups.append(nil)
            } else if let swiftRange = Range(range, in: text) {
                groups.append(String(text.unicodeScalars[swiftRange]))
            } else {
                groups.append(nil)
            }
        }
        self.groups = groups
    }

    /// The number of capture groups the pattern has (Python's `len(match.groups())`).
    var groupCount: Int { groups.count - 1 }
}
