import Foundation
import SwitchboardAdapterKit
import Synchronization

/// How one channel instance is doing, for `/health` and the channel list.
public struct ChannelHealth: Sendable, Hashable, Codable {
    /// Starting, running, degraded (failed and restarting with backoff), stopped, or standby
    /// (another hub process on the same database holds the channel's lease and runs it).
    public enum State: String, Sendable, Hashable, Codable { case starting, running, degraded, stopped, standby }

    public var channel: ChannelID
    public var kind: ChannelKind
    public var state: State
    public var restarts: Int
    public var lastError: String?
    public var since: Date
    /// Sends given up on and not yet retried by an agent (from the store, so it survives restarts).
    public var deadLettered: Int
    /// Sends queued or waiting for a retry.
    public var waitingSends: Int

    public init(channel: ChannelID, kind: ChannelKind, state: State, since: Date) {
        self.channel = channel
        self.kind = kind
        self.state = state
        self.restarts = 0
        self.lastError = nil
        self.since = since
        self.deadLettered = 0
        self.waitingSends = 0
    }
}

/// How one outgoing webhook endpoint is doing: deliveries waiting and given up on.
public struct WebhookEndpointHealth: Sendable, Hashable, Codable {
    public var endpoint: String
    public var waiting: Int
    public var deadLettered: Int

    public init(endpoint: String, waiting: Int = 0, deadLettered: Int = 0) {
        self.endpoint = endpoint
        self.waiting = waiting
        self.deadLettered = deadLettered
    }
}

/// The health of every channel instance and outgoing webhook endpoint in this process.
public final class HealthBoard: Sendable {
    private let states = Mutex<[ChannelID: ChannelHealth]>([:])
    private let endpoints = Mutex<[String: WebhookEndpointHealth]>([:])

    public init() {}

    public func register(_ channel: ChannelID, kind: ChannelKind) {
        states.withLock { $0[channel] = ChannelHealth(channel: channel, kind: kind, state: .starting, since: Date()) }
    }

    public func update(_ channel: ChannelID, _ change: (inout ChannelHealth) -> Void) {
        states.withLock { states in
            guard var health = states[channel] else { return }
            change(&health)
            states[channel] = health
        }
    }

    public var all: [ChannelHealth] { states.withLock { $0.values.sorted { $0.channel < $1.channel } } }

    public func registerWebhook(_ endpoint: String) {
        endpoints.withLock { $0[endpoint] = WebhookEndpointHealth(endpoint: endpoint) }
    }

    public func updateWebhook(_ endpoint: String, counts: OutboxCounts) {
        endpoints.withLock {
            $0[endpoint] = WebhookEndpointHealth(
                endpoint: endpoint, waiting: counts.waiting, deadLettered: counts.deadLettered)
        }
    }

    public var webhooks: [WebhookEndpointHealth] {
        endpoints.withLock { $0.values.sorted { $0.endpoint < $1.endpoint } }
    }
}
