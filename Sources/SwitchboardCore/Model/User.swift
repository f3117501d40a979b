import Foundation
import SwitchboardAdapterKit

/// A person who works in the hub. It exists so that the API knows who acts and what they may do:
/// an agent answers customers; an admin may also manage users (and whatever else is marked admin).
public struct User: Sendable, Hashable, Codable {
    public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
        case agent, admin

        /// Whether this role may do what `required` may.
        public func includes(_ required: Role) -> Bool { self == .admin || required == .agent }
    }

    public var id: String
    public var name: String
    public var role: Role
    public var createdAt: Date

    public init(id: String, name: String, role: Role, createdAt: Date) {
        self.id = id
        self.name = name
        self.role = role
        self.createdAt = createdAt
    }
}

/// An API token's record. The store keeps only the token's SHA-256 (``APITokenSecret/hash(_:)``),
/// never the token: a copy of the database gives nobody a way in.
public struct APIToken: Sendable, Hashable, Codable {
    /// `api` tokens go in `Authorization: Bearer`; `session` tokens are the web inbox's login
    /// cookie and expire.
    public enum Kind: String, Sendable, Hashable, Codable { case api, session }

    public var id: String
    public var userID: String
    public var createdAt: Date
    public var revokedAt: Date?

    public init(id: String, userID: String, createdAt: Date, revokedAt: Date? = nil) {
        self.id = id
        self.userID = userID
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}

/// A token as it is issued: the only time the secret is shown.
public struct IssuedToken: Sendable, Hashable, Codable {
    public var token: String
    public var record: APIToken

    public init(token: String, record: APIToken) {
        self.token = token
        self.record = record
    }
}

/// Making and hashing API tokens: `sbt_` and 52 base32 characters (256 random bits). With that
/// much entropy one SHA-256 is the right hash (nothing to brute-force), and it lets the store find
/// a token by its hash in one indexed read.
public enum APITokenSecret {
    public static let prefix = "sbt_"

    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return prefix + base32(bytes)
    }

    /// The stored form of a token.
    public static func hash(_ token: String) -> String { HMACSignature.sha256Hex(Array(token.utf8)) }

    static func base32(_ bytes: [UInt8]) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567")
        var output = ""
        var buffer = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | Int(byte)
            bits += 8
            while bits >= 5 {
                output.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
        }
        if bits > 0 { output.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return output
    }
}
