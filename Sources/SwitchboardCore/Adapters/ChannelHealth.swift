import Foundation
import SwitchboardAdapterKit
import Synchronization

/// How one channel instance is doing, for `/health` and the channel list.
public struct ChannelHealth: Sendable, Hashable, Codable {
    /// Starting, running, degraded (failed and restarting with backoff) or stopped.
    public enum State: String, Sendable, Hashable, Codable { case starting, running, degraded, stopped }

    public var channel: ChannelID
    public var kind: ChannelKind
    public var state: State
    public var restarts: Int
    public var lastError: String?
    public var since: Date
    /// Sends that were dead-lettered since start.
    public var deadLettered: Int

    public init(channel: ChannelID, kind: ChannelKind, state: State, since: Date) {
        self.channel = channel
        self.kind = kind
        self.state = state
        self.restarts = 0
        self.lastError = nil
        self.since = since
        self.deadLettered = 0
    }
}

/// The health of every channel instance in this process.
public final class HealthBoard: Sendable {
    private let states = Mutex<[ChannelID: ChannelHealth]>([:])

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
}
