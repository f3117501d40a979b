import Foundation

/// A saved answer an agent inserts and edits, with placeholders for the people in the
/// conversation: `{{customer.first_name}}`, `{{customer.name}}`, `{{agent.first_name}}`,
/// `{{agent.name}}`.
///
/// It exists so that the answers a team gives every day are written once, and still greet the
/// customer by name and carry the agent's. A placeholder may give a fallback for a value that is
/// not known: `{{customer.first_name|there}}` renders "there" for a customer without a name.
/// A placeholder that is not one of the four is an error that lists them, so a typo is found when
/// the template is saved, not when a customer reads it.
public struct CannedReply: Sendable, Hashable, Codable {
    public var name: String
    public var text: String

    /// The placeholders a template may use.
    public static let placeholders = ["customer.first_name", "customer.name", "agent.first_name", "agent.name"]

    public init(name: String, text: String) throws(CannedReplyError) {
        self.name = name
        self.text = text
        _ = try Self.parse(text)
    }

    /// The people a reply is rendered for.
    public struct People: Sendable, Hashable {
        public var customerName: String?
        public var agentName: String?

        public init(customerName: String?, agentName: String?) {
            self.customerName = customerName
            self.agentName = agentName
        }
    }

    /// The text with every placeholder replaced. A value that is not known renders the
    /// placeholder's fallback, or nothing; ``Rendered/missing`` names those without a fallback, so
    /// the reply box can point at them before the agent sends.
    public func render(for people: People) -> Rendered {
        // The text was checked by init, so parsing cannot fail here; an empty result is never sent.
        guard let pieces = try? Self.parse(text) else { return Rendered(text: text, missing: []) }
        var output = ""
        var missing: [String] = []
        for piece in pieces {
            switch piece {
            case .text(let text):
                output += text
            case .placeholder(let key, let fallback):
                if let value = Self.value(of: key, for: people) {
                    output += value
                } else if let fallback {
                    output += fallback
                } else {
                    missing.append(key)
                }
            }
        }
        return Rendered(text: output, missing: missing)
    }

    /// A rendered reply.
    public struct Rendered: Sendable, Hashable {
        public var text: String
        /// Placeholders that had no value and no fallback, in order.
        public var missing: [String]
    }

    static func value(of key: String, for people: People) -> String? {
        func known(_ text: String?) -> String? {
            guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
            return text
        }
        switch key {
        case "customer.name": return known(people.customerName)
        case "customer.first_name": return known(people.customerName).flatMap(PersonName.firstName)
        case "agent.name": return known(people.agentName)
        case "agent.first_name": return known(people.agentName).flatMap(PersonName.firstName)
        default: return nil
        }
    }

    enum Piece: Equatable {
        case text(String)
        case placeholder(String, fallback: String?)
    }

    static func parse(_ template: String) throws(CannedReplyError) -> [Piece] {
        var pieces: [Piece] = []
        var rest = template[...]
        while let open = rest.range(of: "{{") {
            pieces.append(.text(String(rest[..<open.lowerBound])))
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw CannedReplyError("a placeholder opened with {{ is never closed with }}")
            }
            let inside = rest[open.upperBound..<close.lowerBound]
            let parts = inside.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
            let key = parts[0].trimmingCharacters(in: .whitespaces)
            guard placeholders.contains(key) else {
                throw CannedReplyError(
                    "{{\(inside)}} is not a placeholder; use one of "
                        + placeholders.map { "{{\($0)}}" }.joined(separator: ", "))
            }
            let fallback = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : nil
            pieces.append(.placeholder(key, fallback: fallback))
            rest = rest[close.upperBound...]
        }
        pieces.append(.text(String(rest)))
        return pieces.filter { $0 != .text("") }
    }
}

/// A canned reply's template is not valid; the message says where and what to write instead.
public struct CannedReplyError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
    init(_ message: String) { self.message = message }
}
