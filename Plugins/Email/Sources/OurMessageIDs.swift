import SwitchboardAdapterKit

/// The Message-IDs of the mail we send, which carry the conversation's thread key and a MAC, so a
/// reply that names one in In-Reply-To or References is threaded by proof, not by guesswork:
///
/// ```
/// <sb.t-4f1c9a0b2d3e4f5a6b7c8d9e.msg_01jd2k3m4n5p6q7r.8a9b0c1d2e3f4a5b6c7d@example.com>
///     └┬┘ └──────── thread key ──────┘ └──── hub message id ───┘ └──── MAC ────────┘
/// ```
///
/// The MAC is HMAC-SHA256 under a key derived from the hub's secret, over the thread key and the
/// message id, so nobody else can make an id that threads into one of our conversations, and every
/// inbox of the hub recognises every other's. The id depends only on the message, so a retried
/// send carries the same Message-ID and the customer's mail client shows it once.
struct OurMessageIDs: Sendable {
    let key: String
    let domain: String

    init(hubSecret: String, domain: String) {
        key = hubSecret + "/email/message-id"
        self.domain = domain
    }

    /// The Message-ID (without angle brackets) for one of our messages.
    func make(threadKey: String, messageID: String) -> String {
        let tag = Self.tag(for: threadKey)
        let local = "sb.\(tag).\(Self.safe(messageID))"
        return "\(local).\(mac(local))@\(domain)"
    }

    /// The thread key carried by `id` if it is one of ours and its MAC is right; nil otherwise.
    func threadKey(in id: String) -> String? {
        guard let at = id.lastIndex(of: "@") else { return nil }
        let local = id[..<at]
        guard let lastDot = local.lastIndex(of: ".") else { return nil }
        let signed = String(local[..<lastDot])
        let givenMAC = String(local[local.index(after: lastDot)...])
        let parts = signed.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "sb", HMACSignature.constantTimeEquals(givenMAC, mac(signed)) else {
            return nil
        }
        return Self.threadKey(fromTag: String(parts[1]))
    }

    private func mac(_ text: String) -> String {
        String(HMACSignature.sha256Hex(secret: key, body: Array(text.utf8)).prefix(24))
    }

    /// Thread keys made by this adapter (`t-<hex>`) go in as they are; any other is hex-encoded
    /// behind an `x`, so the id stays a valid dot-atom.
    static func tag(for threadKey: String) -> String {
        let plain =
            !threadKey.isEmpty && threadKey.count <= 64 && !threadKey.hasPrefix("x")
            && threadKey.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
        return plain ? threadKey : "x" + HMACSignature.hex(threadKey.utf8)
    }

    static func threadKey(fromTag tag: String) -> String? {
        guard tag.hasPrefix("x") else { return tag }
        let hex = Array(tag.utf8.dropFirst())
        guard hex.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        var index = 0
        while index < hex.count {
            guard let high = nibble(hex[index]), let low = nibble(hex[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }

    /// Hub message ids are `msg_` and upper-case Crockford base32, all dot-atom characters, and
    /// are kept as they are (two ids must never give one Message-ID); anything outside ASCII
    /// letters, digits and `_` becomes `-`.
    static func safe(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map {
                    $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || $0 == "_")
                        ? $0 : "-"
                }))
    }
}
