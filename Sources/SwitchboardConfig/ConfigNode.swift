import Yams

/// A parsed YAML value with the line it stands on, so every problem can be reported as
/// `file:line: key: message`. Built from Yams' node tree, after `${ENV}` substitution.
public struct ConfigNode: Sendable {
    public indirect enum Value: Sendable {
        /// A scalar's text; `isNull` for `~`, `null` or an empty value.
        case scalar(String, isNull: Bool)
        case mapping([Entry])
        case sequence([ConfigNode])
    }

    /// One key of a mapping, with the line the key stands on.
    public struct Entry: Sendable {
        public var key: String
        public var line: Int
        public var value: ConfigNode
    }

    public var value: Value
    /// 1-based line of the value.
    public var line: Int

    /// The entry for `key`, if this is a mapping that has it.
    public func entry(_ key: String) -> Entry? {
        if case .mapping(let entries) = value { return entries.first { $0.key == key } }
        return nil
    }

    /// A short name for the YAML type, for messages.
    /// The `index`-th item of a sequence node.
    func item(_ index: Int) -> ConfigNode? {
        guard case .sequence(let items) = value, items.indices.contains(index) else { return nil }
        return items[index]
    }

    var typeName: String {
        switch value {
        case .scalar(_, let isNull): isNull ? "an empty value" : "a single value"
        case .mapping: "a mapping (key: value pairs)"
        case .sequence: "a list"
        }
    }

    /// Converts Yams' tree; merges keys (`<<`) are not supported and stay ordinary keys.
    static func from(_ node: Node) -> ConfigNode {
        let line = node.mark?.line ?? 0
        switch node {
        case .scalar(let scalar):
            let isNull = scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
            return ConfigNode(value: .scalar(scalar.string, isNull: isNull), line: line)
        case .mapping(let mapping):
            let entries = mapping.map { pair in
                Entry(key: pair.key.string ?? "\(pair.key)", line: pair.key.mark?.line ?? line, value: from(pair.value))
            }
            return ConfigNode(value: .mapping(entries), line: line)
        case .sequence(let sequence):
            return ConfigNode(value: .sequence(sequence.map(from)), line: line)
        case .alias:
            return ConfigNode(value: .scalar("", isNull: true), line: line)
        }
    }
}

/// One problem in a config file.
public struct ConfigDiagnostic: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    /// The key path, such as `channels[1].settings.secret`.
    public var key: String
    public var message: String

    public init(file: String, line: Int, key: String, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    /// `file:line: key: message`
    public var description: String { "\(file):\(line): \(key.isEmpty ? "(top level)" : key): \(message)" }
}
