/// The config `type` an adapter serves: `webhook`, `email`, `twilio`, `kannel`, `telegram`, …
public struct ChannelKind: RawRepresentable, Hashable, Sendable, Codable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }
}

/// The `id` of one configured channel instance, such as `support-inbox` or `shop`.
///
/// One adapter kind can serve many instances (two inboxes, two phone numbers). Messages, dedup keys
/// and poller positions are all scoped to the instance.
public struct ChannelID: RawRepresentable, Hashable, Sendable, Codable, ExpressibleByStringLiteral,
    CustomStringConvertible, Comparable
{
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }
    public static func < (lhs: ChannelID, rhs: ChannelID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// Whether a message was posted where others can see it (a comment, a mention) or sent privately.
public enum Visibility: String, Sendable, Codable, Hashable {
    case `public`
    case `private`
}
