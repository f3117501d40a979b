import Foundation

/// A value bound to or read from a SQL statement: the storage classes both backends share
/// (SQLite's own; PostgreSQL's columns are declared with the same few types).
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Data)
}

/// A Swift value that can be bound to a statement's `?`.
public protocol SQLBindable {
    var sqlValue: SQLValue { get }
}

/// A Swift value that can be read from a column. Reading NULL into a non-optional type, or text
/// into a number, throws ``SQLError`` (a schema or query mistake, never a crash).
public protocol SQLDecodable {
    init(sqlValue: SQLValue) throws(SQLError)
}

/// What a backend reports when a statement fails, in the terms the store logic acts on.
public struct SQLError: Error, Sendable, CustomStringConvertible {
    /// The class of failure.
    public enum Kind: Sendable, Hashable {
        /// A UNIQUE, NOT NULL, CHECK or foreign key constraint refused the change.
        case constraint
        /// The disk is full or failing: no retry in this process can help.
        case storage
        /// The database server cannot be reached or dropped the connection.
        case connection
        /// A value read does not have the type the code expects.
        case decoding
        /// Anything else (a syntax error, a trigger's RAISE, ...).
        case other
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    /// The disk or the server failed: retrying the same work in this transaction cannot help, so
    /// ingest gives up on the group instead of redoing it envelope by envelope.
    public var isUnrecoverable: Bool { kind == .storage || kind == .connection }
}

/// One result row: values by position or by column name.
public struct SQLRow: Sendable {
    /// The column names, shared by every row of a result.
    public let columns: [String]
    public let values: [SQLValue]

    public init(columns: [String], values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    public subscript<T: SQLDecodable>(_ index: Int) -> T {
        get throws(SQLError) {
            guard values.indices.contains(index) else {
                throw SQLError(.decoding, "the query returned \(values.count) columns; column \(index) was asked for")
            }
            do {
                return try T(sqlValue: values[index])
            } catch {
                throw SQLError(.decoding, "column \(columns[index]): \(error.message)")
            }
        }
    }

    public subscript<T: SQLDecodable>(_ column: String) -> T {
        get throws(SQLError) {
            guard let index = columns.firstIndex(of: column) else {
                throw SQLError(.decoding, "the query returned no column \(column) (it has \(columns))")
            }
            return try self[index]
        }
    }
}

/// The few places where SQLite's and PostgreSQL's SQL differ, so the store logic writes one query.
public struct SQLDialect: Sendable {
    /// The larger of two values: SQLite's two-argument `MAX`, PostgreSQL's `GREATEST`.
    public var greatest: String
    /// The smaller of two values: SQLite's two-argument `MIN`, PostgreSQL's `LEAST`.
    public var least: String
    /// A column that orders rows of `conversations` and `message_status` by insertion, for ties:
    /// SQLite's `rowid`, a `seq` column in PostgreSQL.
    public var insertionOrder: String
    /// A `?` read as text that compares as the id columns do: byte by byte (PostgreSQL's id
    /// columns are `COLLATE "C"`, and a recursive query's terms must agree).
    public var textParameter: String
    /// Ends a SELECT whose rows one transaction claims: PostgreSQL's `FOR UPDATE SKIP LOCKED`, so
    /// hubs claiming at once each take other rows; nothing in SQLite, whose writer is alone.
    public var skipLocked: String

    public static let sqlite = SQLDialect(
        greatest: "MAX", least: "MIN", insertionOrder: "rowid", textParameter: "CAST(? AS TEXT)", skipLocked: "")
    public static let postgres = SQLDialect(
        greatest: "GREATEST", least: "LEAST", insertionOrder: "seq", textParameter: "CAST(? AS TEXT) COLLATE \"C\"",
        skipLocked: "FOR UPDATE SKIP LOCKED")
}

/// A connection inside a transaction, used synchronously by the store logic: the statements of
/// one ingest, one reply or one merge run in order on it. Queries use `?` placeholders.
public protocol SQLSession {
    var dialect: SQLDialect { get }
    func fetchAll(_ sql: String, _ arguments: [any SQLBindable]) throws(SQLError) -> [SQLRow]
    /// Runs a statement; returns how many rows it changed.
    @discardableResult
    func execute(_ sql: String, _ arguments: [any SQLBindable]) throws(SQLError) -> Int
    /// Runs `body` in a savepoint: released when it returns true, rolled back when it returns
    /// false or throws (the error is rethrown).
    func inSavepoint(_ body: () throws -> Bool) throws
}

extension SQLSession {
    public func fetchAll(_ sql: String) throws(SQLError) -> [SQLRow] { try fetchAll(sql, []) }

    @discardableResult
    public func execute(_ sql: String) throws(SQLError) -> Int { try execute(sql, []) }

    public func fetchOne(_ sql: String, _ arguments: [any SQLBindable] = []) throws(SQLError) -> SQLRow? {
        try fetchAll(sql, arguments).first
    }

    /// The first column of the first row, or nil when there is no row (or it is NULL).
    public func fetchValue<T: SQLDecodable>(_ sql: String, _ arguments: [any SQLBindable] = []) throws(SQLError)
        -> T?
    {
        guard let row = try fetchOne(sql, arguments), let first = row.values.first, first != .null else { return nil }
        return try row[0]
    }

    /// `?, ?, ?` for an `IN (...)` list of `count` values.
    public func placeholders(_ count: Int) -> String { Array(repeating: "?", count: count).joined(separator: ", ") }
}

/// A database the store reads and writes through, on threads where blocking is allowed.
public protocol SQLDatabase: Sendable {
    var dialect: SQLDialect { get }
    /// Whether several hub processes may use this database at once (PostgreSQL): then no process
    /// may take back claims it did not make itself.
    var isShared: Bool { get }
    /// Runs `body` in a read-only view of the database.
    @discardableResult
    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T
    /// Runs `body` in one write transaction: committed when it returns, rolled back when it throws.
    @discardableResult
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T
    /// A write transaction that does not wait for other writers: for claims that lock only the
    /// rows they take (``SQLDialect/skipLocked``). The same as ``write(_:)`` where there is one writer.
    @discardableResult
    func writeConcurrently<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T
    /// ``write(_:)`` that blocks the calling thread: only for start-up, before the hub serves.
    @discardableResult
    func writeSynchronously<T>(_ body: (any SQLSession) throws -> T) throws -> T
}

// MARK: - Bindable and decodable types

extension SQLValue: SQLBindable, SQLDecodable {
    public var sqlValue: SQLValue { self }
    public init(sqlValue: SQLValue) { self = sqlValue }
}

extension String: SQLBindable, SQLDecodable {
    public var sqlValue: SQLValue { .text(self) }
    public init(sqlValue: SQLValue) throws(SQLError) {
        switch sqlValue {
        case .text(let text): self = text
        case .integer(let value): self = String(value)
        case .real(let value): self = String(value)
        case .blob(let data): self = String(decoding: data, as: UTF8.self)
        case .null: throw SQLError(.decoding, "expected text, found NULL")
        }
    }
}

extension Int64: SQLBindable, SQLDecodable {
    public var sqlValue: SQLValue { .integer(self) }
    public init(sqlValue: SQLValue) throws(SQLError) {
        switch sqlValue {
        case .integer(let value): self = value
        case .real(let value) where value.rounded() == value && abs(value) < 9.2e18: self = Int64(value)
        case .text(let text) where Int64(text) != nil: self = Int64(text) ?? 0
        default: throw SQLError(.decoding, "expected a whole number, found \(sqlValue)")
        }
    }
}

extension Int: SQLBindable, SQLDecodable {
    public var sqlValue: SQLValue { .integer(Int64(self)) }
    public init(sqlValue: SQLValue) throws(SQLError) { self = Int(try Int64(sqlValue: sqlValue)) }
}

extension Bool: SQLBindable, SQLDecodable {
    /// Stored as 0 or 1 in both backends (an INTEGER column with a CHECK), as SQLite has no boolean.
    public var sqlValue: SQLValue { .integer(self ? 1 : 0) }
    public init(sqlValue: SQLValue) throws(SQLError) { self = try Int64(sqlValue: sqlValue) != 0 }
}

extension Double: SQLBindable, SQLDecodable {
    public var sqlValue: SQLValue { .real(self) }
    public init(sqlValue: SQLValue) throws(SQLError) {
        switch sqlValue {
        case .real(let value): self = value
        case .integer(let value): self = Double(value)
        case .text(let text) where Double(text) != nil: self = Double(text) ?? 0
        default: throw SQLError(.decoding, "expected a number, found \(sqlValue)")
        }
    }
}

extension Data: SQLBindable, SQLDecodable {
    public var sqlValue: SQLValue { .blob(self) }
    public init(sqlValue: SQLValue) throws(SQLError) {
        switch sqlValue {
        case .blob(let data): self = data
        case .text(let text): self = Data(text.utf8)
        default: throw SQLError(.decoding, "expected bytes, found \(sqlValue)")
        }
    }
}

extension Optional: SQLBindable where Wrapped: SQLBindable {
    public var sqlValue: SQLValue { self?.sqlValue ?? .null }
}

extension Optional: SQLDecodable where Wrapped: SQLDecodable {
    public init(sqlValue: SQLValue) throws(SQLError) {
        self = sqlValue == .null ? nil : try Wrapped(sqlValue: sqlValue)
    }
}
