import SwitchboardAdapterKit
import SwitchboardCore
import Synchronization

/// The inbound sink adapters are created with, before the router exists: the router's opt-out
/// policy needs every adapter's capabilities, and the adapters need a sink. The hub creates the
/// adapters with this handle, builds the router, and connects it before anything runs.
final class RouterHandle: InboundSink {
    private let router = Mutex<Router?>(nil)

    func connect(_ target: Router) { router.withLock { $0 = target } }

    private func target() throws -> Router {
        guard let target = router.withLock({ $0 }) else { throw RouterNotConnected() }
        return target
    }

    func deliver(_ batch: [InboundEnvelope]) async throws -> [DeliveryOutcome] {
        try await target().deliver(batch)
    }

    func apply(_ updates: [StatusUpdate]) async throws {
        try await target().apply(updates)
    }

    /// An adapter delivered from its initialiser, before the hub finished wiring: a programming error.
    struct RouterNotConnected: Error, CustomStringConvertible {
        var description: String { "an adapter delivered messages before the hub was running; deliver from run()" }
    }
}
