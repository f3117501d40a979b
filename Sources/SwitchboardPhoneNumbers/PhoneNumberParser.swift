/// A faithful port of libphonenumber's `parse()` (Python `phonenumbers.phonenumberutil.parse`,
/// version in `PhoneRegions.metadataVersion`), reduced to what E.164 needs: the country calling code
/// and the national significant number.
///
/// It exists so that Switchboard files a customer's number under exactly the E.164 form that
/// libphonenumber would give, whatever way the number was written. The function names in the
/// comments are the Python ones, to make the port easy to check against the original.
enum PhoneNumberParser {
    typealias Scalars = [Unicode.Scalar]

    /// libphonenumber's `NumberParseException` error types, plus `missingRegion`, which is its
    /// INVALID_COUNTRY_CODE raised by `_check_region_for_parsing` (no usable region and no "+").
    enum Failure: Error, Equatable {
        case notANumber
        case invalidCountryCode
        case missingRegion
        case tooShortAfterIDD
        case tooShortNSN
        case tooLong
    }

    static let maxInputLength = 250
    static let minNationalNumberLength = 2
    static let maxNationalNumberLength = 17
    private static let maxCountryCodeLength = 3

    /// `parse(raw, region)`: the country calling code and the national significant number.
    /// `region` must already be upper case (libphonenumber's region codes are).
    static func parse(_ raw: String, region: String?) throws(Failure) -> (countryCode: Int, nationalNumber: String) {
        let store = PhoneMetadataStore.shared
        let input = Array(raw.unicodeScalars)
        guard input.count <= maxInputLength else { throw .tooLong }
        var national: Scalars
        do {
            national = try PhoneRFC3966.nationalNumberForParsing(input)
        } catch {
            throw .notANumber
        }
        guard PhoneSyntax.isViable(national) else { throw .notANumber }
        let regionMetadata = region.flatMap { store.metadata(forRegion: $0) }
        // _check_region_for_parsing
        if regionMetadata == nil && PhoneSyntax.leadingPlusCount(national) == 0 { throw .missingRegion }
        national = PhoneSyntax.strippingExtension(national)

        var (countryCode, nationalNumber) = (0, "")
        do {
            (countryCode, nationalNumber) = try extractCountryCode(national, metadata: regionMetadata)
        } catch .invalidCountryCode where PhoneSyntax.leadingPlusCount(national) > 0 {
            // Strip the plus signs and try again (e.g. "+011 44 ..." typed with a US region).
            let withoutPlus = Array(national.dropFirst(PhoneSyntax.leadingPlusCount(national)))
            (countryCode, nationalNumber) = try extractCountryCode(withoutPlus, metadata: regionMetadata)
            if countryCode == 0 { throw .invalidCountryCode }
        }

        let metadata: RegionMetadata
        if countryCode != 0 {
            // The main region of the code (libphonenumber swaps in its metadata when it differs).
            guard let numberMetadata = store.metadata(forCountryCode: countryCode) else { throw .invalidCountryCode }
            metadata = numberMetadata
        } else {
            // No country calling code in the number: it is national, in the default region.
            guard let regionMetadata else { throw .missingRegion }
            metadata = regionMetadata
            countryCode = regionMetadata.countryCode
            nationalNumber = PhoneSyntax.normalize(national)
        }
        guard nationalNumber.count >= minNationalNumberLength else { throw .tooShortNSN }

        // Keep the number without its national prefix only when that is a possible length.
        let stripped = stripNationalPrefixAndCarrierCode(nationalNumber, metadata: metadata).number
        switch metadata.testLength(stripped) {
        case .tooShort, .isPossibleLocalOnly, .invalidLength: break
        case .isPossible, .tooLong: nationalNumber = stripped
        }
        guard nationalNumber.count >= minNationalNumberLength else { throw .tooShortNSN }
        guard nationalNumber.count <= maxNationalNumberLength else { throw .tooLong }
        return (countryCode, nationalNumber)
    }

    /// `_maybe_extract_country_code`: a country calling code after "+" or the default region's
    /// international prefix, or the default region's own code written without "+", when removing it
    /// makes the number fit the region's pattern or the number is too long with it.
    /// Returns code 0 (and no number) when the number carries no country calling code.
    static func extractCountryCode(
        _ number: Scalars,
        metadata: RegionMetadata?
    ) throws(Failure) -> (countryCode: Int, nationalNumber: String) {
        guard !number.isEmpty else { return (0, "") }
        let (hadPrefix, fullNumber) = stripInternationalPrefixAndNormalize(number, idd: metadata?.internationalPrefix)
        if hadPrefix {
            guard fullNumber.count > minNationalNumberLength else { throw .tooShortAfterIDD }
            let (code, rest) = splitCountryCode(fullNumber)
            guard code != 0 else { throw .invalidCountryCode }
            return (code, rest)
        }
        if let metadata {
            let ownCode = String(metadata.countryCode)
            if fullNumber.hasPrefix(ownCode) {
                let withoutCode = String(fullNumber.dropFirst(ownCode.count))
                let potential = stripNationalPrefixAndCarrierCode(withoutCode, metadata: metadata).number
                let general = metadata.generalPattern
                if (!general.matchesWhole(fullNumber) && general.matchesWhole(potential))
                    || metadata.testLength(fullNumber) == .tooLong
                {
                    return (metadata.countryCode, potential)
                }
            }
        }
        return (0, "")
    }

    /// `_maybe_strip_i18n_prefix_and_normalize`: whether the number started with plus signs or the
    /// international prefix (which is not taken when the next digit is 0: no country code starts
    /// with 0), and the normalised digits after it.
    private static func stripInternationalPrefixAndNormalize(
        _ number: Scalars,
        idd: PhonePattern?
    ) -> (hadPrefix: Bool, number: String) {
        let plusCount = PhoneSyntax.leadingPlusCount(number)
        if plusCount > 0 {
            return (true, PhoneSyntax.normalize(number.dropFirst(plusCount)))
        }
        let normalized = PhoneSyntax.normalize(number)
        guard let idd, let match = idd.matchAtStart(normalized) else { return (false, normalized) }
        let rest = normalized.dropFirst(match.end)
        if rest.first == "0" { return (false, normalized) }
        return (true, String(rest))
    }

    /// `_extract_country_code`: the shortest leading 1-3 digits that are a known country calling
    /// code, and the rest; (0, number) when there is none.
    private static func splitCountryCode(_ number: String) -> (Int, String) {
        guard let first = number.first, first != "0" else { return (0, number) }
        for length in 1...min(number.count, maxCountryCodeLength) {
            if let code = Int(number.prefix(length)), PhoneMetadataStore.shared.isKnownCountryCode(code) {
                return (code, String(number.dropFirst(length)))
            }
        }
        return (0, number)
    }

    /// `_maybe_strip_national_prefix_carrier_code` on a normalised number: removes the national
    /// (trunk) prefix and any carrier code, applying the region's transform rule when it has one,
    /// unless that turns a number that fits the region's pattern into one that does not.
    static func stripNationalPrefixAndCarrierCode(
        _ number: String,
        metadata: RegionMetadata
    ) -> (number: String, stripped: Bool) {
        guard !number.isEmpty, let prefixPattern = metadata.nationalPrefixForParsing,
            let match = prefixPattern.matchAtStart(number)
        else { return (number, false) }
        let general = metadata.generalPattern
        let originalFits = general.matchesWhole(number)
        let rest = String(number.unicodeScalars.dropFirst(match.end))
        let lastGroupTookPart = match.groupCount > 0 && match.groups[match.groupCount] != nil
        let result: String
        if let rule = metadata.nationalPrefixTransformRule, !rule.isEmpty, lastGroupTookPart {
            result = applyTransformRule(rule, groups: match.groups) + rest
        } else {
            result = rest
        }
        if originalFits && !general.matchesWhole(result) { return (number, false) }
        return (result, true)
    }

    /// Python's `re.sub` template for the metadata's rules: digits and `\N` group references
    /// (a group that did not take part counts as empty).
    static func applyTransformRule(_ rule: String, groups: [String?]) -> String {
        var output = ""
        var scalars = rule.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            guard scalar == "\\" else {
                output.unicodeScalars.append(scalar)
                continue
            }
            guard let digit = scalars.next() else { break }
            if let index = Int(String(digit)), index < groups.count {
                output += groups[index] ?? ""
            }
        }
        return output
    }
}
