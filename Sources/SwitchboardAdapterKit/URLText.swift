/// URL text as adapters build it from their settings: one spelling of a base URL, and one
/// percent-encoding of path segments and query values, so every adapter writes them alike.
public enum URLText {
    /// `url` without its trailing slashes, the form every adapter appends `/path` to:
    /// `https://api.x.com/` → `https://api.x.com`.
    public static func trimmingTrailingSlashes(_ url: String) -> String {
        var url = url
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }

    /// `text` with every byte but RFC 3986's unreserved characters (`A-Z a-z 0-9 - . _ ~`)
    /// percent-encoded: for a path segment (a Matrix room id) or a query value (an X search query
    /// with spaces, quotes and colons). Unlike ``FormEncoding/escape(_:)``, a space is `%20`.
    public static func percentEncoded(_ text: String) -> String {
        escape(text, alsoUnreserved: UInt8(ascii: "~"), spaceAsPlus: false)
    }

    /// `text` with every byte but `A-Z a-z 0-9 - . _` and `alsoUnreserved` percent-encoded (upper-case
    /// hex); a space becomes `+` when `spaceAsPlus` (forms) and `%20` otherwise. Both encodings the
    /// SDK offers, ``percentEncoded(_:)`` and ``FormEncoding/escape(_:)``, are this loop.
    static func escape(_ text: String, alsoUnreserved: UInt8, spaceAsPlus: Bool) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                alsoUnreserved:
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " ") where spaceAsPlus:
                out.append("+")
            default:
                out.append("%")
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return out
    }

    private static let hexDigits: [Character] = Array("0123456789ABCDEF")

    /// `name=value&…` with both sides ``percentEncoded(_:)``.
    public static func query(_ pairs: [(name: String, value: String)]) -> String {
        pairs.map { percentEncoded($0.name) + "=" + percentEncoded($0.value) }.joined(separator: "&")
    }
}
