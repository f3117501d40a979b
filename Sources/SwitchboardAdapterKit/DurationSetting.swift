/// A duration in an adapter's settings, written `500ms`, `30s`, `10m`, `2h` or `7d`, the same
/// way as everywhere else in the config. Decoding fails with a message that shows the form.
public struct DurationSetting: Decodable, Sendable, Hashable {
    public var duration: Duration

    public init(_ duration: Duration) { self.duration = duration }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let duration = Self.parse(text) else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription:
                        "expected a duration such as 500ms, 30s, 10m, 2h or 7d (at most 100 years), found '\(text)'"))
        }
        self.duration = duration
    }

    /// Nil when `text` is not such a duration.
    public static func parse(_ text: String) -> Duration? {
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
        for (suffix, millis) in units where text.hasSuffix(suffix) {
            let number = text.dropLast(suffix.count)
            if suffix == "s", number.hasSuffix("m") { continue }
            guard let value = Int64(number), value >= 0 else { return nil }
            let (total, overflow) = value.multipliedReportingOverflow(by: millis)
            guard !overflow, total <= 100 * 365 * 86_400_000 else { return nil }
            return .milliseconds(total)
        }
        return nil
    }
}

extension Duration {
    /// The duration in seconds, for `Date` arithmetic (`addingTimeInterval`, `timeIntervalSince`).
    public var timeInterval: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
