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

    /// The most nodes a config may expand to. Aliases (`*name`) are expanded into copies, so a
    /// small file of nested aliases ("billion laughs") could otherwise take minutes and gigabytes.
    /// A real config has a few hundred nodes.
    static let nodeLimit = 100_000

    /// Thrown by `from` when the expanded tree passes `nodeLimit`.
    struct TooLarge: Error {
        /// Line of the node at which the limit was passed.
        var line: Int
    }

    /// Converts Yams' tree; merges keys (`<<`) are not supported and stay ordinary keys.
    /// Throws `TooLarge` as soon as more than `nodeLimit` nodes have been converted.
    static func from(_ node: Node) throws(TooLarge) -> ConfigNode {
        var budget = nodeLimit
        return try from(node, budget: &budget)
    }

    private static func from(_ node: Node, budget: inout Int) throws(TooLarge) -> ConfigNode {
        let line = node.mark?.line ?? 0
        budget -= 1
        guard budget >= 0 else { throw TooLarge(line: line) }
        switch node {
        case .scalar(let scalar):
            let isNull = scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
            return ConfigNode(value: .scalar(scalar.string, isNull: isNull), line: line)
        case .mapping(let mapping):
            var entries: [Entry] = []
            for pair in mapping {
                let value = try from(pair.value, budget: &budget)
                entries.append(
                    Entry(key: pair.key.string ?? "\(pair.key)", line: pair.key.mark?.line ?? line, value: value))
            }
            return ConfigNode(value: .mapping(entries), line: line)
        case .sequence(let sequence):
            var items: [ConfigNode] = []
            for item in sequence { items.append(try from(item, budget: &budget)) }
            return ConfigNode(value: .sequence(items), line: line)
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
