import SwitchboardAdapterKit
import SwitchboardCore
import Testing

@testable import SwitchboardConfig

/// `storage:` names one backend: SQLite by path, or PostgreSQL by URL (from the environment).
struct StorageConfigTests {
    let loader = ConfigLoader(
        registry: AdapterRegistry([ConfigProbeAdapter.self, ConfigProbeSMSAdapter.self]),
        environment: ["DATABASE_URL": "postgresql://hub:s3cret-pass@db.internal:5432/hub"])

    @Test func postgresIsReadWithItsURLBlobsAndConnections() throws {
        let result = loader.load(
            yaml: """
                storage:
                  postgres:
                    url: ${DATABASE_URL}
                    blobs: /srv/switchboard/blobs
                    max_connections: 4
                """, file: "hub.yaml")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.description))")
        let config = try #require(result.config)
        #expect(
            config.storage
                == .postgres(
                    PostgresStorage(
                        url: "postgresql://hub:s3cret-pass@db.internal:5432/hub", blobs: "/srv/switchboard/blobs",
                        maxConnections: 4)))
    }

    @Test(arguments: [
        (
            "storage:\n  sqlite:\n    path: a.sqlite\n  postgres:\n    url: postgresql://h/d\n    blobs: b\n",
            "storage",
            "not both"
        ),
        ("storage: {}\n", "storage", "name one backend"),
        ("storage:\n  postgres:\n    url: mysql://h/d\n    blobs: b\n", "storage.postgres.url", "postgresql://"),
        ("storage:\n  postgres:\n    url: postgresql://h/d\n", "storage.postgres.blobs", "missing"),
        (
            "storage:\n  postgres:\n    url: postgresql://h/d\n    blobs: b\n    max_connections: 0\n",
            "storage.postgres.max_connections", "1 to 200"
        ),
        (
            "storage:\n  postgres:\n    url: postgresql://h/d\n    blobs: b\n    max_conections: 3\n",
            "storage.postgres.max_conections", "did you mean 'max_connections'"
        ),
    ])
    func mistakesAreExplained(yaml: String, key: String, messagePart: String) throws {
        let result = loader.load(yaml: yaml, file: "hub.yaml")
        #expect(result.config == nil)
        let found = try #require(result.diagnostics.first { $0.key == key }, "\(result.diagnostics.map(\.description))")
        #expect(found.message.contains(messagePart), "\(found.message)")
    }

    @Test func aBadURLNeverShowsThePassword() {
        let loader = ConfigLoader(
            registry: AdapterRegistry([ConfigProbeAdapter.self]),
            environment: ["DATABASE_URL": "mysql://hub:s3cret-pass@db/hub"])
        let result = loader.load(
            yaml: "storage:\n  postgres:\n    url: ${DATABASE_URL}\n    blobs: b\n", file: "hub.yaml")
        #expect(result.config == nil)
        #expect(!result.diagnostics.isEmpty)
        #expect(!result.diagnostics.map(\.description).joined().contains("s3cret"))
    }
}
