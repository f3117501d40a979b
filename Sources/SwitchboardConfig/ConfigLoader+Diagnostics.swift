import Foundation
import Yams

extension ConfigLoader {
    static func entries(_ node: ConfigNode) -> [ConfigNode.Entry] {
        if case .mapping(let entries) = node.value { return entries }
        return []
    }

    static func unknownKeyMessage(_ key: String, known: [String], suggestion: String? = nil) -> String {
        if let suggestion = suggestion ?? Suggestion.closest(to: key, among: known) {
            return "unknown key '\(key)'; did you mean '\(suggestion)'?"
        }
        guard !known.isEmpty else { return "unknown key '\(key)'" }
        return "unknown key '\(key)'; known keys here: \(known.joined(separator: ", "))"
    }

    static func reportUnknownKeys(_ tracker: DecodeTracker, report: (Int, String, String) -> Void) {
        for unknown in tracker.unknownKeys() {
            report(
                unknown.entry.line, KeyPath.join(unknown.path, unknown.entry.key),
                unknownKeyMessage(unknown.entry.key, known: unknown.known, suggestion: unknown.suggestion))
        }
    }

    /// Turns a decoding error into a diagnostic at the line of the value (or of its parent, for a
    /// missing key).
    static func report(_ error: any Error, root: ConfigNode, base: String, report: (Int, String, String) -> Void) {
        guard let error = error as? DecodingError else {
            report(root.line, base, "\(error)")
            return
        }
        switch error {
        case .keyNotFound(let key, let context):
            let (node, path) = locate(context.codingPath, in: root, base: base)
            report(node.line, KeyPath.join(path, key.stringValue), "required key is missing")
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            let (node, path) = locate(context.codingPath, in: root, base: base)
            report(node.line, path, context.debugDescription)
        @unknown default:
            report(root.line, base, "\(error)")
        }
    }

    /// The node and key path a coding path points at.
    static func locate(_ codingPath: [any CodingKey], in root: ConfigNode, base: String) -> (ConfigNode, String) {
        var node = root
        var path = base
        for key in codingPath {
            if let index = key.intValue, case .sequence(let items) = node.value, items.indices.contains(index) {
                node = items[index]
                path += "[\(index)]"
            } else if let entry = node.entry(key.stringValue) {
                node = entry.value
                path = KeyPath.join(path, key.stringValue)
            } else {
                break
            }
        }
        return (node, path)
    }

    static func line(of error: YamlError) -> Int {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: 0
        }
    }

    static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
            .composer(let context, let problem, _, _):
            [context.map { "\($0.text)" }, problem].compactMap { $0 }.joined(separator: ": ")
        default: "\(error)"
        }
    }

    /// The one backend `storage:` names, or a problem: neither or both, a URL that is not PostgreSQL's.
    static func backend(
        _ section: StorageSection, line: Int, report: (Int, String, String) -> Void
    ) -> StorageConfig? {
        switch (section.sqlite, section.postgres) {
        case (let sqlite?, nil):
            return .sqlite(path: sqlite.path)
        case (nil, let postgres?):
            guard postgres.url.hasPrefix("postgresql://") || postgres.url.hasPrefix("postgres://") else {
                report(
                    line, "storage.postgres.url",
                    "expected postgresql://USER:PASSWORD@HOST:PORT/DATABASE (write ${DATABASE_URL} and export it)")
                return nil
            }
            let connections = postgres.maxConnections ?? 8
            guard (1...200).contains(connections) else {
                report(line, "storage.postgres.max_connections", "expected 1 to 200, found \(connections)")
                return nil
            }
            return .postgres(PostgresStorage(url: postgres.url, blobs: postgres.blobs, maxConnections: connections))
        case (nil, nil):
            report(line, "storage", "name one backend: sqlite: { path: ... } or postgres: { url: ..., blobs: ... }")
            return nil
        case (.some, .some):
            report(line, "storage", "name one backend, not both sqlite and postgres")
            return nil
        }
    }
}
