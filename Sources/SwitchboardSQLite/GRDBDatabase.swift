import Foundation
import GRDB
import SwitchboardSQLStore

/// SQLite through GRDB as an ``SQLDatabase``: WAL mode, one writer, a pool of readers.
final class GRDBDatabase: SQLDatabase {
    let pool: DatabasePool
    var dialect: SQLDialect { .sqlite }

    init(pool: DatabasePool) {
        self.pool = pool
    }

    @discardableResult
    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T {
        do {
            return try await pool.read { db in try body(GRDBSession(db: db)) }
        } catch let error as DatabaseError {
            throw GRDBSession.sqlError(error)
        }
    }

    @discardableResult
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T {
        do {
            return try await pool.write { db in try body(GRDBSession(db: db)) }
        } catch let error as DatabaseError {
            throw GRDBSession.sqlError(error)
        }
    }

    var isShared: Bool { false }

    @discardableResult
    func writeConcurrently<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T {
        try await write(body)
    }

    @discardableResult
    func writeSynchronously<T>(_ body: (any SQLSession) throws -> T) throws -> T {
        do {
            return try pool.write { db in try body(GRDBSession(db: db)) }
        } catch let error as DatabaseError {
            throw GRDBSession.sqlError(error)
        }
    }
}

/// One GRDB connection inside a transaction. Statements with arguments are cached by their text,
/// so the ingest path prepares each of its statements once per connection.
struct GRDBSession: SQLSession {
    let db: Database
    var dialect: SQLDialect { .sqlite }

    func fetchAll(_ sql: String, _ arguments: [any SQLBindable]) throws(SQLError) -> [SQLRow] {
        do {
            let statement = try db.cachedStatement(sql: sql)
            let columns = statement.columnNames
            let rows = try Row.fetchCursor(statement, arguments: Self.arguments(arguments))
            var result: [SQLRow] = []
            while let row = try rows.next() {
                result.append(SQLRow(columns: columns, values: row.databaseValues.map(Self.value)))
            }
            return result
        } catch {
            throw Self.sqlError(error)
        }
    }

    @discardableResult
    func execute(_ sql: String, _ arguments: [any SQLBindable]) throws(SQLError) -> Int {
        do {
            if arguments.isEmpty {
                // May be several statements (a migration, PRAGMAs): not cached.
                try db.execute(sql: sql)
            } else {
                try db.cachedStatement(sql: sql).execute(arguments: Self.arguments(arguments))
            }
            return db.changesCount
        } catch {
            throw Self.sqlError(error)
        }
    }

    func inSavepoint(_ body: () throws -> Bool) throws {
        do {
            try db.inSavepoint { try body() ? .commit : .rollback }
        } catch let error as DatabaseError {
            throw Self.sqlError(error)
        }
    }

    static func arguments(_ values: [any SQLBindable]) -> StatementArguments {
        StatementArguments(values.map { databaseValue($0.sqlValue) })
    }

    static func databaseValue(_ value: SQLValue) -> DatabaseValue {
        switch value {
        case .null: .null
        case .integer(let number): number.databaseValue
        case .real(let number): number.databaseValue
        case .text(let text): text.databaseValue
        case .blob(let data): data.databaseValue
        }
    }

    static func value(_ value: DatabaseValue) -> SQLValue {
        switch value.storage {
        case .null: .null
        case .int64(let number): .integer(number)
        case .double(let number): .real(number)
        case .string(let text): .text(text)
        case .blob(let data): .blob(data)
        }
    }

    static func sqlError(_ error: any Error) -> SQLError {
        if let error = error as? SQLError { return error }
        guard let error = error as? DatabaseError else { return SQLError(.other, "\(error)") }
        let kind: SQLError.Kind =
            switch error.resultCode {
            case .SQLITE_CONSTRAINT: .constraint
            case .SQLITE_FULL, .SQLITE_IOERR: .storage
            default: .other
            }
        return SQLError(kind, "\(error)")
    }
}
