import Foundation
import Testing

@testable import SwitchboardCore

/// Passwords as the store keeps them: PBKDF2 with a salt, checked in constant time.
struct PasswordHashTests {
    @Test func theRightPasswordMatchesAndOthersDoNot() async throws {
        let stored = try await PasswordHash.make("correct horse battery", rounds: 1_000)
        #expect(stored.hasPrefix("pbkdf2-sha256$1000$"))
        #expect(await PasswordHash.verify("correct horse battery", against: stored))
        #expect(!(await PasswordHash.verify("correct horse batterY", against: stored)))
        #expect(!(await PasswordHash.verify("", against: stored)))
        // A salt each time: the same password never hashes the same.
        #expect(try await PasswordHash.make("correct horse battery", rounds: 1_000) != stored)
    }

    @Test func malformedHashesMatchNothing() async {
        for stored in ["", "plain", "pbkdf2-sha256$1000$!!$!!", "md5$1000$YWJj$YWJj", "pbkdf2-sha256$1$YWJj$YWJj"] {
            #expect(!(await PasswordHash.verify("anything at all", against: stored)), "\(stored)")
        }
    }

    @Test func tooShortOrLongPasswordsAreRefusedWithTheRule() async {
        #expect(PasswordHash.problem(with: "short") == "a password has at least 10 characters")
        #expect(PasswordHash.problem(with: String(repeating: "x", count: 201)) != nil)
        await #expect(throws: StoreError.self) { try await PasswordHash.make("short") }
    }

    /// RFC 7914 §11's PBKDF2-HMAC-SHA-256 vector (P="passwd", S="salt", c=1, dkLen=64), first 32
    /// bytes: the derivation is the standard one (checked with 1 round through the internal call).
    @Test func theDerivationIsStandardPBKDF2() async throws {
        let key = try await PasswordHash.derive("passwd", salt: Array("salt".utf8), rounds: 1)
        let hex = key.map { String(format: "%02x", $0) }.joined()
        #expect(hex == "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc")
    }
}
