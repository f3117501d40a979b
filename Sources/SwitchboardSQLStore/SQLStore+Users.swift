import Foundation
import SwitchboardAdapterKit
import SwitchboardCore

/// Users and their API tokens. A token is stored as its SHA-256 only, found by that hash.
extension SQLStore: UserStore {
    public func createUser(name: String, role: User.Role) async throws -> User {
        guard name.unicodeScalars.count <= 100, !name.contains(where: \.isNewline) else {
            throw StoreError(.invalid, "a user's name is 1 to 100 characters on one line")
        }
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw StoreError(.invalid, "a user's name is 1 to 100 characters on one line") }
        let user = User(id: SortableID.make("usr_"), name: name, role: role, createdAt: Date(millis: Date().millis))
        return try await database.write { db in
            if try db.fetchOne("SELECT id FROM users WHERE name = ?", [name]) != nil {
                throw StoreError(.conflict, "there is already a user named \(name)")
            }
            try db.execute(
                "INSERT INTO users (id, name, role, created_at) VALUES (?, ?, ?, ?)",
                [user.id, user.name, user.role.rawValue, user.createdAt.millis])
            return user
        }
    }

    public func users() async throws -> [User] {
        try await database.read { db in
            try db.fetchAll("SELECT id, name, role, created_at FROM users ORDER BY id").map(Self.user)
        }
    }

    public func user(named name: String) async throws -> User? {
        try await database.read { db in
            try db.fetchOne("SELECT id, name, role, created_at FROM users WHERE name = ?", [name]).map(Self.user)
        }
    }

    public func issueToken(forUser userID: String) async throws -> IssuedToken {
        let token = APITokenSecret.generate()
        let record = APIToken(id: SortableID.make("tok_"), userID: userID, createdAt: Date(millis: Date().millis))
        try await database.write { db in
            guard try db.fetchOne("SELECT id FROM users WHERE id = ?", [userID]) != nil else {
                throw StoreError(.notFound, "no user \(userID); list them with `switchboard users list`")
            }
            try db.execute(
                "INSERT INTO api_tokens (id, user_id, token_hash, created_at) VALUES (?, ?, ?, ?)",
                [record.id, userID, APITokenSecret.hash(token), record.createdAt.millis])
        }
        return IssuedToken(token: token, record: record)
    }

    public func revokeToken(id: String) async throws -> APIToken {
        try await database.write { db in
            guard
                let row = try db.fetchOne(
                    "SELECT id, user_id, created_at, revoked_at FROM api_tokens WHERE id = ?", [id])
            else { throw StoreError(.notFound, "no token \(id)") }
            var token = APIToken(
                id: try row[0], userID: try row[1], createdAt: Date(millis: try row[2]),
                revokedAt: (try row[3] as Int64?).map(Date.init(millis:)))
            if token.revokedAt == nil {
                let now = Date()
                try db.execute("UPDATE api_tokens SET revoked_at = ? WHERE id = ?", [now.millis, id])
                token.revokedAt = Date(millis: now.millis)
            }
            return token
        }
    }

    public func user(forToken token: String, kind: APIToken.Kind) async throws -> User? {
        guard token.hasPrefix(APITokenSecret.prefix), token.utf8.count < 200 else { return nil }
        let hash = APITokenSecret.hash(token)
        return try await database.read { db in
            try db.fetchOne(
                """
                SELECT users.id, users.name, users.role, users.created_at FROM api_tokens
                JOIN users ON users.id = api_tokens.user_id
                WHERE api_tokens.token_hash = ? AND api_tokens.revoked_at IS NULL AND api_tokens.kind = ?
                AND (api_tokens.expires_at IS NULL OR api_tokens.expires_at > ?)
                """, [hash, kind.rawValue, Date().millis]
            ).map(Self.user)
        }
    }

    public func issueSession(forUser userID: String, expiresAt: Date) async throws -> IssuedToken {
        let token = APITokenSecret.generate()
        let record = APIToken(id: SortableID.make("ses_"), userID: userID, createdAt: Date(millis: Date().millis))
        try await database.write { db in
            guard try db.fetchOne("SELECT id FROM users WHERE id = ?", [userID]) != nil else {
                throw StoreError(.notFound, "no user \(userID)")
            }
            // Sessions that ended are of no use to anyone: each login clears the user's.
            try db.execute(
                "DELETE FROM api_tokens WHERE user_id = ? AND kind = 'session' AND expires_at <= ?",
                [userID, record.createdAt.millis])
            try db.execute(
                """
                INSERT INTO api_tokens (id, user_id, token_hash, created_at, kind, expires_at)
                VALUES (?, ?, ?, ?, 'session', ?)
                """, [record.id, userID, APITokenSecret.hash(token), record.createdAt.millis, expiresAt.millis])
        }
        return IssuedToken(token: token, record: record)
    }

    public func revokeSession(token: String) async throws {
        let hash = APITokenSecret.hash(token)
        try await database.write { db in
            try db.execute(
                "UPDATE api_tokens SET revoked_at = ? WHERE token_hash = ? AND kind = 'session' AND revoked_at IS NULL",
                [Date().millis, hash])
        }
    }

    public func signedInUsers(now: Date) async throws -> [User] {
        try await database.read { db in
            try db.fetchAll(
                """
                SELECT users.id, users.name, users.role, users.created_at FROM users WHERE EXISTS (
                    SELECT 1 FROM api_tokens WHERE api_tokens.user_id = users.id AND api_tokens.kind = 'session'
                    AND api_tokens.revoked_at IS NULL AND api_tokens.expires_at > ?)
                ORDER BY users.created_at, users.id
                """, [now.millis]
            ).map(Self.user)
        }
    }

    public func setPasswordHash(_ hash: String, forUser userID: String) async throws {
        try await database.write { db in
            guard try db.fetchOne("SELECT id FROM users WHERE id = ?", [userID]) != nil else {
                throw StoreError(.notFound, "no user \(userID); list them with `switchboard users list`")
            }
            try db.execute("UPDATE users SET password_hash = ? WHERE id = ?", [hash, userID])
            // A new password ends every web session the old one opened.
            try db.execute(
                "UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND kind = 'session' AND revoked_at IS NULL",
                [Date().millis, userID])
        }
    }

    public func credentials(named name: String) async throws -> (user: User, passwordHash: String?)? {
        try await database.read { db in
            guard
                let row = try db.fetchOne(
                    "SELECT id, name, role, created_at, password_hash FROM users WHERE name = ?", [name])
            else { return nil }
            return (try Self.user(row), try row[4] as String?)
        }
    }

    static func user(_ row: SQLRow) throws -> User {
        User(
            id: try row[0], name: try row[1], role: User.Role(rawValue: try row[2]) ?? .agent,
            createdAt: Date(millis: try row[3]))
    }
}
