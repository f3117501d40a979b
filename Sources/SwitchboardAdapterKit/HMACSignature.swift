import Crypto
import Foundation

/// HMAC signing and constant-time checking, shared by every adapter whose channel signs requests.
public enum HMACSignature {
    /// HMAC-SHA256 of `body` under `secret`, as lower-case hex.
    public static func sha256Hex(secret: String, body: some DataProtocol) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8)))
        return hex(mac)
    }

    /// HMAC-SHA256 of `body` under `secret`, as bytes.
    public static func sha256(secret: String, body: some DataProtocol) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8))))
    }

    /// HMAC-SHA1 of `body` under `secret`, as bytes (Twilio signs with this).
    public static func sha1(secret: String, body: some DataProtocol) -> [UInt8] {
        Array(HMAC<Insecure.SHA1>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8))))
    }

    /// Compares two strings in time that depends only on their lengths.
    public static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8)
        let b = Array(rhs.utf8)
        var difference: UInt8 = a.count == b.count ? 0 : 1
        for index in 0..<max(a.count, b.count) {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            difference |= x ^ y
        }
        return difference == 0
    }

    /// SHA-256 of `bytes`, as lower-case hex (content addresses, dedup hashes).
    public static func sha256Hex(_ bytes: some DataProtocol) -> String {
        hex(SHA256.hash(data: bytes))
    }

    /// Lower-case hex of any bytes.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
