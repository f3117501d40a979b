import Foundation
import Metrics
import SwitchboardAdapterKit

/// The hub's operational numbers, recorded through swift-metrics where the work happens (the
/// router, the dispatcher) and exported by whatever backend the process bootstraps (Prometheus
/// at `/metrics` in `switchboard serve`; nothing in tests that do not bootstrap one).
///
/// It exists so that an operator sees, per channel, how fast messages come in, how long a polled
/// channel makes them wait, how many replies wait to be sent and how many sends fail, before a
/// customer complains. Every metric has one label, `channel`, the channel instance's id.
public enum HubMetrics {
    /// Inbound messages stored, per channel (`rate()` of it is the ingest rate).
    public static let received = "switchboard_messages_received_total"
    /// Inbound messages the hub already had (a webhook retry, a poll that overlapped).
    public static let duplicates = "switchboard_messages_duplicate_total"
    /// Inbound messages refused (no sender, no id): each also logged with the reason.
    public static let rejected = "switchboard_messages_rejected_total"
    /// Seconds between a stored message's own time and its arrival in the hub, for the latest
    /// message of the channel: for a polled channel (IMAP, Telegram, Matrix), the poller's lag.
    public static let pollerLag = "switchboard_poller_lag_seconds"
    /// Replies and notices the channel accepted.
    public static let sent = "switchboard_sends_total"
    /// Send attempts that failed, by `reason` (the ``SendError`` code: `transient`, `rate_limited`,
    /// `permanent`, …); each retry counts; `final="true"` when the reply was dead-lettered.
    public static let sendFailures = "switchboard_send_failures_total"
    /// Sends waiting in the outbox (queued or waiting to be retried), as the dispatcher last counted
    /// them (every second).
    public static let outboxDepth = "switchboard_outbox_depth"
    /// Sends given up on, until an agent retries them, counted with ``outboxDepth``.
    public static let deadLettered = "switchboard_outbox_dead_lettered"

    static func dimensions(_ channel: ChannelID) -> [(String, String)] { [("channel", channel.rawValue)] }

    /// What one batch of ingest did.
    static func record(_ envelopes: [InboundEnvelope], _ outcomes: [IngestOutcome], now: Date) {
        for (envelope, outcome) in zip(envelopes, outcomes) {
            let channel = dimensions(envelope.channel)
            switch outcome {
            case .stored(let stored):
                Counter(label: received, dimensions: channel).increment()
                let lag = max(0, now.timeIntervalSince(stored.message.sentAt))
                Gauge(label: pollerLag, dimensions: channel).record(lag)
            case .edited: Counter(label: received, dimensions: channel).increment()
            case .duplicate: Counter(label: duplicates, dimensions: channel).increment()
            case .rejected: Counter(label: rejected, dimensions: channel).increment()
            }
        }
    }

    static func sentOne(_ channel: ChannelID) {
        Counter(label: sent, dimensions: dimensions(channel)).increment()
    }

    static func sendFailed(_ channel: ChannelID, reason: SendError.Code, final: Bool) {
        Counter(
            label: sendFailures,
            dimensions: dimensions(channel) + [("reason", "\(reason)"), ("final", final ? "true" : "false")]
        ).increment()
    }

    /// Sets the outbox gauges from the store's counts (every channel the hub runs, zero when empty).
    public static func recordOutbox(_ counts: [ChannelID: OutboxCounts], channels: [ChannelID]) {
        for channel in Set(channels).union(counts.keys) {
            let count = counts[channel] ?? OutboxCounts()
            Gauge(label: outboxDepth, dimensions: dimensions(channel)).record(count.waiting)
            Gauge(label: deadLettered, dimensions: dimensions(channel)).record(count.deadLettered)
        }
    }
}
