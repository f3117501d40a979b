import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import SwitchboardCore
import SwitchboardSQLStore

/// Live events across hub processes on one PostgreSQL database: every event of this process is
/// sent with `NOTIFY switchboard_events`, and every other process's event heard with `LISTEN` is
/// published on this process's bus as remote, so an agent's screen connected to any process sees
/// everything. Outgoing webhooks only hear local events (each event is recorded once, where it
/// happened).
///
/// A lost listening connection is opened again after a second; events sent meanwhile are missed
/// by this process's screens (they re-read the timeline when they reconnect).
public struct PostgresEventRelay: Service, CustomStringConvertible {
    static let channel = "switchboard_events"

    struct Envelope: Codable {
        var origin: String
        var event: HubEvent
    }

    let database: PostgresSQLDatabase
    let bus: EventBus
    let origin: String
    let outgoing: AsyncStream<HubEvent>
    let logger: Logger

    /// Subscribes to the bus now, so no event published after the hub is wired is missed.
    /// - Parameter origin: this process, as the relayed events name it.
    public init(database: PostgresSQLDatabase, bus: EventBus, origin: String, logger: Logger) {
        self.database = database
        self.bus = bus
        self.origin = origin
        self.outgoing = bus.subscribe(bufferingNewest: 10_000)
        self.logger = logger
    }

    public var description: String { "PostgresEventRelay(origin: \(origin))" }

    public func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await send() }
            group.addTask { await listen() }
            try await group.next()
            group.cancelAll()
        }
    }

    private func send() async {
        let encoder = JSONEncoder()
        for await event in outgoing.cancelOnGracefulShutdown() {
            do {
                let payload = String(
                    decoding: try encoder.encode(Envelope(origin: origin, event: event)), as: UTF8.self)
                try await database.writeConcurrently { db in
                    try db.execute("SELECT pg_notify(?, ?)", [Self.channel, payload])
                }
            } catch {
                logger.error("could not relay an event to the other hub processes", metadata: ["error": "\(error)"])
            }
        }
    }

    private func listen() async {
        let decoder = JSONDecoder()
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let connection = try await PostgresConnection.connect(
                    on: PostgresConnection.defaultEventLoopGroup.next(), configuration: database.configuration,
                    id: 0, logger: logger
                ).get()
                do {
                    try await connection.listen(on: Self.channel) { notifications in
                        for try await notification in notifications.cancelOnGracefulShutdown() {
                            guard
                                let envelope = try? decoder.decode(Envelope.self, from: Data(notification.payload.utf8))
                            else { continue }
                            if envelope.origin != origin { bus.publish(envelope.event, origin: .remote) }
                        }
                    }
                } catch {
                    if !Task.isCancelled {
                        logger.error("lost the event relay's connection", metadata: ["error": "\(error)"])
                    }
                }
                try? await connection.close()
            } catch {
                logger.error("cannot open the event relay's connection", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
