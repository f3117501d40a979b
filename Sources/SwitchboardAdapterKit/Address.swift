/// A normalised handle on one channel kind, such as `email:ana@example.com` or `tel:+14155550100`.
///
/// Addresses are how Switchboard recognises a person: two envelopes whose `from` addresses are equal
/// belong to the same identity. Normalisation is a pure function per kind (see ``AddressKind``), so
/// every adapter that builds an address through ``Address/init(kind:value:)`` gets the same spelling.
///
/// ```swift
/// let ana = try Address(kind: .email, value: "Ana@Example.COM")   // email:Ana@example.com
/// let phone = try Address(parsing: "tel:+1 (415) 555-0100")         // tel:+14155550100
/// ```
public struct Address: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The channel kind the handle lives on.
    public let kind: AddressKind
    /// The normalised handle, without the kind prefix.
    public let value: String

    /// Normalises `value` by the rules of `kind`.
    /// - Throws: ``AddressError`` naming the rule the value breaks.
    public init(kind: AddressKind, value: String) throws(AddressError) {
        self.kind = kind
        self.value = try AddressNormalizer.normalize(value, kind: kind)
    }

    /// Parses the `kind:value` form, as stored and as shown in the API.
    public init(parsing text: String) throws(AddressError) {
        guard let colon = text.firstIndex(of: ":") else {
            throw AddressError(text, "an address is written kind:value, for example email:ana@example.com")
        }
        let kind = String(text[..<colon]).lowercased()
        try self.init(kind: AddressKind(kind), value: String(text[text.index(after: colon)...]))
    }

    /// `kind:value`, the form stored in the database and shown in the API.
    public var description: String { "\(kind.rawValue):\(value)" }

    public static func < (lhs: Address, rhs: Address) -> Bool { lhs.description < rhs.description }
}

extension Address: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// The kind part of an ``Address``. Known kinds have their own normalisation; adapters may add kinds
/// of their own, which are kept as given (trimmed) as long as they contain no white space.
public struct AddressKind: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public static let email: AddressKind = "email"
    public static let tel: AddressKind = "tel"
    public static let whatsapp: AddressKind = "whatsapp"
    /// A WhatsApp business-scoped user id (BSUID, `US.13491208655302741918`): the id WhatsApp gives
    /// a user per business, the only one it sends for users who hide their number behind a username.
    public static let whatsappUser: AddressKind = "whatsapp-user"
    public static let telegram: AddressKind = "telegram"
    public static let messenger: AddressKind = "messenger"
    public static let instagram: AddressKind = "instagram"
    public static let x: AddressKind = "x"
    public static let matrix: AddressKind = "matrix"
    public static let webchat: AddressKind = "webchat"

    /// Kinds whose value identifies a person strongly enough to link or merge profiles on.
    public var isStrongIdentifier: Bool { self == .email || self == .tel }
}

/// An address that cannot be normalised: says which value and which rule.
public struct AddressError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The value as it was given.
    public let input: String
    /// What is wrong and what a valid value looks like.
    public let message: String

    public init(_ input: String, _ message: String) {
        self.input = input
        self.message = message
    }

    public var description: String { "invalid address '\(input)': \(message)" }
}
