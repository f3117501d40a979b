/// "Look at the queue now", for a worker that drains a queue in the store (the outbox, outgoing
/// webhook deliveries): ``wake()`` after an in-process enqueue, and a tick every interval for work
/// queued by other processes (the CLI). Wake-ups that arrive while the worker is busy collapse
/// into one, so a burst of enqueues costs one extra pass, not one each.
final class WakeSignal: Sendable {
    let wakeUps: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init() {
        (wakeUps, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    func wake() { continuation.yield() }

    /// Wakes the worker every `interval` until the returned task is cancelled.
    func ticking(every interval: Duration) -> Task<Void, Never> {
        Task { [continuation] in
            while !Task.isCancelled {
                do { try await Task.sleep(for: interval) } catch { return }
                continuation.yield()
            }
        }
    }
}
