import Foundation

/// JSON request bodies for channel APIs, the counterpart of ``FormEncoding``: one spelling of the
/// encoder (keys sorted, so a body is stable and testable; slashes unescaped, as APIs print them)
/// and of the headers that go with it.
public enum JSONBody {
    /// `Content-Type` and `Accept` for a JSON API call.
    public static let headers: [(name: String, value: String)] = [
        ("Content-Type", "application/json"), ("Accept", "application/json"),
    ]

    /// `value` as JSON bytes.
    public static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }
}
