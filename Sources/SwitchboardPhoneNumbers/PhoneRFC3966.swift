/// libphonenumber's reading of RFC 3966 `tel:` URIs (`tel:+33-1-23-45-67-89`,
/// `tel:01-23-45-67-89;phone-context=+33`) and of everything else handed to `parse()`.
///
/// It exists as the port of `_build_national_number_for_parsing`, `_extract_phone_context` and
/// `_is_phone_context_valid`: the first step of parsing, which picks the part of the input that
/// holds the number.
enum PhoneRFC3966 {
    typealias Scalars = [Unicode.Scalar]

    private static let phoneContextParameter = ";phone-context="
    private static let prefix = "tel:"
    private static let isdnSubaddressParameter = ";isub="

    /// Why the input was refused at this step (always libphonenumber's NOT_A_NUMBER).
    struct InvalidPhoneContext: Error {}

    /// `_build_national_number_for_parsing`: with a `;phone-context=` parameter, the context (when it
    /// is a "+" global number prefix) followed by what stands between "tel:" and the parameter;
    /// otherwise the possible number extracted from the text. An `;isub=` sub-address is cut off.
    static func nationalNumberForParsing(_ input: Scalars) throws(InvalidPhoneContext) -> Scalars {
        let contextIndex = PhoneSyntax.find(phoneContextParameter, in: input)
        let context = contextIndex.map { phoneContext(input, parameterAt: $0) }
        var national: Scalars
        if let contextIndex, let context {
            guard isValid(context: context) else { throw InvalidPhoneContext() }
            national = context.first == "+" ? context : []
            let start = PhoneSyntax.find(prefix, in: input).map { $0 + prefix.unicodeScalars.count } ?? 0
            // Python's slice input[start:contextIndex] is empty when start is past the end.
            if start < contextIndex { national += input[start..<contextIndex] }
        } else {
            national = PhoneSyntax.extractPossibleNumber(input)
        }
        if let isdnIndex = PhoneSyntax.find(isdnSubaddressParameter, in: national), isdnIndex > 0 {
            national.removeSubrange(isdnIndex...)
        }
        return national
    }

    /// `_extract_phone_context`: the value of the parameter, up to the next ";" (maybe empty).
    private static func phoneContext(_ input: Scalars, parameterAt index: Int) -> Scalars {
        let start = index + phoneContextParameter.unicodeScalars.count
        guard start < input.count else { return [] }
        let end = input[start...].firstIndex(of: ";") ?? input.count
        return Array(input[start..<end])
    }

    /// `_is_phone_context_valid`: a global number prefix ("+" then digits and visual separators,
    /// at least one digit) or a domain name.
    private static func isValid(context: Scalars) -> Bool {
        guard !context.isEmpty else { return false }
        return isGlobalNumberDigits(context) || isDomainName(context)
    }

    /// `_RFC3966_GLOBAL_NUMBER_DIGITS`: `^\+(\d|[-.()]?)*\d(\d|[-.()]?)*$`.
    private static func isGlobalNumberDigits(_ context: Scalars) -> Bool {
        guard context.first == "+" else { return false }
        let rest = context.dropFirst()
        let separators: Set<Unicode.Scalar> = ["-", ".", "(", ")"]
        return rest.contains(where: PhoneSyntax.isDecimalDigit)
            && rest.allSatisfy { PhoneSyntax.isDecimalDigit($0) || separators.contains($0) }
    }

    /// `_RFC3966_DOMAINNAME`: `^(domainlabel\.)*toplabel\.?$`, where a label is letters and digits
    /// with inner hyphens and the top label starts with a letter.
    private static func isDomainName(_ context: Scalars) -> Bool {
        var name = context[...]
        if name.last == "." { name = name.dropLast() }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard let top = labels.last, let first = top.first, isASCIILetter(first) else { return false }
        return labels.allSatisfy(isLabel)
    }

    private static func isLabel(_ label: ArraySlice<Unicode.Scalar>) -> Bool {
        guard let first = label.first, let last = label.last, isAlphanumeric(first), isAlphanumeric(last)
        else { return false }
        return label.allSatisfy { isAlphanumeric($0) || $0 == "-" }
    }

    private static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
        ("A"..."Z").contains(scalar) || ("a"..."z").contains(scalar)
    }

    /// `_ALPHANUM`: ASCII letters and decimal digits of any script.
    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        isASCIILetter(scalar) || PhoneSyntax.isDecimalDigit(scalar)
    }
}
