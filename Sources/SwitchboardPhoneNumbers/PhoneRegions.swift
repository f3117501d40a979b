/// The regions the metadata knows.
///
/// It exists so that configuration and API input naming a default region ("FR") can be checked
/// up front, with the same list of regions the parser uses, and so that the metadata version the
/// module was generated from can be reported and compared with the oracle's.
public enum PhoneRegions {
    /// Whether libphonenumber has metadata for the region: "FR", "fr" -> true; "ZZ", "XX", "001" -> false.
    public static func isKnown(_ region: String) -> Bool {
        PhoneMetadataStore.shared.metadata(forRegion: normalizedCode(region)) != nil
    }

    /// The country calling code of a known region (33 for "FR", 1 for "CA"); nil for an unknown one.
    public static func countryCode(for region: String) -> Int? {
        PhoneMetadataStore.shared.metadata(forRegion: normalizedCode(region))?.countryCode
    }

    /// The version of the Python `phonenumbers` package the metadata was generated from ("9.0.43").
    public static var metadataVersion: String { GeneratedPhoneMetadata.version }

    /// Region codes are ASCII: upper-case them the way libphonenumber's `region.upper()` would.
    static func normalizedCode(_ region: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in region.unicodeScalars {
            if ("a"..."z").contains(scalar), let upper = Unicode.Scalar(scalar.value - 32) {
                scalars.append(upper)
            } else {
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }
}
