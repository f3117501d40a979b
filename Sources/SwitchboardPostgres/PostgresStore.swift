import Foundation
import Logging
import NIOSSL
import PostgresNIO
import SwitchboardSQLStore

extension SQLStore {
    /// Connects to the PostgreSQL database at `url` and brings its schema up to date.
    ///
    /// `url` is `postgresql://USER:PASSWORD@HOST:PORT/DATABASE`, with optional query items
    /// `sslmode=disable|require` (default: disable on a loopback host, require elsewhere) and
    /// `search_path=SCHEMA` (tests give each run its own schema).
    /// - Parameter maxGroupSize: the most envelopes one group commit carries.
    public convenience init(
        postgresURL url: String, maxConnections: Int = 8, maxGroupSize: Int = 1000,
        logger: Logger = Logger(label: "switchboard.postgres")
    ) throws {
        let configuration = try PostgresURL.configuration(url)
        let database = PostgresSQLDatabase(configuration: configuration, maxConnections: maxConnections, logger: logger)
        try PostgresMigrations.migrate(database)
        self.init(database: database, maxGroupSize: maxGroupSize)
    }
}

extension SQLStore {
    /// ``init(postgresURL:maxConnections:maxGroupSize:logger:)`` without blocking the caller's
    /// thread while it connects and migrates (for callers on Swift's cooperative pool).
    public static func connect(
        postgresURL url: String, maxConnections: Int = 8, maxGroupSize: Int = 1000,
        logger: Logger = Logger(label: "switchboard.postgres")
    ) async throws -> SQLStore {
        let configuration = try PostgresURL.configuration(url)
        let database = PostgresSQLDatabase(configuration: configuration, maxConnections: maxConnections, logger: logger)
        try await PostgresMigrations.migrate(database)
        return SQLStore(database: database, maxGroupSize: maxGroupSize)
    }
}

/// Reads a `postgresql://` URL into postgres-nio's configuration, with errors that say what to fix
/// (and never repeat the password).
public enum PostgresURL {
    public static func configuration(_ url: String) throws -> PostgresConnection.Configuration {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme)
        else {
            throw SQLError(.other, "storage.postgres.url must look like postgresql://USER:PASSWORD@HOST:PORT/DATABASE")
        }
        guard let host = components.host, !host.isEmpty else {
            throw SQLError(
                .other, "storage.postgres.url has no host; write postgresql://USER:PASSWORD@HOST:PORT/DATABASE")
        }
        guard let user = components.user, !user.isEmpty else {
            throw SQLError(
                .other, "storage.postgres.url has no user; write postgresql://USER:PASSWORD@\(host)/DATABASE")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else {
            throw SQLError(.other, "storage.postgres.url names no database; add /DATABASE after the host")
        }
        var items: [String: String] = [:]
        for item in components.queryItems ?? [] { items[item.name] = item.value ?? "" }
        let loopback = ["127.0.0.1", "localhost", "::1"].contains(host)
        let tls: PostgresConnection.Configuration.TLS
        switch items["sslmode"] ?? (loopback ? "disable" : "require") {
        case "disable": tls = .disable
        case "require":
            do {
                tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            } catch {
                throw SQLError(.other, "cannot set up TLS for PostgreSQL: \(error)")
            }
        case let other:
            throw SQLError(.other, "storage.postgres.url: sslmode=\(other) is not supported; use disable or require")
        }
        var configuration = PostgresConnection.Configuration(
            host: host, port: components.port ?? 5432, username: user,
            password: components.password?.removingPercentEncoding ?? components.password, database: database, tls: tls)
        if let schema = items["search_path"] {
            guard schema.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), !schema.isEmpty else {
                throw SQLError(.other, "storage.postgres.url: search_path must be letters, digits and _")
            }
            configuration.options.additionalStartupParameters = [("search_path", schema)]
        }
        return configuration
    }
}
