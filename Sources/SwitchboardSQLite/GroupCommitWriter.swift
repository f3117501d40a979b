import Foundation
import GRDB
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
        var batch: [InboundEnvelope]
        var policy: IngestPolicy
        var ticket: Ticket<[IngestOutcome]>
    }

    private struct State: Sendable {
        var queue: [Pending] = []
        var draining = false
    }

    private let pool: DatabasePool
    private let maxGroupSize: Int
    private let state = Mutex(State())

    init(pool: DatabasePool, maxGroupSize: Int) {
        self.pool = pool
        self.maxGroupSize = max(1, maxGroupSize)
    }

    func ingest(_ batch: [InboundEnvelope], policy: IngestPolicy) async throws -> [IngestOutcome] {
        let ticket = Ticket<[IngestOutcome]>()
        let leads = state.withLock { state in
            state.queue.append(Pending(batch: batch, policy: policy, ticket: ticket))
            if state.draining { return false }
            state.draining = true
            return true
        }
        if leads { await drain() }
        return try await ticket.value()
    }

    private func drain() async {
        while true {
            let group: [Pending] = state.withLock { state in
                var taken: [Pending] = []
                var size = 0
                while let next = state.queue.first, taken.isEmpty || size + next.batch.count <= maxGroupSize {
                    taken.append(state.queue.removeFirst())
                    size += next.batch.count
                }
                if taken.isEmpty { state.draining = false }
                return taken
            }
            if group.isEmpty { return }
            do {
                let results = try await pool.write { db in
                    let now = Date()
                    return try group.map { pending in
                        try pending.batch.map { envelope in
                            try IngestTransaction.ingest(envelope, policy: pending.policy, now: now, db: db)
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
