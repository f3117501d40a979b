/// Why a text is not a phone number; `message` says what a valid value looks like (fit for an admin or an API client).
///
/// It exists so that callers get one typed reason per libphonenumber parse error, plus a message
/// they can show as it is. libphonenumber's errors map as: NOT_A_NUMBER -> `notANumber`;
/// INVALID_COUNTRY_CODE -> `invalidCountryCode`, except when there was no usable default region and
/// no "+" (libphonenumber reports that as INVALID_COUNTRY_CODE too) -> `missingRegion`;
/// TOO_SHORT_NSN and TOO_SHORT_AFTER_IDD -> `tooShort`; TOO_LONG -> `tooLong`.
public struct PhoneNumberError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure, for code that reacts to it (the `message` is for people).
    public enum Reason: String, Sendable { case notANumber, invalidCountryCode, missingRegion, tooShort, tooLong }

    public let input: String
    public let reason: Reason
    public let message: String

    public var description: String { message }

    init(input: String, reason: Reason, message: String) {
        self.input = input
        self.reason = reason
        self.message = message
    }

    init(input: String, failure: PhoneNumberParser.Failure, defaultRegion: String?) {
        let quoted = Self.quote(input)
        let example = "such as +33 1 23 45 67 89 or +1 650 253 0000"
        switch failure {
        case .notANumber:
            self.init(
                input: input, reason: .notANumber,
                message: "\(quoted) is not a phone number: expected digits, best in international form "
                    + "(+, country calling code, number), \(example).")
        case .invalidCountryCode:
            self.init(
                input: input, reason: .invalidCountryCode,
                message: "\(quoted) does not start with a known country calling code: after the + (or the "
                    + "international prefix, such as 00) comes the country code, as in +33 for France or +1 for "
                    + "the United States and Canada, \(example).")
        case .missingRegion:
            let region: String
            if let defaultRegion, !defaultRegion.isEmpty {
                region = "the default region \(Self.quote(defaultRegion)) is not a known ISO 3166 region code"
            } else {
                region = "no default region was given"
            }
            self.init(
                input: input, reason: .missingRegion,
                message: "\(quoted) has no country calling code and \(region): write it in international form "
                    + "starting with + and the country code, \(example), or give a default region such as \"FR\".")
        case .tooShortAfterIDD, .tooShortNSN:
            self.init(
                input: input, reason: .tooShort,
                message: "\(quoted) has too few digits for a phone number: a full number has the country code "
                    + "and the national number, \(example).")
        case .tooLong:
            self.init(
                input: input, reason: .tooLong,
                message:
                    "\(quoted) is too long for a phone number: at most \(PhoneNumberParser.maxNationalNumberLength) "
                    + "digits after the country code and \(PhoneNumberParser.maxInputLength) characters in all, "
                    + "\(example).")
        }
    }

    /// The input in quotes, shortened to 40 characters, for messages.
    private static func quote(_ text: String) -> String {
        let shown = text.count > 40 ? String(text.prefix(39)) + "…" : text
        return "\"\(shown)\""
    }
}
