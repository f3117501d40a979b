import CryptoExtras
import Foundation
import SwitchboardAdapterKit

/// Agents' passwords as the store keeps them: PBKDF2-HMAC-SHA256 with a random salt, in the form
/// `pbkdf2-sha256$<rounds>$<salt, base64>$<key, base64>`, so a copy of the database does not give
/// the passwords away and the rounds can grow later without breaking stored hashes.
///
/// Hashing takes a noticeable moment on purpose; both calls run on a thread of their own, off
/// Swift's cooperative pool, so a login never stalls other requests.
public enum PasswordHash {
    /// OWASP's 2023 figure for PBKDF2-HMAC-SHA256.
    public static let defaultRounds = 600_000
    static let scheme = "pbkdf2-sha256"

    /// Why a password is refused; the message says what a good one looks like.
    public static func problem(with password: String) -> String? {
        let length = password.count
        if length < 10 { return "a password has at least 10 characters" }
        if length > 200 { return "a password has at most 200 characters" }
        return nil
    }

    /// The stored form of `password`. Throws `invalid` when the password is too short or long.
    public static func make(_ password: String, rounds: Int = defaultRounds) async throws -> String {
        if let problem = problem(with: password) { throw StoreError(.invalid, problem) }
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let key = try await derive(password, salt: salt, rounds: rounds)
        return [scheme, String(rounds), Data(salt).base64EncodedString(), Data(key).base64EncodedString()]
            .joined(separator: "$")
    }

    /// Whether `password` is the one `stored` was made from. A malformed `stored` matches nothing.
    public static func verify(_ password: String, against stored: String) async -> Bool {
        let parts = stored.split(separator: "$").map(String.init)
        guard parts.count == 4, parts[0] == scheme, let rounds = Int(parts[1]), (1_000...10_000_000).contains(rounds),
            let salt = Data(base64Encoded: parts[2]), let expected = Data(base64Encoded: parts[3]),
            password.utf8.count <= 1_000,
            let key = try? await derive(password, salt: Array(salt), rounds: rounds)
        else { return false }
        guard key.count == expected.count else { return false }
        return zip(key, expected).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// Costs what a real verification costs, for logins by names that do not exist, so the
    /// answer's timing does not tell which names do.
    public static func spendVerificationTime(_ password: String) async {
        _ = try? await derive(password, salt: Array(repeating: 0, count: 16), rounds: defaultRounds)
    }

    static func derive(_ password: String, salt: [UInt8], rounds: Int) async throws -> [UInt8] {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(
                    with: Result {
                        let key = try KDF.Insecure.PBKDF2.deriveKey(
                            from: Array(password.utf8), salt: salt, using: .sha256, outputByteCount: 32,
                            unsafeUncheckedRounds: rounds)
                        return key.withUnsafeBytes { Array($0) }
                    })
            }
        }
    }
}
