/// The `{placeholder}` templates of an outbound body: the only values a template can reach.
enum Template {
    static let placeholders: Set<String> = ["to", "to_digits", "text", "id", "status_url"]

    /// The first `{name}` in `text` that is not a known placeholder.
    static func unknownPlaceholder(in text: String) -> String? {
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "}") else { return nil }
            let name = String(after[..<close])
            if !placeholders.contains(name) { return name }
            rest = after[after.index(after: close)...]
        }
        return nil
    }

    /// `text` with every placeholder replaced. Values are inserted once, never expanded again, so a
    /// customer's text containing `{to}` stays as written.
    static func render(_ text: String, values: [String: String]) -> String {
        var output = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            output += rest[..<open]
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "}"), let value = values[String(after[..<close])] else {
                output.append("{")
                rest = after
                continue
            }
            output += value
            rest = after[after.index(after: close)...]
        }
        return output + rest
    }
}
