import Foundation

/// One mailbox from an address header: the display name (RFC 2047-decoded) and the address.
///
/// The address is kept as written; callers that compare addresses normalise them (the email
/// adapter lower-cases). A group (`team: a@x, b@x;`) contributes its members; an empty group
/// (`undisclosed-recipients:;`) contributes nothing.
public struct MailAddress: Sendable, Hashable {
    /// The display name, decoded; nil when absent or empty.
    public var name: String?
    /// The addr-spec (`local@domain`), without angle brackets.
    public var address: String

    /// - Parameters:
    ///   - name: The display name, or nil.
    ///   - address: The addr-spec, without angle brackets.
    public init(name: String? = nil, address: String) {
        self.name = name
        self.address = address
    }

    /// Parses an address-list header value (`To`, `Cc`, `From`, `Reply-To`), raw or decoded.
    ///
    /// Lenient: quoted names with commas, comments, groups, route addresses, encoded words in
    /// names (also inside quotes, which broken mailers write) and bare addresses all parse.
    public static func parseList(_ value: String) -> [MailAddress] {
        var warnings = Warnings()
        return parseList(value, warnings: &warnings)
    }

    static func parseList(_ value: String, warnings: inout Warnings) -> [MailAddress] {
        splitMailboxes(Array(value.unicodeScalars)).compactMap { parseMailbox($0, warnings: &warnings) }
    }

    /// Splits at top-level commas and group delimiters (`name:` and `;`), respecting quotes,
    /// comments and angle brackets.
    private static func splitMailboxes(_ scalars: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        var segments: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        var currentHasAt = false
        var inQuotes = false
        var commentDepth = 0
        var inAngle = false
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            if inQuotes {
                current.append(scalar)
                if scalar == "\\", index < scalars.count {
                    current.append(scalars[index])
                    index += 1
                } else if scalar == "\"" {
                    inQuotes = false
                }
                continue
            }
            if commentDepth > 0 {
                current.append(scalar)
                if scalar == "\\", index < scalars.count {
                    current.append(scalars[index])
                    index += 1
                } else if scalar == "(" {
                    commentDepth += 1
                } else if scalar == ")" {
                    commentDepth -= 1
                }
                continue
            }
            switch scalar {
            case "\"": inQuotes = true
            case "(": commentDepth = 1
            case "<": inAngle = true
            case ">": inAngle = false
            case "," where !inAngle, ";" where !inAngle:
                segments.append(current)
                current = []
                currentHasAt = false
                continue
            case ":" where !inAngle && !currentHasAt:
                // A group's display name: drop it, its members follow.
                current = []
                continue
            case "@": currentHasAt = true
            default: break
            }
            current.append(scalar)
        }
        segments.append(current)
        return segments
    }

    /// One mailbox: `name <addr>`, `addr (comment)` or `addr`.
    private static func parseMailbox(_ scalars: [Unicode.Scalar], warnings: inout Warnings) -> MailAddress? {
        var phrase = String.UnicodeScalarView()
        var bare = String.UnicodeScalarView()
        var comments: [String] = []
        var angle: String.UnicodeScalarView?
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            switch scalar {
            case "\"":
                var quoted = String.UnicodeScalarView()
                while index < scalars.count, scalars[index] != "\"" {
                    if scalars[index] == "\\", index + 1 < scalars.count { index += 1 }
                    quoted.append(scalars[index])
                    index += 1
                }
                index += 1
                if angle == nil {
                    phrase.append(contentsOf: quoted)
                    bare.append("\"")
                    bare.append(contentsOf: quoted)
                    bare.append("\"")
                }
            case "(":
                var depth = 1
                var comment = String.UnicodeScalarView()
                while index < scalars.count {
                    let inner = scalars[index]
                    index += 1
                    if inner == "\\", index < scalars.count {
                        comment.append(scalars[index])
                        index += 1
                        continue
                    }
                    if inner == "(" { depth += 1 }
                    if inner == ")" {
                        depth -= 1
                        if depth == 0 { break }
                    }
                    comment.append(inner)
                }
                comments.append(String(comment))
            case "<" where angle == nil:
                var inside = String.UnicodeScalarView()
                while index < scalars.count, scalars[index] != ">" {
                    inside.append(scalars[index])
                    index += 1
                }
                index += 1
                angle = inside
            default:
                if angle == nil {
                    phrase.append(scalar)
                    bare.append(scalar)
                }
            }
        }
        let name: String?
        let address: String
        if let angle {
            address = stripRoute(String(angle).filter { !$0.isWhitespace })
            name = cleanName(String(phrase), warnings: &warnings)
        } else {
            address = String(bare).filter { !$0.isWhitespace }
            name = comments.first.flatMap { cleanName($0, warnings: &warnings) }
        }
        if address.isEmpty && name == nil { return nil }
        return MailAddress(name: name, address: address)
    }

    /// `@route1,@route2:local@domain` (obsolete source route) becomes `local@domain`.
    private static func stripRoute(_ address: String) -> String {
        guard address.hasPrefix("@"), let colon = address.firstIndex(of: ":") else { return address }
        return String(address[address.index(after: colon)...])
    }

    private static func cleanName(_ raw: String, warnings: inout Warnings) -> String? {
        let decoded = EncodedWord.decode(raw, warnings: &warnings)
        let collapsed = decoded.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        return collapsed.isEmpty ? nil : collapsed
    }
}
