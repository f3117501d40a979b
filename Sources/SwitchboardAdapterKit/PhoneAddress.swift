import SwitchboardPhoneNumbers

extension Address {
    /// The address of a number an SMS or WhatsApp sender wrote from: read the way libphonenumber
    /// reads it (national numbers with `defaultRegion`), then put in its mobile identity form, so
    /// the same phone is one address whichever channel or spelling it came through (Brazil's ninth
    /// digit, Mexico's `+52 1`, Argentina's `9`; see `docs/phone-numbers.md`).
    ///
    /// - Parameter kind: `.tel` for SMS, `.whatsapp` for WhatsApp.
    public static func mobile(_ raw: String, defaultRegion: PhoneRegion?, kind: AddressKind = .tel)
        throws(AddressError) -> Address
    {
        let number: PhoneNumber
        do {
            number = try PhoneNumber(parsing: raw, defaultRegion: defaultRegion?.code)
        } catch {
            throw AddressError(raw, error.message)
        }
        return try Address(kind: kind, value: number.mobileIdentity.e164)
    }
}

/// A region whose national numbering a channel assumes for numbers written without `+` and a
/// country code (`default_region: FR` in a channel's settings). Decoding checks the code against
/// the phone-number metadata, so a typo is a config error with its line, not a lost message.
public struct PhoneRegion: Sendable, Hashable, Decodable, CustomStringConvertible {
    /// ISO 3166-1 alpha-2, upper-case (`FR`).
    public let code: String

    /// Nil when the metadata does not know `code`.
    public init?(_ code: String) {
        let upper = code.uppercased()
        guard PhoneRegions.isKnown(upper) else { return nil }
        self.code = upper
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let region = PhoneRegion(text) else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription:
                        "'\(text)' is not a region the phone-number rules know; use an ISO 3166 code such as FR, US or BR"
                ))
        }
        self = region
    }

    public var description: String { code }
}
