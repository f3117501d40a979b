import Dispatch
import Foundation
import Logging
import NIOCore
import PostgresNIO
import SwitchboardSQLStore
import Synchronization

/// PostgreSQL as an ``SQLDatabase``: a few connections, each used by one transaction at a time on a
/// dispatch thread (the store logic is synchronous; postgres-nio's futures are waited for there).
///
/// Every write transaction first takes one transaction-level advisory lock, so writes are
/// serialised across every hub process on the database, as SQLite's single writer serialises them
/// in one process: identity resolution and dedup need no other coordination. Reads run in
/// REPEATABLE READ, read-only, so a timeline page is one snapshot.
public final class PostgresSQLDatabase: SQLDatabase {
    /// The advisory lock key every write transaction holds ("swbd" in ASCII).
    static let writeLock: Int64 = 0x7377_6264

    public let configuration: PostgresConnection.Configuration
    let logger: Logger
    private let pool: ConnectionPool

    public var dialect: SQLDialect { .postgres }

    /// Connects lazily: the first transaction opens the first connection.
    /// - Parameter maxConnections: the most connections this process opens.
    public init(configuration: PostgresConnection.Configuration, maxConnections: Int = 8, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        pool = ConnectionPool(limit: max(1, maxConnections))
    }

    @discardableResult
    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T {
        try await transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    @discardableResult
    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T {
        try await transaction("BEGIN", body, lock: true)
    }

    public var isShared: Bool { true }

    @discardableResult
    public func writeConcurrently<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws
        -> T
    {
        try await transaction("BEGIN", body)
    }

    @discardableResult
    public func writeSynchronously<T>(_ body: (any SQLSession) throws -> T) throws -> T {
        let connection = try connectNow()
        defer { try? connection.close().wait() }
        return try Self.run(connection, begin: "BEGIN", lock: true, logger: logger, body)
    }

    /// Closes every idle connection (the hub's shutdown; tests). Each is kept alive until its
    /// close completes: postgres-nio traps on a connection released while open.
    public func close() {
        for connection in pool.drain() { connection.close().whenComplete { _ in withExtendedLifetime(connection) {} } }
    }

    deinit {
        close()
    }

    private func transaction<T: Sendable>(
        _ begin: String, _ body: @escaping @Sendable (any SQLSession) throws -> T, lock: Bool = false
    ) async throws -> T {
        let connection = try await takeConnection()
        let logger = logger
        do {
            let result = try await withCheckedThrowingContinuation {
                (continuation: CheckedContinuation<T, any Error>) in
                DispatchQueue.global().async {
                    continuation.resume(
                        with: Result { try Self.run(connection, begin: begin, lock: lock, logger: logger, body) })
                }
            }
            pool.give(connection)
            return result
        } catch {
            // A connection whose transaction failed in a way the rollback could not repair is dropped.
            if connection.isClosed { pool.discard() } else { pool.give(connection) }
            throw error
        }
    }

    /// BEGIN, (the write lock), body, COMMIT; ROLLBACK if the body throws.
    static func run<T>(
        _ connection: PostgresConnection, begin: String, lock: Bool, logger: Logger,
        _ body: (any SQLSession) throws -> T
    ) throws -> T {
        let session = PostgresSession(connection: connection, logger: logger)
        try session.execute(begin)
        do {
            if lock { try session.execute("SELECT pg_advisory_xact_lock(?)", [writeLock]) }
            let result = try body(session)
            try session.execute("COMMIT")
            return result
        } catch {
            _ = try? session.execute("ROLLBACK")
            throw error
        }
    }

    private func takeConnection() async throws -> PostgresConnection {
        while true {
            switch await pool.take() {
            case .idle(let connection) where !connection.isClosed:
                return connection
            case .idle:
                pool.discard()
            case .open:
                do {
                    return try await PostgresConnection.connect(
                        on: PostgresConnection.defaultEventLoopGroup.next(), configuration: configuration,
                        id: pool.nextID(), logger: logger
                    ).get()
                } catch {
                    pool.discard()
                    throw Self.connectError(error, configuration)
                }
            }
        }
    }

    private func connectNow() throws -> PostgresConnection {
        do {
            return try PostgresConnection.connect(
                on: PostgresConnection.defaultEventLoopGroup.next(), configuration: configuration, id: pool.nextID(),
                logger: logger
            ).wait()
        } catch {
            throw Self.connectError(error, configuration)
        }
    }

    static func connectError(_ error: any Error, _ configuration: PostgresConnection.Configuration) -> SQLError {
        let server = "\(configuration.host ?? configuration.unixSocketPath ?? "?"):\(configuration.port ?? 5432)"
        let reason = PostgresSession.sqlError(error).message
        return SQLError(
            .connection,
            "cannot connect to PostgreSQL at \(server) as \(configuration.username): \(reason); "
                + "check storage.postgres.url and that the server runs")
    }
}

/// The connections of one ``PostgresSQLDatabase``: idle ones, how many are open, and the callers
/// waiting for one.
final class ConnectionPool: Sendable {
    enum Lease { case idle(PostgresConnection), open }

    private struct State {
        var idle: [PostgresConnection] = []
        var open = 0
        var waiting: [CheckedContinuation<Lease, Never>] = []
        var nextID = 1
    }

    private let limit: Int
    private let state = Mutex(State())

    init(limit: Int) {
        self.limit = limit
    }

    /// An idle connection, or leave to open a new one (counted as open from now on).
    func take() async -> Lease {
        await withCheckedContinuation { continuation in
            let lease: Lease? = state.withLock { state in
                if let connection = state.idle.popLast() { return .idle(connection) }
                if state.open < limit {
                    state.open += 1
                    return .open
                }
                state.waiting.append(continuation)
                return nil
            }
            if let lease { continuation.resume(returning: lease) }
        }
    }

    func give(_ connection: PostgresConnection) {
        let waiter: CheckedContinuation<Lease, Never>? = state.withLock { state in
            if state.waiting.isEmpty {
                state.idle.append(connection)
                return nil
            }
            return state.waiting.removeFirst()
        }
        waiter?.resume(returning: .idle(connection))
    }

    /// A taken connection is gone (closed or never opened): a waiter may open another.
    func discard() {
        let waiter: CheckedContinuation<Lease, Never>? = state.withLock { state in
            if state.waiting.isEmpty {
                state.open -= 1
                return nil
            }
            return state.waiting.removeFirst()
        }
        waiter?.resume(returning: .open)
    }

    func nextID() -> Int {
        state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
    }

    func drain() -> [PostgresConnection] {
        state.withLock { state in
            defer {
                state.open -= state.idle.count
                state.idle = []
            }
            return state.idle
        }
    }
}
