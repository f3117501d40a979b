import Foundation
import GRDB
import SwitchboardSQLStore

extension SQLStore {
    /// Opens (creating if needed) the embedded SQLite database at `path`, in WAL mode with
    /// `synchronous = FULL`, and brings its schema up to date.
    /// - Parameter maxGroupSize: the most envelopes one group commit carries.
    public convenience init(sqlitePath path: String, maxGroupSize: Int = 1000) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if !FileManager.default.fileExists(atPath: directory) {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // FULL: a commit is on disk before ingest returns (2xx means durable).
            // temp_store MEMORY: the per-envelope savepoints keep their sub-journal in memory; in a
            // temp file they cost a pwrite per changed page (measured: 3/4 of ingest time).
            try db.execute(sql: "PRAGMA synchronous = FULL; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -16000")
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        try Migrations.migrator.migrate(pool)
        self.init(database: GRDBDatabase(pool: pool), maxGroupSize: maxGroupSize)
    }
}
