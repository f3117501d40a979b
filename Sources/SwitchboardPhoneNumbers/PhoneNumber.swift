/// A phone number as libphonenumber reads it: country calling code + national significant number.
///
/// It exists so that every channel files a customer's number under one canonical key, the E.164
/// form ("+33123456789"), whichever way the number was written ("01 23 45 67 89" in France,
/// "+33 (0)1 23 45 67 89", "tel:+33-1-23-45-67-89", "0033 1 23 45 67 89"). Parsing follows
/// Google's libphonenumber `parse()` exactly (see docs/phone-numbers.md); like libphonenumber's
/// parse, it checks that the text is a plausible number, not that the number is in service or
/// even valid for its region.
public struct PhoneNumber: Sendable, Hashable, CustomStringConvertible {
    public let countryCode: Int
    /// The national significant number, digits only, leading zeros kept (Italian numbers).
    public let nationalNumber: String

    init(countryCode: Int, nationalNumber: String) {
        self.countryCode = countryCode
        self.nationalNumber = nationalNumber
    }

    /// "+" + countryCode + nationalNumber
    public var e164: String { "+\(countryCode)\(nationalNumber)" }

    public var description: String { e164 }

    /// libphonenumber's parse(): `defaultRegion` is an ISO 3166 alpha-2 code ("FR", case-insensitive) or nil.
    ///
    /// The default region is used only for numbers written without a country calling code (national
    /// form, or after the region's international prefix such as "00" or "011"). Extensions
    /// ("ext. 12", ";ext=12") are recognised and dropped, as E.164 has none.
    public init(parsing raw: String, defaultRegion: String?) throws(PhoneNumberError) {
        let region = defaultRegion.map(PhoneRegions.normalizedCode)
        do {
            let parsed = try PhoneNumberParser.parse(raw, region: region)
            self.init(countryCode: parsed.countryCode, nationalNumber: parsed.nationalNumber)
        } catch {
            throw PhoneNumberError(input: raw, failure: error, defaultRegion: defaultRegion)
        }
    }
}
