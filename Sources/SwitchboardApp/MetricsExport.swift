import Metrics
import Prometheus
import SwitchboardAdapterKit
import SwitchboardCore

/// Where `switchboard serve` keeps its metrics: swift-metrics bootstrapped once per process with a
/// Prometheus registry, which `GET /metrics` prints after reading the outbox's gauges afresh.
enum MetricsExport {
    /// The process's registry; bootstrapping swift-metrics happens on first use (only once is allowed).
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    /// The text `GET /metrics` answers: the outbox gauges are read from the store first, so they are
    /// right even when another hub process sent or queued since.
    static func text(store: any OutboxStore, channels: [ChannelID]) -> @Sendable () async -> String {
        let registry = registry
        return {
            if let counts = try? await store.outboxCounts() {
                HubMetrics.recordOutbox(counts, channels: channels)
            }
            return registry.emitToString()
        }
    }
}
