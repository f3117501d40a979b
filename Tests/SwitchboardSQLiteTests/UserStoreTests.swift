import Foundation
import SwitchboardCore
import SwitchboardSQLStore
import Testing

/// Users and API tokens on both backends: tokens are found by hash, never stored in clear, and a
/// revoked token finds nobody.
struct UserStoreTests {
    @Test func aTokenFindsItsUserUntilItIsRevoked() async throws {
        try await withTemporaryStore { store in
            let bo = try await store.createUser(name: "Bo Berg", role: .agent)
            let issued = try await store.issueToken(forUser: bo.id)
            #expect(issued.token.hasPrefix("sbt_") && issued.token.count == 56)
            #expect(bo.id.hasPrefix("usr_") && issued.record.id.hasPrefix("tok_"))
            #expect(try await store.user(forToken: issued.token) == bo)
            #expect(try await store.user(forToken: issued.token + "x") == nil)
            #expect(try await store.user(forToken: "not a token") == nil)
            let revoked = try await store.revokeToken(id: issued.record.id)
            #expect(revoked.revokedAt != nil)
            #expect(try await store.user(forToken: issued.token) == nil)
            // Revoking twice keeps the first time.
            #expect(try await store.revokeToken(id: issued.record.id).revokedAt == revoked.revokedAt)
        }
    }

    @Test func onlyTheTokensHashIsStored() async throws {
        try await withTemporaryStore { store in
            let ana = try await store.createUser(name: "Ana", role: .admin)
            let issued = try await store.issueToken(forUser: ana.id)
            let stored: [String] = try await store.database.read { db in
                try db.fetchAll("SELECT token_hash FROM api_tokens").map { try $0[0] }
            }
            #expect(stored == [APITokenSecret.hash(issued.token)])
            #expect(!stored.contains(issued.token))
        }
    }

    @Test func aUserMayHoldSeveralTokens() async throws {
        try await withTemporaryStore { store in
            let bo = try await store.createUser(name: "Bo", role: .agent)
            let first = try await store.issueToken(forUser: bo.id)
            let second = try await store.issueToken(forUser: bo.id)
            #expect(first.token != second.token)
            _ = try await store.revokeToken(id: first.record.id)
            #expect(try await store.user(forToken: second.token)?.name == "Bo")
        }
    }

    @Test func namesAreUniqueAndCheckedAndUnknownIdsAreNotFound() async throws {
        try await withTemporaryStore { store in
            _ = try await store.createUser(name: "Bo", role: .agent)
            let taken = await expectStoreError(.conflict) { _ = try await store.createUser(name: " Bo ", role: .admin) }
            #expect(taken?.contains("already a user named Bo") == true)
            _ = await expectStoreError(.invalid) { _ = try await store.createUser(name: "  ", role: .agent) }
            _ = await expectStoreError(.invalid) { _ = try await store.createUser(name: "a\nb", role: .agent) }
            _ = await expectStoreError(.notFound) { _ = try await store.issueToken(forUser: "usr_nope") }
            _ = await expectStoreError(.notFound) { _ = try await store.revokeToken(id: "tok_nope") }
            #expect(try await store.users().map(\.name) == ["Bo"])
            #expect(try await store.user(named: "Bo")?.role == .agent)
        }
    }

    @Test func rolesIncludeWhatTheyShould() {
        #expect(User.Role.admin.includes(.admin) && User.Role.admin.includes(.agent))
        #expect(User.Role.agent.includes(.agent) && !User.Role.agent.includes(.admin))
    }
}
