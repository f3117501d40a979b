import Foundation
import SwitchboardAdapterKit

/// A JSON value, for Matrix events: their `content` differs per event type and message type, and
/// unknown keys must survive (the raw event is kept with the message), so events are read as a
/// tree and looked up by key instead of being decoded into fixed structs.
enum MatrixJSON: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([MatrixJSON])
    case object([String: MatrixJSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([MatrixJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: MatrixJSON].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// Parses a JSON document; nil when the bytes are not JSON.
    static func parse(_ bytes: [UInt8]) -> MatrixJSON? {
        try? JSONDecoder().decode(MatrixJSON.self, from: Data(bytes))
    }

    /// The value's JSON text (keys sorted, so it is stable).
    var bytes: [UInt8] { (try? JSONBody.encode(self)) ?? [] }

    subscript(key: String) -> MatrixJSON? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    var int: Int64? {
        switch self {
        case .int(let value): return value
        case .double(let value) where value.rounded() == value && abs(value) < 9e15: return Int64(value)
        default: return nil
        }
    }

    var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    var array: [MatrixJSON] {
        if case .array(let value) = self { return value }
        return []
    }

    var object: [String: MatrixJSON] {
        if case .object(let value) = self { return value }
        return [:]
    }
}
