import Foundation
import SwitchboardAdapterKit
import SwitchboardCore
import Synchronization

/// Batches concurrent ingests into shared write transactions, so that throughput does not collapse
/// to one fsync per message.
///
/// The first caller to find the writer idle becomes the leader: it drains the queue, one
/// transaction per round, until the queue is empty; callers that arrive meanwhile wait for the
/// round that carries their batch. No background task is needed, and every caller returns only
/// after the transaction holding its batch has committed.
final class GroupCommitWriter: Sendable {
    private struct Pending: Sendable {
        var batch: [PreparedEnvelope]
        var policy: IngestPolicy
        var ticket: Ticket<[IngestOutcome]>
    }

    private struct State: Sendable {
        var queue: [Pending] = []
        var queuedEnvelopes = 0
        var draining = false
        var stats = GroupCommitStats()
    }

    private let database: any SQLDatabase
    private let maxGroupSize: Int
    private let state = Mutex(State())

    init(database: any SQLDatabase, maxGroupSize: Int) {
        self.database = database
        self.maxGroupSize = max(1, maxGroupSize)
    }

    func ingest(_ envelopes: [InboundEnvelope], policy: IngestPolicy) async throws -> [IngestOutcome] {
        let now = Date()
        let batch = try envelopes.map { try PreparedEnvelope($0, policy: policy, now: now) }
        let ticket = Ticket<[IngestOutcome]>()
        let leads = state.withLock { state in
            state.queue.append(Pending(batch: batch, policy: policy, ticket: ticket))
            state.queuedEnvelopes += batch.count
            if state.draining { return false }
            state.draining = true
            return true
        }
        if leads { await drain() }
        return try await ticket.value()
    }

    /// How many transactions carried how many envelopes, since the store opened.
    var stats: GroupCommitStats { state.withLock { $0.stats } }

    private func drain() async {
        var lastGroupSize = 0
        while true {
            // The callers released by the last round resubmit on other threads; give them a moment
            // to join this round, or the leader races ahead with tiny groups (one fsync each).
            for _ in 0..<8 where state.withLock({ $0.queuedEnvelopes }) < min(lastGroupSize, maxGroupSize) {
                await Task.yield()
            }
            let group: [Pending] = state.withLock { state in
                var taken: [Pending] = []
                var size = 0
                while let next = state.queue.first, taken.isEmpty || size + next.batch.count <= maxGroupSize {
                    taken.append(state.queue.removeFirst())
                    size += next.batch.count
                }
                state.queuedEnvelopes -= size
                if taken.isEmpty {
                    state.draining = false
                } else {
                    state.stats.transactions += 1
                    state.stats.envelopes += size
                }
                return taken
            }
            lastGroupSize = group.reduce(0) { $0 + $1.batch.count }
            if group.isEmpty { return }
            do {
                let results: [[IngestOutcome]]
                do {
                    results = try await database.write { db in
                        let now = Date()
                        return try group.map { pending in
                            try IngestTransaction.ingestGroup(pending.batch, policy: pending.policy, now: now, db: db)
                        }
                    }
                } catch let error as SQLError where error.isUnrecoverable {
                    throw error
                } catch {
                    // Something in the group failed and the transaction rolled back: redo it with one
                    // savepoint per envelope, so only the bad envelope is rejected.
                    results = try await database.write { db in
                        let now = Date()
                        return try group.map { pending in
                            try pending.batch.map { prepared in
                                try IngestTransaction.ingest(prepared, policy: pending.policy, now: now, db: db)
                            }
                        }
                    }
                }
                for (pending, outcomes) in zip(group, results) { pending.ticket.fulfil(.success(outcomes)) }
            } catch {
                for pending in group { pending.ticket.fulfil(.failure(error)) }
            }
        }
    }
}

/// A one-shot result that a caller can await before or after it is fulfilled.
final class Ticket<Value: Sendable>: Sendable {
    private struct State {
        var result: Result<Value, any Error>?
        var continuation: CheckedContinuation<Value, any Error>?
    }

    private let state = Mutex(State())

    func fulfil(_ result: Result<Value, any Error>) {
        let waiting: CheckedContinuation<Value, any Error>? = state.withLock { state in
            if let continuation = state.continuation {
                state.continuation = nil
                return continuation
            }
            state.result = result
            return nil
        }
        waiting?.resume(with: result)
    }

    func value() async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<Value, any Error>? = state.withLock { state in
                if let result = state.result { return result }
                state.continuation = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}

/// Group commit counters: the average group size says how well concurrent ingests are batched.
public struct GroupCommitStats: Sendable, Hashable {
    public var transactions = 0
    public var envelopes = 0

    public var averageGroupSize: Double { transactions == 0 ? 0 : Double(envelopes) / Double(transactions) }
}
