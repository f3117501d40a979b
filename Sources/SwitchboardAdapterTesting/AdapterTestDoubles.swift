import SwitchboardAdapterKit
import Synchronization

/// A channel's HTTP API as a test double, for adapter tests: records every request and answers
/// with the results queued in ``answers`` first, then with ``defaultAnswer`` (given the request's
/// number, counting from 1), so a test can script failures and still get plausible successes.
public final class RecordingHTTPClient: HTTPClient {
    /// Every request, in order.
    public let requests = Mutex<[HTTPClientRequest]>([])
    /// Answers for the next requests, in order.
    public let answers = Mutex<[Result<HTTPClientResponse, TransportError>]>([])
    let defaultAnswer: @Sendable (Int) -> HTTPClientResponse

    public init(
        defaultAnswer: @escaping @Sendable (Int) -> HTTPClientResponse = { _ in HTTPClientResponse(status: 200) }
    ) {
        self.defaultAnswer = defaultAnswer
    }

    public func execute(_ request: HTTPClientRequest) async throws(TransportError) -> HTTPClientResponse {
        let count = requests.withLock {
            $0.append(request)
            return $0.count
        }
        let answer = answers.withLock { $0.isEmpty ? .success(defaultAnswer(count)) : $0.removeFirst() }
        return try answer.get()
    }

    /// Queues one HTTP answer.
    public func answer(_ status: Int, _ body: String, headers: [(name: String, value: String)] = []) {
        answers.withLock {
            $0.append(.success(HTTPClientResponse(status: status, headers: headers, body: Array(body.utf8))))
        }
    }
}

/// The hub's side of an adapter in a test that looks only at what the adapter returns: an inbound
/// sink that stores nothing and a cursor store that keeps nothing.
public struct DiscardingHub: InboundSink, CursorStore {
    public init() {}
    public func deliver(_ batch: [InboundEnvelope]) async throws -> [DeliveryOutcome] { [] }
    public func apply(_ updates: [StatusUpdate]) async throws {}
    public func value(for key: String) async throws -> String? { nil }
    public func setValue(_ value: String, for key: String) async throws {}
}

/// A channel's cursor store in memory, for adapters whose tests look at what they remember.
public final class MemoryCursorStore: CursorStore {
    public let values = Mutex<[String: String]>([:])
    public init() {}
    public func value(for key: String) async throws -> String? { values.withLock { $0[key] } }
    public func setValue(_ value: String, for key: String) async throws { values.withLock { $0[key] = value } }
}
