import Crypto
import Foundation

/// Signs and checks like a customer's own system would, with swift-crypto directly (not the hub's
/// helper), so the tests check the hub against an independent implementation.
enum IndependentHMAC {
    static func sha256Hex(secret: String, body: [UInt8]) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8)))
        return mac.map { String(format: "%02x", $0) }.joined()
    }
}
