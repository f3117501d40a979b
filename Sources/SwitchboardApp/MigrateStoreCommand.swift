import ArgumentParser
import Foundation
import Logging
import SwitchboardPostgres
import SwitchboardSQLStore
import SwitchboardSQLite
import Synchronization

/// `switchboard migrate-store --from sqlite:PATH --to postgres:URL`: moves a hub that outgrew one
/// machine onto PostgreSQL, with a progress bar, and checks the row counts at the end.
struct MigrateStoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate-store",
        abstract:
            "Copy every customer, conversation, message, outbox row and poller position from SQLite to PostgreSQL.",
        discussion: """
            Stop the hub first. The PostgreSQL database must be empty (its schema is created if needed).
            Write the URL in an environment variable to keep the password out of your shell history:
              switchboard migrate-store --from sqlite:.switchboard/switchboard.sqlite --to "postgres:$DATABASE_URL"
            """)

    @Option(help: "The SQLite store: sqlite:PATH.") var from: String
    @Option(help: "The PostgreSQL store: postgres:postgresql://USER:PASSWORD@HOST:PORT/DATABASE.") var to: String
    @Option(help: "Rows per INSERT.") var batchSize = 500

    func run() async throws {
        guard from.hasPrefix("sqlite:"), case let path = String(from.dropFirst("sqlite:".count)), !path.isEmpty else {
            printError("error: --from takes sqlite:PATH (the hub's storage.sqlite.path)")
            throw ExitCode(2)
        }
        guard to.hasPrefix("postgres:") else {
            printError("error: --to takes postgres:postgresql://USER:PASSWORD@HOST:PORT/DATABASE")
            throw ExitCode(2)
        }
        guard FileManager.default.fileExists(atPath: path) else {
            printError("error: there is no SQLite store at \(path)")
            throw ExitCode(1)
        }
        let url = String(to.dropFirst("postgres:".count))
        do {
            let source = try SQLStore(sqlitePath: path)
            let destination = try SQLStore(postgresURL: url)
            guard let postgres = destination.database as? PostgresSQLDatabase else { throw ExitCode(1) }
            let bar = ProgressBar()
            let counts = try await StoreMigration(
                source: source.database, destination: postgres, batchSize: batchSize
            ).run { bar.show($0.copiedOverall, of: $0.totalOverall, "\($0.table) \($0.copied)/\($0.total)") }
            bar.finish()
            print("copied and checked:")
            for table in StoreMigration.tables { print("  \(table): \(counts[table] ?? 0)") }
        } catch let error as SQLError {
            printError("error: \(error.message)")
            throw ExitCode(1)
        }
    }
}

/// One line on stderr, redrawn in place on a terminal (every 5 % otherwise, so logs stay short).
final class ProgressBar: Sendable {
    private let terminal = isatty(STDERR_FILENO) == 1
    private let lastShown = Mutex(-1)

    func show(_ done: Int, of total: Int, _ label: String) {
        let percent = total == 0 ? 100 : min(100, done * 100 / total)
        let step = terminal ? percent : percent / 5 * 5
        let changed = lastShown.withLock { last in
            defer { last = step }
            return last != step
        }
        guard changed else { return }
        let width = 30
        let filled = percent * width / 100
        let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
        let line = "[\(bar)] \(percent)% \(label)"
        FileHandle.standardError.write(Data((terminal ? "\r\(line)\u{1B}[K" : "\(line)\n").utf8))
    }

    func finish() {
        if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
