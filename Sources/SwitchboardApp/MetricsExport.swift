import Metrics
import Prometheus

/// Where `switchboard serve` keeps its metrics: swift-metrics bootstrapped once per process with a
/// Prometheus registry, which `GET /metrics` prints. (The outbox gauges are kept current by the
/// dispatcher, which counts the outbox every second for `/health` too.)
enum MetricsExport {
    /// The process's registry; bootstrapping swift-metrics happens on first use (only once is allowed).
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    /// The text `GET /metrics` answers.
    static func text() -> String { registry.emitToString() }
}
