import ArgumentParser
import Foundation
import SwitchboardCore
import SwitchboardSQLStore

/// `switchboard users`: the hub's agents and admins and their API tokens. The first admin is made
/// here (the API's user management needs an admin's token to start with).
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "Agents, admins and their API tokens.",
        subcommands: [Add.self, List.self, Token.self, Revoke.self, Password.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user and print their first API token (shown this once).")
        @OptionGroup var options: DataOptions
        @Argument(help: "The user's name, as it signs replies (e.g. \"Bo Berg\").") var name: String
        @Option(help: "agent (answers customers) or admin (also manages users).") var role: String = "agent"

        func run() async throws {
            guard let role = User.Role(rawValue: role) else {
                printError("error: --role must be agent or admin, not '\(role)'")
                throw ExitCode(2)
            }
            let store = try options.openStore()
            let user = try await storeCall { try await store.createUser(name: name, role: role) }
            let issued = try await storeCall { try await store.issueToken(forUser: user.id) }
            try options.output(NewUser(user: user, token: issued.token, tokenID: issued.record.id)) {
                """
                \(user.role.rawValue) \(user.name) (\(user.id))
                token \(issued.record.id): \(issued.token)
                Keep the token: it is not stored and cannot be shown again (the hub keeps its hash).
                """
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every user, oldest first.")
        @OptionGroup var options: DataOptions

        func run() async throws {
            let users = try await options.openStore().users()
            try options.output(users) {
                users.isEmpty
                    ? "no users; add the first admin with `switchboard users add NAME --role admin`"
                    : users.map { "\($0.id)  \($0.role.rawValue)  \($0.name)" }.joined(separator: "\n")
            }
        }
    }

    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue another API token for a user (shown this once).")
        @OptionGroup var options: DataOptions
        @Argument(help: "The user's name.") var name: String

        func run() async throws {
            let store = try options.openStore()
            let user = try await UsersCommand.existingUser(named: name, in: store)
            let issued = try await storeCall { try await store.issueToken(forUser: user.id) }
            try options.output(NewUser(user: user, token: issued.token, tokenID: issued.record.id)) {
                "token \(issued.record.id) for \(user.name): \(issued.token)\nKeep it: it cannot be shown again."
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an API token by its id (tok_…).")
        @OptionGroup var options: DataOptions
        @Argument(help: "The token's id, as `users add` or `users token` printed it.") var id: String

        func run() async throws {
            let store = try options.openStore()
            let token = try await storeCall { try await store.revokeToken(id: id) }
            try options.output(token) { "revoked \(token.id)" }
        }
    }

    struct Password: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a user's password for the web inbox, read from standard input (one line).",
            discussion: """
                The password is read from standard input so it stays out of the shell's history and the
                process list: `printf '%s\\n' "$PASSWORD" | switchboard users password "Bo Berg"`. Setting it
                ends the user's open web sessions.
                """)
        @OptionGroup var options: DataOptions
        @Argument(help: "The user's name.") var name: String

        func run() async throws {
            let store = try options.openStore()
            let user = try await UsersCommand.existingUser(named: name, in: store)
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                printError("error: no password on standard input; pipe it in, e.g. printf '%s\\n' \"$PASSWORD\" | …")
                throw ExitCode(2)
            }
            if let problem = PasswordHash.problem(with: line) {
                printError("error: \(problem)")
                throw ExitCode(2)
            }
            let hash = try await PasswordHash.make(line)
            try await storeCall { try await store.setPasswordHash(hash, forUser: user.id) }
            try options.output(["user": user.id, "password": "set"]) { "password set for \(user.name)" }
        }
    }

    /// The user by that name, or exit 1 with where to look.
    static func existingUser(named name: String, in store: any SwitchboardStore) async throws -> User {
        guard let user = try await store.user(named: name) else {
            printError("error: no user named \(name); list them with `switchboard users list`")
            throw ExitCode(1)
        }
        return user
    }

    struct NewUser: Encodable {
        var user: User
        var token: String
        var tokenID: String
    }
}
