import Foundation

/// The region-independent text rules of libphonenumber's `parse()`: which characters may start a
/// number, what is stripped from its end, what counts as a viable number, how extensions are
/// recognised and how digits (of any script, or letters on a keypad) become ASCII digits.
///
/// It exists to keep these ports of `phonenumberutil.py` (`_extract_possible_number`,
/// `_is_viable_phone_number`, `_maybe_strip_extension`, `_normalize`) in one place, separate from
/// the metadata-driven steps. Text is handled as Unicode scalars, as Python indexes strings by code
/// point, not by grapheme cluster as Swift's `String` does.
enum PhoneSyntax {
    typealias Scalars = [Unicode.Scalar]

    // MARK: Character classes (the Python module's constants, as ICU pattern text)

    /// `_VALID_PUNCTUATION`: dashes, spaces, dots, slashes, brackets, tildes and "x" (a carrier
    /// code placeholder), with their full-width forms.
    static let validPunctuation =
        "\\-x\\u2010-\\u2015\\u2212\\u30FC\\uFF0D-\\uFF0F\\u0020\\u00A0\\u00AD\\u200B\\u2060\\u3000"
        + "\\(\\)\\uFF08\\uFF09\\uFF3B\\uFF3D\\.\\[\\]/~\\u2053\\u223C\\uFF5E"
    /// `_PLUS_CHARS`: "+" and the full-width plus.
    static let plusChars = "+\\uFF0B"

    /// The letter "i" as Python's case-insensitive matching sees it: it also matches "İ" (U+0130)
    /// and "ı" (U+0131), which ICU's case folding does not relate to "i". (The other differences,
    /// "ſ" for "s" and the Kelvin sign for "k", ICU shares.)
    private static let letterI = "[i\\u0130\\u0131]"
    /// `_VALID_ALPHA` under Python's case-insensitive matching (see `letterI`).
    static let validAlpha = "A-Za-z\\u0130\\u0131"

    /// `_extn_digits(max)`: a capture group of 1...max digits.
    private static func extensionDigits(_ maximum: Int) -> String { "(\\d{1,\(maximum)})" }

    /// `_create_extn_pattern(for_parsing=True)`: every way of writing an extension.
    static let extensionPatternsForParsing: String = {
        let separatorsBeforeLabel = "[\\u0020\\u00A0\\t,]*"
        let charsAfterLabel = "[\\:\\.\\uFF0E]?[\\u0020\\u00A0\\t,\\-]*"
        let optionalSuffix = "#?"
        let explicitLabels =
            "(?:e?xt(?:ens" + letterI
            + "(?:o\\u0301?|\\u00F3))?n?|\\uFF45?\\uFF58\\uFF54\\uFF4E?|\\u0434\\u043E\\u0431|anexo)"
        let ambiguousLabels = "(?:[x\\uFF58#\\uFF03~\\uFF5E]|" + letterI + "nt|\\uFF49\\uFF4E\\uFF54)"
        let ambiguousSeparator = "[\\-\\u0020]+"
        let rfc = ";ext=" + extensionDigits(20)
        let explicit =
            separatorsBeforeLabel + explicitLabels + charsAfterLabel + extensionDigits(20) + optionalSuffix
        let ambiguous =
            separatorsBeforeLabel + ambiguousLabels + charsAfterLabel + extensionDigits(9) + optionalSuffix
        let americanWithSuffix = ambiguousSeparator + extensionDigits(6) + "#"
        let separatorsNoComma = "[\\u0020\\u00A0\\t]*"
        let autoDialling =
            separatorsNoComma + "(?:,{2}|;)" + charsAfterLabel + extensionDigits(15) + optionalSuffix
        let onlyCommas = separatorsNoComma + "(?:,)+" + charsAfterLabel + extensionDigits(9) + optionalSuffix
        return [rfc, explicit, ambiguous, americanWithSuffix, autoDialling, onlyCommas].joined(separator: "|")
    }()

    /// `_VALID_PHONE_NUMBER_PATTERN`: two digits alone, or at least three digits among punctuation,
    /// stars and letters, optionally followed by an extension. Case-insensitive, as in Python.
    static let viablePhoneNumber = PhonePattern(
        "\\d{2}|[" + plusChars + "]*(?:[" + validPunctuation + "\\*]*\\d){3,}[" + validPunctuation
            + "\\*" + validAlpha + "\\d]*(?:" + extensionPatternsForParsing + ")?",
        caseInsensitive: true
    )

    /// `_EXTN_PATTERN`: an extension at the end of the text.
    static let extensionAtEnd = PhonePattern("(?:" + extensionPatternsForParsing + ")$", caseInsensitive: true)

    // MARK: Scalar classes

    /// Python's `\d` in a Unicode pattern (Java's `\p{Nd}`): any decimal digit, of any script.
    static func isDecimalDigit(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return ("0"..."9").contains(scalar) }
        return scalar.properties.generalCategory == .decimalNumber
    }

    /// `_PLUS_CHARS`.
    static func isPlus(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "+" || scalar == "\u{FF0B}"
    }

    /// Python's `str.isalnum()`, which makes up `\w` with "_": letters and numbers of any script.
    private static func isLetterOrNumber(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return true
        default:
            return scalar.properties.numericType != nil
        }
    }

    static func string(_ scalars: some Sequence<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    /// The number of leading plus characters (`_PLUS_CHARS_PATTERN.match`).
    static func leadingPlusCount(_ scalars: Scalars) -> Int {
        scalars.prefix { isPlus($0) }.count
    }

    /// Python's `str.find`: the offset of the first occurrence of `needle` at or after `start`, or nil.
    static func find(_ needle: String, in haystack: Scalars, from start: Int = 0) -> Int? {
        let needle = Array(needle.unicodeScalars)
        var offset = start
        while offset + needle.count <= haystack.count {
            if haystack[offset..<(offset + needle.count)].elementsEqual(needle) { return offset }
            offset += 1
        }
        return nil
    }

    // MARK: Steps of parse()

    /// `_extract_possible_number`: drops everything before the first plus sign or digit, the
    /// trailing characters that are neither letters, numbers nor "#", and a second number started
    /// by "/x" or "\x".
    static func extractPossibleNumber(_ scalars: Scalars) -> Scalars {
        guard let start = scalars.firstIndex(where: { isPlus($0) || isDecimalDigit($0) }) else { return [] }
        var number = Array(scalars[start...])
        while let last = number.last, last == "_" || (last != "#" && !isLetterOrNumber(last)) {
            number.removeLast()
        }
        // _SECOND_NUMBER_START: [\\/] *x
        for index in number.indices where number[index] == "/" || number[index] == "\\" {
            var next = index + 1
            while next < number.count, number[next] == " " { next += 1 }
            if next < number.count, number[next] == "x" {
                number.removeSubrange(index...)
                break
            }
        }
        return number
    }

    /// `_is_viable_phone_number`.
    static func isViable(_ scalars: Scalars) -> Bool {
        guard scalars.count >= 2 else { return false }
        if let plain = isPlainViable(scalars) { return plain }
        return viablePhoneNumber.matchesWhole(string(scalars))
    }

    /// Common separators that cannot be part of an extension or a vanity number (all are in
    /// `_VALID_PUNCTUATION`).
    private static let plainSeparators: Set<Unicode.Scalar> = [" ", "-", ".", "(", ")", "/", "\u{A0}", "\u{3000}"]

    /// The answer of the viability pattern for the usual case, leading plus signs then only digits
    /// and `plainSeparators`, without running it: viable with at least three digits (or exactly two
    /// digits and nothing else). nil for anything else, which the pattern decides.
    private static func isPlainViable(_ scalars: Scalars) -> Bool? {
        var digits = 0
        var separators = 0
        for scalar in scalars.dropFirst(leadingPlusCount(scalars)) {
            if isDecimalDigit(scalar) {
                digits += 1
            } else if plainSeparators.contains(scalar) {
                separators += 1
            } else {
                return nil
            }
        }
        if digits >= 3 { return true }
        return digits == 2 && separators == 0 && leadingPlusCount(scalars) == 0
    }

    /// `_maybe_strip_extension`, keeping only the number: an extension is dropped when what
    /// precedes it is still a viable number. (E.164 has no extensions, so the digits are not kept.)
    static func strippingExtension(_ scalars: Scalars) -> Scalars {
        // Every form of extension needs a label letter or one of "#＃~～;,": without any, skip the search.
        if scalars.allSatisfy({ isPlus($0) || isDecimalDigit($0) || plainSeparators.contains($0) }) {
            return scalars
        }
        let text = string(scalars)
        guard let match = extensionAtEnd.firstMatch(in: text) else { return scalars }
        let number = Array(scalars[..<match.start])
        guard isViable(number), match.groups.dropFirst().contains(where: { $0 != nil }) else { return scalars }
        return number
    }

    /// `_normalize`: with three or more ASCII letters the text is a vanity number and letters become
    /// keypad digits (other characters, non-ASCII digits included, are dropped); otherwise every
    /// digit of any script becomes its ASCII digit and everything else is dropped.
    static func normalize(_ scalars: some Collection<Unicode.Scalar>) -> String {
        let letters = scalars.lazy.filter { ("A"..."Z").contains($0) || ("a"..."z").contains($0) }.count
        let isVanity = letters >= 3 && !scalars.contains("\n")
        var digits = String.UnicodeScalarView()
        for scalar in scalars {
            if ("0"..."9").contains(scalar) {
                digits.append(scalar)
            } else if isVanity {
                if let digit = keypadDigit(scalar) { digits.append(digit) }
            } else if !scalar.isASCII, let value = digitValue(scalar), let digit = Unicode.Scalar(0x30 + UInt32(value))
            {
                digits.append(digit)
            }
        }
        return String(digits)
    }

    /// Python's `unicodedata.digit(c)`: the value of a decimal digit or other digit character.
    private static func digitValue(_ scalar: Unicode.Scalar) -> Int? {
        let properties = scalar.properties
        guard properties.numericType == .decimal || properties.numericType == .digit,
            let value = properties.numericValue, value >= 0, value <= 9
        else { return nil }
        return Int(value)
    }

    /// `_ALPHA_PHONE_MAPPINGS[c.upper()]`: ASCII digits stay, letters become their E.161 keypad digit.
    private static let keypad: [Unicode.Scalar: Unicode.Scalar] = [
        "A": "2", "B": "2", "C": "2", "D": "3", "E": "3", "F": "3", "G": "4", "H": "4", "I": "4",
        "J": "5", "K": "5", "L": "5", "M": "6", "N": "6", "O": "6", "P": "7", "Q": "7", "R": "7",
        "S": "7", "T": "8", "U": "8", "V": "8", "W": "9", "X": "9", "Y": "9", "Z": "9",
    ]

    private static func keypadDigit(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
        let upper = String(scalar).uppercased().unicodeScalars
        guard upper.count == 1, let character = upper.first else { return nil }
        if ("0"..."9").contains(character) { return character }
        return keypad[character]
    }
}
