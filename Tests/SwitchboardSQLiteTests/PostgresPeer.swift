import Foundation
import Logging
import SwitchboardPostgres
import SwitchboardSQLStore

/// The PostgreSQL server that `scripts/peers/postgres.sh` runs on 127.0.0.1:23432, as the store
/// tests use it: started once per test process (a failure throws with the script's output, so the
/// tests fail rather than skip), one schema per test, dropped afterwards.
enum PostgresPeer {
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// The URL of the tests' database.
    static func start() async throws -> String {
        try await startup.value
    }

    private static let startup = Task<String, any Error> {
        let script = repositoryRoot.appendingPathComponent("scripts/peers/postgres.sh").path
        let started = try await run("/bin/bash", [script, "start"])
        guard started.status == 0 else {
            throw PostgresPeerError(
                "scripts/peers/postgres.sh start failed (exit \(started.status)):\n\(started.output)")
        }
        let url = try await run("/bin/bash", [script, "url"])
        guard url.status == 0 else { throw PostgresPeerError("scripts/peers/postgres.sh url failed:\n\(url.output)") }
        return url.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs `body` with a store in a fresh schema of the tests' database, dropped afterwards.
    static func withStore<T>(maxGroupSize: Int = 1000, _ body: (SQLStore) async throws -> T) async throws -> T {
        let url = try await start()
        await slots.acquire()
        defer { Task { await slots.release() } }
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let admin = try PostgresSQLDatabase(
            configuration: PostgresURL.configuration(url), maxConnections: 1, logger: .init(label: "test"))
        defer { admin.close() }
        try await admin.write { db in try db.execute("CREATE SCHEMA \(schema)") }
        let store = try await SQLStore.connect(
            postgresURL: url + "?search_path=" + schema, maxConnections: 4, maxGroupSize: maxGroupSize)
        do {
            let result = try await body(store)
            (store.database as? PostgresSQLDatabase)?.close()
            try await admin.write { db in try db.execute("DROP SCHEMA \(schema) CASCADE") }
            return result
        } catch {
            (store.database as? PostgresSQLDatabase)?.close()
            _ = try? await admin.write { db in try db.execute("DROP SCHEMA \(schema) CASCADE") }
            throw error
        }
    }

    /// Swift Testing runs the suite's tests at once; eight stores at a time keep well inside the
    /// server's connections (each store opens up to four, and the admin connection one).
    static let slots = AsyncSlots(8)

    struct ProcessResult {
        var status: Int32
        var output: String
    }

    static func run(_ executable: String, _ arguments: [String]) async throws -> ProcessResult {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("sb-pg-\(UUID().uuidString).log")
        guard FileManager.default.createFile(atPath: log.path, contents: nil) else {
            throw PostgresPeerError("cannot create \(log.path)")
        }
        defer { try? FileManager.default.removeItem(at: log) }
        let output = try FileHandle(forWritingTo: log)
        defer { try? output.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        withExtendedLifetime(process) {}
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return ProcessResult(status: status, output: text)
    }
}

/// The PostgreSQL peer could not be started.
struct PostgresPeerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// At most `count` holders at a time; the others wait in order.
actor AsyncSlots {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(_ count: Int) { free = count }

    func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}
