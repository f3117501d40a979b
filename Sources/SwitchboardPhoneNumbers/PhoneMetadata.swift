import Foundation

/// What libphonenumber's `parse()` knows about one region (or non-geographic entity such as +800):
/// the subset of its metadata that parsing reads, from `PhoneMetadata+Generated.swift`.
///
/// It exists so the parser can work with typed values (lengths as integers, patterns compiled on
/// first use) instead of re-reading the generated text table.
struct RegionMetadata: Sendable {
    /// "FR", or "+800" for a non-geographic entity (whose region code is "001").
    let key: String
    let countryCode: Int
    /// The international (IDD) prefix pattern, e.g. "00" or "011"; nil when there is none.
    let internationalPrefix: PhonePattern?
    /// The national prefix (and carrier code) pattern used when parsing, e.g. "0".
    let nationalPrefixForParsing: PhonePattern?
    /// How to rewrite what `nationalPrefixForParsing` matched, with `\1`-style group references.
    let nationalPrefixTransformRule: String?
    /// The general description's national number pattern: every possible number of the region.
    let generalPattern: PhonePattern
    /// The general description's possible lengths, ascending.
    let possibleLengths: [Int]
    /// Lengths only diallable locally (without an area code).
    let localOnlyLengths: [Int]
}

/// The outcome of libphonenumber's `_test_number_length` (its `ValidationResult`).
enum PossibleLength: Sendable, Equatable {
    case isPossible
    case isPossibleLocalOnly
    case invalidLength
    case tooShort
    case tooLong
}

extension RegionMetadata {
    /// libphonenumber's `_test_number_length` for the general description (type UNKNOWN).
    func testLength(_ nationalNumber: String) -> PossibleLength {
        let length = nationalNumber.unicodeScalars.count
        if localOnlyLengths.contains(length) { return .isPossibleLocalOnly }
        guard let minimum = possibleLengths.first, let maximum = possibleLengths.last else {
            return .invalidLength
        }
        if minimum == length { return .isPossible }
        if minimum > length { return .tooShort }
        if maximum < length { return .tooLong }
        return possibleLengths.dropFirst().contains(length) ? .isPossible : .invalidLength
    }
}

/// All the metadata, parsed once from the generated tables on first use.
///
/// It exists to give the parser and `PhoneRegions` dictionary lookups by region code and by country
/// calling code. Everything in it is immutable after creation, so one shared instance serves all
/// threads.
struct PhoneMetadataStore: Sendable {
    /// Geographic regions by upper-case ISO code ("FR").
    let regions: [String: RegionMetadata]
    /// Non-geographic entities (region "001") by country calling code (800, 808, ...).
    let nonGeographic: [Int: RegionMetadata]
    /// Country calling code -> region codes, main region first ("001" for non-geographic codes).
    let regionsForCountryCode: [Int: [String]]

    /// The shared instance (a global `let`: initialised once, thread-safely, on first use).
    static let shared = PhoneMetadataStore(
        regionTable: GeneratedPhoneMetadata.regionTable,
        countryCodeTable: GeneratedPhoneMetadata.countryCodeTable
    )

    init(regionTable: String, countryCodeTable: String) {
        var regions: [String: RegionMetadata] = [:]
        var nonGeographic: [Int: RegionMetadata] = [:]
        for line in regionTable.split(separator: "\n") {
            guard let metadata = Self.parseRegion(line) else { continue }
            if metadata.key.hasPrefix("+") {
                nonGeographic[metadata.countryCode] = metadata
            } else {
                regions[metadata.key] = metadata
            }
        }
        var regionsForCountryCode: [Int: [String]] = [:]
        for line in countryCodeTable.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 2, let code = Int(fields[0]) else { continue }
            regionsForCountryCode[code] = fields[1].split(separator: ",").map(String.init)
        }
        self.regions = regions
        self.nonGeographic = nonGeographic
        self.regionsForCountryCode = regionsForCountryCode
    }

    private static func parseRegion(_ line: Substring) -> RegionMetadata? {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 8, let countryCode = Int(fields[1]) else { return nil }
        func optional(_ field: String) -> String? { field == "-" ? nil : field }
        func lengths(_ field: String) -> [Int] {
            field == "-" ? [] : field.split(separator: ",").compactMap { Int($0) }
        }
        return RegionMetadata(
            key: fields[0],
            countryCode: countryCode,
            internationalPrefix: optional(fields[2]).map { PhonePattern($0) },
            nationalPrefixForParsing: optional(fields[3]).map { PhonePattern($0) },
            nationalPrefixTransformRule: optional(fields[4]),
            generalPattern: PhonePattern(fields[5]),
            possibleLengths: lengths(fields[6]),
            localOnlyLengths: lengths(fields[7])
        )
    }

    /// Metadata for a region code exactly as libphonenumber spells it (upper case); nil for "001",
    /// "ZZ" and anything unknown.
    func metadata(forRegion region: String) -> RegionMetadata? {
        regions[region]
    }

    /// libphonenumber's `region_code_for_country_code`: the main region, "001" for a
    /// non-geographic code, nil for an unknown code.
    func mainRegion(forCountryCode code: Int) -> String? {
        regionsForCountryCode[code]?.first
    }

    /// libphonenumber's `metadata_for_region_or_calling_code` for the main region of `code`.
    func metadata(forCountryCode code: Int) -> RegionMetadata? {
        guard let region = mainRegion(forCountryCode: code) else { return nil }
        return region == "001" ? nonGeographic[code] : regions[region]
    }

    /// Whether `code` is a country calling code libphonenumber knows (`COUNTRY_CODE_TO_REGION_CODE`).
    func isKnownCountryCode(_ code: Int) -> Bool {
        regionsForCountryCode[code] != nil
    }

    /// Every metadata entry, regions then non-geographic entities (for the tests).
    var allMetadata: [RegionMetadata] {
        regions.keys.sorted().compactMap { regions[$0] }
            + nonGeographic.keys.sorted().compactMap { nonGeographic[$0] }
    }
}
