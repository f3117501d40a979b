import Foundation

/// A `Decoder` over a ``ConfigNode`` that remembers which keys each mapping was asked for, so that
/// keys nobody asked for can be reported as unknown (with the closest known key), and that reports
/// every failure with the line it stands on. Adapters' `Configuration` types get this for free.
struct StrictDecoder: Decoder {
    let node: ConfigNode
    let path: String
    let tracker: DecodeTracker
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .mapping(let entries) = node.value else {
            throw DecodingError.typeMismatch(
                [String: String].self,
                .init(
                    codingPath: codingPath,
                    debugDescription: "expected a mapping (key: value pairs), found \(node.typeName)"))
        }
        tracker.enter(path, entries: entries)
        return KeyedDecodingContainer(KeyedContainer<Key>(decoder: self, entries: entries))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .sequence(let items) = node.value else {
            throw DecodingError.typeMismatch(
                [String].self,
                .init(codingPath: codingPath, debugDescription: "expected a list, found \(node.typeName)"))
        }
        return UnkeyedContainer(decoder: self, items: items)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleValue(decoder: self) }

    func child(_ node: ConfigNode, key: any CodingKey, path: String) -> StrictDecoder {
        StrictDecoder(node: node, path: path, tracker: tracker, codingPath: codingPath + [key])
    }

    /// Decodes a value of `type` from this decoder's node, with scalars parsed strictly.
    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        if type == ConfigSubtree.self, let subtree = ConfigSubtree(node: node, path: path) as? T {
            tracker.opaque.insert(path)
            return subtree
        }
        return try T(from: self)
    }

    func scalar() throws -> String {
        guard case .scalar(let text, _) = node.value else {
            throw DecodingError.typeMismatch(
                String.self,
                .init(codingPath: codingPath, debugDescription: "expected a single value, found \(node.typeName)"))
        }
        return text
    }

    func mismatch(_ type: Any.Type, _ what: String, _ text: String) -> DecodingError {
        DecodingError.typeMismatch(
            type, .init(codingPath: codingPath, debugDescription: "expected \(what), found '\(text)'"))
    }
}

/// The keys asked of each mapping during one decode.
final class DecodeTracker {
    struct Mapping {
        var entries: [ConfigNode.Entry]
        var asked: Set<String> = []
    }

    private(set) var mappings: [String: Mapping] = [:]
    var opaque: Set<String> = []
    /// Set when decoding stopped early: the asked keys are then not all the known keys.
    var failed = false

    func enter(_ path: String, entries: [ConfigNode.Entry]) {
        if mappings[path] == nil { mappings[path] = Mapping(entries: entries) }
    }

    func ask(_ path: String, _ key: String) { mappings[path]?.asked.insert(key) }

    /// Present keys that no decoder asked for, each with a suggestion.
    func unknownKeys() -> [(path: String, entry: ConfigNode.Entry, suggestion: String?, known: [String])] {
        var result: [(String, ConfigNode.Entry, String?, [String])] = []
        for (path, mapping) in mappings.sorted(by: { $0.key < $1.key }) where !opaque.contains(path) {
            let known = failed ? [] : mapping.asked.sorted()
            let candidates = mapping.asked.sorted()
            for entry in mapping.entries where !mapping.asked.contains(entry.key) {
                let suggestion = Suggestion.closest(to: entry.key, among: candidates)
                // Decoding stopped early, so keys after the failure were never asked for: only a key
                // that looks like a misspelling of one that was asked for is reported.
                if failed && suggestion == nil { continue }
                result.append((path, entry, suggestion, known))
            }
        }
        return result
    }
}

/// A config subtree kept as it is, for a decoder chosen later (a channel's `settings:`).
public struct ConfigSubtree: Decodable, Sendable {
    public var node: ConfigNode
    /// The key path of the subtree, for diagnostics.
    public var path: String

    public init(node: ConfigNode, path: String) {
        self.node = node
        self.path = path
    }

    public init(from decoder: any Decoder) throws {
        throw DecodingError.dataCorrupted(
            .init(codingPath: decoder.codingPath, debugDescription: "ConfigSubtree decodes only from a config file"))
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: StrictDecoder
    let entries: [ConfigNode.Entry]
    var codingPath: [any CodingKey] { decoder.codingPath }

    var allKeys: [Key] {
        entries.compactMap { entry in
            decoder.tracker.ask(decoder.path, entry.key)
            return Key(stringValue: entry.key)
        }
    }

    func contains(_ key: Key) -> Bool {
        decoder.tracker.ask(decoder.path, key.stringValue)
        return entries.contains { $0.key == key.stringValue }
    }

    func childDecoder(_ key: Key) throws -> StrictDecoder {
        decoder.tracker.ask(decoder.path, key.stringValue)
        guard let entry = entries.first(where: { $0.key == key.stringValue }) else {
            throw DecodingError.keyNotFound(
                key, .init(codingPath: codingPath, debugDescription: "required key '\(key.stringValue)' is missing"))
        }
        return decoder.child(entry.value, key: key, path: KeyPath.join(decoder.path, key.stringValue))
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        decoder.tracker.ask(decoder.path, key.stringValue)
        guard let entry = entries.first(where: { $0.key == key.stringValue }) else { return true }
        if case .scalar(_, let isNull) = entry.value.value { return isNull }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try childDecoder(key).decodeValue(type)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try childDecoder(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try childDecoder(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { decoder }
    func superDecoder(forKey key: Key) throws -> any Decoder { try childDecoder(key) }
}

private struct IndexKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(_ index: Int) {
        stringValue = "[\(index)]"
        intValue = index
    }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.init(intValue) }
}

private struct UnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: StrictDecoder
    let items: [ConfigNode]
    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }
    var currentIndex = 0

    init(decoder: StrictDecoder, items: [ConfigNode]) {
        self.decoder = decoder
        self.items = items
    }

    mutating func next() throws -> StrictDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                Any.self, .init(codingPath: codingPath, debugDescription: "the list has no more items"))
        }
        defer { currentIndex += 1 }
        return decoder.child(items[currentIndex], key: IndexKey(currentIndex), path: "\(decoder.path)[\(currentIndex)]")
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else { return true }
        if case .scalar(_, let isNull) = items[currentIndex].value, isNull {
            currentIndex += 1
            return true
        }
        return false
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decodeValue(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> any Decoder { try next() }
}

private struct SingleValue: SingleValueDecodingContainer {
    let decoder: StrictDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool {
        if case .scalar(_, let isNull) = decoder.node.value { return isNull }
        return false
    }

    func decode(_ type: Bool.Type) throws -> Bool {
        let text = try decoder.scalar()
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw decoder.mismatch(type, "true or false", text)
        }
    }

    func decode(_ type: String.Type) throws -> String {
        if decodeNil() {
            throw DecodingError.valueNotFound(
                type, .init(codingPath: codingPath, debugDescription: "expected a value, found nothing"))
        }
        return try decoder.scalar()
    }

    func decode(_ type: Double.Type) throws -> Double {
        let text = try decoder.scalar()
        guard let value = Double(text) else { throw decoder.mismatch(type, "a number", text) }
        return value
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    func decode<T: BinaryInteger & LosslessStringConvertible>(integer type: T.Type) throws -> T {
        let text = try decoder.scalar().replacingOccurrences(of: "_", with: "")
        guard let value = T(text) else { throw decoder.mismatch(type, "a whole number", text) }
        return value
    }

    func decode(_ type: Int.Type) throws -> Int { try decode(integer: type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decode(integer: type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decode(integer: type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decode(integer: type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decode(integer: type) }
    func decode(_ type: UInt.Type) throws -> UInt { try decode(integer: type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decode(integer: type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decode(integer: type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decode(integer: type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decode(integer: type) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decodeValue(type) }
}

/// "Did you mean …?": the known key closest to a misspelt one.
enum Suggestion {
    static func closest(to key: String, among known: [String]) -> String? {
        let scored = known.map { ($0, distance(key.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        return best.1 <= max(2, key.count / 3) ? best.0 : nil
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
