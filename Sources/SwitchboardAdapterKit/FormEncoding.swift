/// `application/x-www-form-urlencoded`, both ways: the body of Twilio's webhooks and REST calls, the
/// query strings of SMS gateways (Kannel's get-url, its sendsms) and of any form-based provider.
///
/// Decoding follows the WHATWG URL standard: `+` is a space, `%XX` a byte, and the bytes are UTF-8
/// (invalid sequences become U+FFFD, as browsers do). Encoding escapes everything but
/// `A–Z a–z 0–9 - . _ *` and writes a space as `+`.
public enum FormEncoding {
    /// The name–value pairs of a form body or query string, in order, repeated names kept.
    public static func parse(_ text: String) -> [(name: String, value: String)] {
        parse(bytes: Array(text.utf8))
    }

    /// The name–value pairs of form-encoded bytes.
    public static func parse(bytes: [UInt8]) -> [(name: String, value: String)] {
        parseRaw(bytes: bytes).map { ($0.name, String(decoding: $0.value, as: UTF8.self)) }
    }

    /// The name–value pairs, or `nil` when a name or value is not valid UTF-8 once decoded: for a
    /// channel that always sends UTF-8 (Twilio), such a body is refused rather than stored with
    /// U+FFFD in place of what the customer wrote.
    public static func parseUTF8(bytes: [UInt8]) -> [(name: String, value: String)]? {
        var pairs: [(name: String, value: String)] = []
        for part in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let equals = part.firstIndex(of: UInt8(ascii: "=")) ?? part.endIndex
            let value = equals == part.endIndex ? [] : percentDecodedBytes(part[part.index(after: equals)...])
            guard let name = String(validating: percentDecodedBytes(part[part.startIndex..<equals]), as: UTF8.self),
                let text = String(validating: value, as: UTF8.self)
            else { return nil }
            pairs.append((name, text))
        }
        return pairs
    }

    /// The pairs with each value left as its decoded bytes, for a value in another character set
    /// (Kannel passes UCS-2 text as UTF-16BE bytes). Names are UTF-8.
    public static func parseRaw(bytes: [UInt8]) -> [(name: String, value: [UInt8])] {
        bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true).map { part in
            let equals = part.firstIndex(of: UInt8(ascii: "=")) ?? part.endIndex
            let name = String(decoding: percentDecodedBytes(part[part.startIndex..<equals]), as: UTF8.self)
            let value = equals == part.endIndex ? [] : percentDecodedBytes(part[part.index(after: equals)...])
            return (name, value)
        }
    }

    /// The bytes of one component: `+` is a space, `%XX` a byte, a malformed `%` kept as it is.
    private static func percentDecodedBytes(_ component: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(component.count)
        var index = component.startIndex
        while index != component.endIndex {
            let byte = component[index]
            if byte == UInt8(ascii: "%") {
                let first = component.index(after: index)
                if first != component.endIndex {
                    let second = component.index(after: first)
                    if second != component.endIndex, let high = hexValue(component[first]),
                        let low = hexValue(component[second])
                    {
                        output.append(high << 4 | low)
                        index = component.index(after: second)
                        continue
                    }
                }
                output.append(byte)
            } else if byte == UInt8(ascii: "+") {
                output.append(UInt8(ascii: " "))
            } else {
                output.append(byte)
            }
            index = component.index(after: index)
        }
        return output
    }

    /// Encodes pairs as `name=value&…`, in the given order.
    public static func encode(_ pairs: [(name: String, value: String)]) -> String {
        pairs.map { escape($0.name) + "=" + escape($0.value) }.joined(separator: "&")
    }

    /// One component, escaped for a form body or a query string.
    public static func escape(_ text: String) -> String {
        URLText.escape(text, alsoUnreserved: UInt8(ascii: "*"), spaceAsPlus: true)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
