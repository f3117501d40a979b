import Foundation
import SwitchboardAdapterKit
import SwitchboardCore
import SwitchboardSQLite

/// A fresh SQLite store in its own temporary directory, removed by `close()`.
final class StoreFixture: Sendable {
    let directory: URL
    let store: SQLiteStore

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-store-\(UUID().uuidString)")
        store = try SQLiteStore(path: directory.appendingPathComponent("test.sqlite").path)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// Ingests one envelope and returns its outcome.
    func ingest(_ envelope: InboundEnvelope, policy: IngestPolicy = IngestPolicy()) async throws -> IngestOutcome {
        try await store.ingest([envelope], policy: policy)[0]
    }

    /// Ingests one envelope that must be stored; returns what was stored.
    func stored(_ envelope: InboundEnvelope, policy: IngestPolicy = IngestPolicy()) async throws -> StoredMessage {
        guard case .stored(let stored) = try await ingest(envelope, policy: policy) else {
            throw FixtureError("expected \(envelope.externalID) to be stored")
        }
        return stored
    }

    func count(_ table: String) async throws -> Int { try await store.counts()[table] ?? -1 }

    func texts(_ customerID: String) async throws -> [String] {
        try await store.timeline(customerID: customerID, limit: 500, cursor: nil).items.compactMap {
            if case .message(let message) = $0 { message.text } else { nil }
        }
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

let base = Date(timeIntervalSince1970: 1_795_428_000)

/// An envelope on channel `shop`; `minute` spaces messages out in time.
func envelope(
    _ id: String, from: String, thread: String? = nil, text: String? = nil, minute: Int = 0,
    channel: ChannelID = "shop",
    verified: [String] = [], name: String? = nil
) throws -> InboundEnvelope {
    let address = try Address(parsing: from)
    return InboundEnvelope(
        channel: channel, externalID: id, from: address, threadKey: thread ?? address.description,
        subject: "Subject \(id)",
        text: text ?? "text of \(id)", sentAt: base.addingTimeInterval(Double(minute) * 60),
        hints: IdentityHints(displayName: name, verifiedAddresses: try verified.map { try Address(parsing: $0) }))
}
