import Foundation
import Logging
import ServiceLifecycle
import SwitchboardAdapterKit

/// Runs a channel's background work only while this process holds the channel's lease in the
/// shared store: takes the lease when it is free, renews it every `renewEvery`, and stops the work
/// as soon as a renewal fails (another process took over, or the database is unreachable), so two
/// processes never poll one channel at once for longer than a renewal interval.
public struct ChannelLease: Sendable {
    let store: any ChannelLeaseStore
    /// This process, as the leases name it.
    public let holder: String
    /// How long a lease lasts without renewal: the longest another process waits to take over.
    public let duration: Duration
    public let renewEvery: Duration

    public init(
        store: any ChannelLeaseStore, holder: String, duration: Duration = .seconds(15),
        renewEvery: Duration = .seconds(5)
    ) {
        self.store = store
        self.holder = holder
        self.duration = duration
        self.renewEvery = renewEvery
    }

    /// Runs `work` each time the lease is taken, until graceful shutdown; calls `standby` while
    /// another process holds it. Gives the lease up on the way out.
    func whileHeld(
        _ channel: ChannelID, standby: @Sendable () -> Void, logger: Logger,
        _ work: @escaping @Sendable () async throws -> Void
    ) async throws {
        defer {
            let (store, holder) = (store, holder)
            Task { try? await store.releaseChannelLease(channel, holder: holder) }
        }
        var announcedStandby = false
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            if await take(channel, logger: logger) {
                announcedStandby = false
                logger.info("took the channel's lease; running it here", metadata: ["holder": "\(holder)"])
                let finished = try await runWhileRenewed(channel, logger: logger, work)
                if finished { return }
                logger.warning("lost the channel's lease; another hub process runs it now")
            } else if !announcedStandby {
                announcedStandby = true
                standby()
                logger.info("another hub process holds the channel's lease; standing by")
            }
            do {
                try await Task.sleep(for: renewEvery)
            } catch {
                return
            }
        }
    }

    /// Runs `work` beside a renewal loop; returns true when `work` returned (shutdown), false when
    /// the lease was lost and `work` was cancelled.
    private func runWhileRenewed(
        _ channel: ChannelID, logger: Logger, _ work: @escaping @Sendable () async throws -> Void
    ) async throws -> Bool {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await work()
                return true
            }
            group.addTask {
                while true {
                    try await Task.sleep(for: renewEvery)
                    guard await take(channel, logger: logger) else { return false }
                }
            }
            let first = try await group.next() ?? true
            group.cancelAll()
            return first
        }
    }

    private func take(_ channel: ChannelID, logger: Logger) async -> Bool {
        let now = Date()
        do {
            return try await store.acquireChannelLease(
                channel, holder: holder, now: now, until: now.addingTimeInterval(duration.timeInterval))
        } catch {
            logger.error("cannot take or renew the channel's lease", metadata: ["error": "\(error)"])
            return false
        }
    }
}
