import Synchronization

/// Awaits a call that does not itself react to task cancellation (a libcurl transfer runs to its
/// end on its own thread), but returns at once, throwing `CancellationError`, when the waiting task
/// is cancelled. The abandoned call finishes in the background and its result is dropped. This lets
/// a `/sync` long-poll that may wait `sync_timeout` stop promptly on shutdown.
enum CancellableWait {
    static func run<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let slot = Slot<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                guard slot.store(continuation) else { return }
                Task {
                    do {
                        slot.resume(with: .success(try await operation()))
                    } catch {
                        slot.resume(with: .failure(error))
                    }
                }
            }
        } onCancel: {
            slot.resume(with: .failure(CancellationError()))
        }
    }

    /// The continuation, resumed exactly once by whichever comes first: the result or the cancellation.
    final class Slot<T: Sendable>: Sendable {
        /// Where the wait stands: nothing stored yet, a caller waiting, or already resumed (result or
        /// cancellation), so the continuation is resumed exactly once.
        enum State {
            case empty
            case waiting(CheckedContinuation<T, any Error>)
            case done
        }
        let state = Mutex<State>(.empty)

        /// Keeps the continuation; false (after resuming it with cancellation) if cancelled already.
        func store(_ continuation: CheckedContinuation<T, any Error>) -> Bool {
            let cancelled = state.withLock { state -> Bool in
                if case .done = state { return true }
                state = .waiting(continuation)
                return false
            }
            if cancelled { continuation.resume(throwing: CancellationError()) }
            return !cancelled
        }

        func resume(with result: Result<T, any Error>) {
            let continuation = state.withLock { state -> CheckedContinuation<T, any Error>? in
                defer { state = .done }
                if case .waiting(let continuation) = state { return continuation }
                return nil
            }
            continuation?.resume(with: result)
        }
    }
}
