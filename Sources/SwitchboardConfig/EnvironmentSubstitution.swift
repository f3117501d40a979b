import Foundation

/// Replaces `${NAME}` (and `${NAME:-default}`) in every scalar with the environment's value.
/// Secrets come only from the environment, never from the file. A missing variable is a
/// diagnostic; its place is filled with a long placeholder so that checking goes on without
/// reporting the same mistake again as, say, a too-short secret.
enum EnvironmentSubstitution {
    static func apply(
        to node: ConfigNode, path: String, environment: [String: String], report: (Int, String, String) -> Void
    ) -> ConfigNode {
        var node = node
        switch node.value {
        case .scalar(let text, let isNull):
            guard text.contains("${") else { return node }
            let result = substitute(text, environment: environment) { name in
                report(node.line, path, "environment variable \(name) is not set; export it before starting the hub")
            }
            node.value = .scalar(result, isNull: isNull)
        case .mapping(let entries):
            node.value = .mapping(
                entries.map { entry in
                    var entry = entry
                    entry.value = apply(
                        to: entry.value, path: KeyPath.join(path, entry.key), environment: environment, report: report)
                    return entry
                })
        case .sequence(let items):
            node.value = .sequence(
                items.enumerated().map { index, item in
                    apply(to: item, path: "\(path)[\(index)]", environment: environment, report: report)
                })
        }
        return node
    }

    static func substitute(_ text: String, environment: [String: String], missing: (String) -> Void) -> String {
        var output = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            output += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                output += rest[start.lowerBound...]
                return output
            }
            let body = rest[start.upperBound..<end]
            let name: Substring
            let fallback: Substring?
            if let separator = body.range(of: ":-") {
                name = body[..<separator.lowerBound]
                fallback = body[separator.upperBound...]
            } else {
                name = body
                fallback = nil
            }
            if let value = environment[String(name)], !value.isEmpty {
                output += value
            } else if let fallback {
                output += fallback
            } else {
                missing(String(name))
                output += "<missing environment variable \(name)>"
            }
            rest = rest[rest.index(after: end)...]
        }
        return output + rest
    }
}

/// Key-path spelling shared by every diagnostic.
enum KeyPath {
    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
}
