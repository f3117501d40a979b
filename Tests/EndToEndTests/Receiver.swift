import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A local HTTP server standing in for a customer's system (or a channel's REST API): records every
/// request it gets on `path` and answers `answer(n)` for the n-th (by default 200 with
/// `{"id": "ext-<n>"}`), or the statuses queued in `failures` first.
final class Receiver: Sendable {
    let path: String
    let answer: @Sendable (Int) -> (status: Int, body: String)

    init(
        path: String = "/replies",
        answer: @escaping @Sendable (Int) -> (status: Int, body: String) = { (200, "{\"id\":\"ext-\($0)\"}") }
    ) {
        self.path = path
        self.answer = answer
    }

    struct Received: Sendable {
        var headers: [String: String]
        var body: [UInt8]
        /// When it arrived.
        var at = Date()
    }

    private let received = Mutex<[Received]>([])
    private let failures = Mutex<[Int]>([])

    var requests: [Received] { received.withLock { $0 } }

    /// Makes the next requests fail with these statuses, in order.
    func failNext(_ statuses: [Int]) { failures.withLock { $0 += statuses } }

    /// Runs the receiver for the duration of `body`, passing its URL.
    func run<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let router = Router()
        router.post(RouterPath(path)) { request, _ -> Response in
            let buffer = try await request.body.collect(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
            let count = self.received.withLock { list in
                list.append(Received(headers: headers, body: Array(buffer: buffer)))
                return list.count
            }
            if let status = self.failures.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) {
                return Response(status: HTTPResponse.Status(code: status))
            }
            let (status, body) = self.answer(count)
            return Response(
                status: HTTPResponse.Status(code: status), headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        return try await runLocalServer(router, label: "receiver") { port in
            try await body("http://127.0.0.1:\(port)\(self.path)")
        }
    }
}
