import Foundation
import Logging
import ServiceLifecycle
import SwitchboardAdapterKit

/// Runs one adapter's `run()` and restarts it with capped exponential backoff when it throws, so
/// one failing channel never takes the hub down. Returns only on graceful shutdown.
///
/// With a ``ChannelLease`` (several hubs on one database), the adapter runs only while this
/// process holds the channel's lease, so exactly one process polls each channel; the others stand
/// by and take over within a lease's duration when the holder stops or dies.
public struct AdapterSupervisor: Service {
    let adapter: any ChannelAdapter
    let channel: ChannelID
    let health: HealthBoard
    let logger: Logger
    let initialBackoff: Duration
    let maxBackoff: Duration
    let lease: ChannelLease?

    public init(
        adapter: any ChannelAdapter, channel: ChannelID, health: HealthBoard, logger: Logger,
        initialBackoff: Duration = .seconds(1), maxBackoff: Duration = .seconds(60), lease: ChannelLease? = nil
    ) {
        self.adapter = adapter
        self.channel = channel
        self.health = health
        self.logger = logger
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.lease = lease
    }

    public func run() async throws {
        guard let lease else { return try await supervise() }
        try await lease.whileHeld(
            channel,
            standby: {
                health.update(channel) {
                    $0.state = .standby
                    $0.since = Date()
                }
            },
            logger: logger, supervise)
    }

    private func supervise() async throws {
        var backoff: Duration?
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            health.update(channel) {
                $0.state = .running
                $0.since = Date()
            }
            let started = ContinuousClock.now
            do {
                try await adapter.run()
                health.update(channel) { $0.state = .stopped }
                return
            } catch is CancellationError {
                health.update(channel) { $0.state = .stopped }
                return
            } catch {
                if Task.isShuttingDownGracefully { return }
                let wait = Self.backoff(
                    after: backoff, ranFor: ContinuousClock.now - started, initial: initialBackoff, max: maxBackoff)
                backoff = wait
                logger.error("channel failed; restarting", metadata: ["error": "\(error)", "backoff": "\(wait)"])
                health.update(channel) {
                    $0.state = .degraded
                    $0.restarts += 1
                    $0.lastError = "\(error)"
                }
                let jittered = wait * Double.random(in: 0.5...1.0)
                do {
                    try await Task.sleep(for: jittered)
                } catch {
                    return
                }
            }
        }
    }

    /// The wait before the next restart. It doubles with each failure, up to `max`; a run that
    /// lasted at least `max` before failing counts as recovered, so the wait starts again from
    /// `initial` (a channel that fails once a day is not restarted a minute late for ever).
    package static func backoff(after previous: Duration?, ranFor: Duration, initial: Duration, max: Duration)
        -> Duration
    {
        guard let previous, ranFor < max else { return initial }
        return min(previous * 2, max)
    }
}

// ServiceLifecycle logs every service it starts with its description; the default one prints
// every stored property, the adapter's settings (tokens, secrets) included. These name the
// service and nothing else.

extension AdapterSupervisor: CustomStringConvertible {
    public var description: String { "AdapterSupervisor(channel: \(channel))" }
}

extension Dispatcher: CustomStringConvertible {
    public var description: String { "Dispatcher(channels: \(adapters.keys.map(\.rawValue).sorted()))" }
}

extension WebhookSender: CustomStringConvertible {
    public var description: String { "WebhookSender(endpoints: \(endpoints.keys.sorted()))" }
}

extension WebhookEventRecorder: CustomStringConvertible {
    public var description: String { "WebhookEventRecorder(endpoints: \(endpoints.map(\.id)))" }
}
