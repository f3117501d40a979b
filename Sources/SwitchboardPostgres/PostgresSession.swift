import Foundation
import Logging
import NIOCore
import PostgresNIO
import SwitchboardSQLStore

/// One PostgreSQL connection inside a transaction, used synchronously by the store logic on a
/// thread where blocking is allowed (never an event loop, never Swift's cooperative pool).
///
/// Queries are written with SQLite's `?` placeholders and numbered `$1, $2, ...` here; values are
/// bound with the few types the schema uses (BIGINT, DOUBLE PRECISION, TEXT, BYTEA).
final class PostgresSession: SQLSession {
    let connection: PostgresConnection
    let logger: Logger
    private var savepoints = 0

    var dialect: SQLDialect { .postgres }

    init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    func fetchAll(_ sql: String, _ arguments: [any SQLBindable]) throws(SQLError) -> [SQLRow] {
        let result = try run(sql, arguments)
        guard let first = result.rows.first else { return [] }
        let columns = first.map(\.columnName)
        var rows: [SQLRow] = []
        rows.reserveCapacity(result.rows.count)
        for row in result.rows {
            var values: [SQLValue] = []
            values.reserveCapacity(columns.count)
            for cell in row { values.append(try Self.value(cell)) }
            rows.append(SQLRow(columns: columns, values: values))
        }
        return rows
    }

    @discardableResult
    func execute(_ sql: String, _ arguments: [any SQLBindable]) throws(SQLError) -> Int {
        try run(sql, arguments).metadata.rows ?? 0
    }

    func inSavepoint(_ body: () throws -> Bool) throws {
        savepoints += 1
        let name = "sp\(savepoints)"
        defer { savepoints -= 1 }
        try execute("SAVEPOINT \(name)")
        let keep: Bool
        do {
            keep = try body()
        } catch {
            try execute("ROLLBACK TO SAVEPOINT \(name)")
            try execute("RELEASE SAVEPOINT \(name)")
            throw error
        }
        if !keep { try execute("ROLLBACK TO SAVEPOINT \(name)") }
        try execute("RELEASE SAVEPOINT \(name)")
    }

    /// Runs one statement and waits for its whole result.
    func run(_ sql: String, _ arguments: [any SQLBindable]) throws(SQLError) -> PostgresQueryResult {
        var binds = PostgresBindings(capacity: arguments.count)
        for argument in arguments {
            switch argument.sqlValue {
            case .null: binds.appendNull()
            case .integer(let value): binds.append(value)
            case .real(let value): binds.append(value)
            case .text(let value): binds.append(value)
            case .blob(let value): binds.append(ByteBuffer(bytes: value))
            }
        }
        let query = PostgresQuery(unsafeSQL: Self.numberPlaceholders(sql), binds: binds)
        do {
            return try connection.query(query, logger: logger).wait()
        } catch {
            throw Self.sqlError(error)
        }
    }

    /// `?` → `$1, $2, ...`, outside quoted strings and identifiers.
    static func numberPlaceholders(_ sql: String) -> String {
        var result = ""
        result.reserveCapacity(sql.utf8.count + 16)
        var number = 0
        var quote: Character?
        for character in sql {
            if let open = quote {
                if character == open { quote = nil }
                result.append(character)
            } else if character == "'" || character == "\"" {
                quote = character
                result.append(character)
            } else if character == "?" {
                number += 1
                result += "$\(number)"
            } else {
                result.append(character)
            }
        }
        return result
    }

    static func value(_ cell: PostgresCell) throws(SQLError) -> SQLValue {
        guard cell.bytes != nil else { return .null }
        do {
            switch cell.dataType {
            case .int2, .int4, .int8, .oid: return .integer(try cell.decode(Int64.self))
            case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
            case .float4, .float8: return .real(try cell.decode(Double.self))
            case .bytea: return .blob(try cell.decode(Data.self))
            default: return .text(try cell.decode(String.self))
            }
        } catch {
            throw SQLError(.decoding, "column \(cell.columnName) (type \(cell.dataType)): \(String(reflecting: error))")
        }
    }

    /// The store's view of a PostgreSQL error: its SQLSTATE class says what kind it is.
    static func sqlError(_ error: any Error) -> SQLError {
        if let error = error as? SQLError { return error }
        guard let error = error as? PSQLError else { return SQLError(.other, "\(error)") }
        let fields = error.serverInfo
        let state = fields?[.sqlState] ?? ""
        let message = fields?[.message] ?? error.underlying.map { "\(error.code) (\($0))" } ?? "\(error.code)"
        let detail = fields?[.detail].map { " (\($0))" } ?? ""
        let kind: SQLError.Kind =
            switch state.prefix(2) {
            case "23": .constraint  // integrity constraint violation
            case "53", "58": .storage  // insufficient resources, system error
            case "08", "57": .connection  // connection exception, operator intervention
            case "": error.code == .serverClosedConnection || error.code == .connectionError ? .connection : .other
            default: .other
            }
        return SQLError(kind, "PostgreSQL \(state.isEmpty ? "" : state + " ")error: \(message)\(detail)")
    }
}
