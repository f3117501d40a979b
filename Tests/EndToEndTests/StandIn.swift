import Foundation
import Hummingbird
import Logging
import NIOCore
import SwitchboardAdapterKit
import SwitchboardCurl
import Synchronization

/// A local stand-in for a channel's whole REST API (Graph API, Telegram Bot API, X API): every
/// request, whatever its method and path, is recorded and answered by `handler`. Unlike
/// ``Receiver`` it serves any path, so one stand-in answers an adapter's polling and sending calls.
final class StandIn: Sendable {
    struct Request: Sendable {
        var method: String
        var path: String
        var query: String
        var headers: [String: String]
        var body: [UInt8]

        var text: String { String(decoding: body, as: UTF8.self) }
        func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
                throw E2EError("\(method) \(path) did not carry a JSON object: \(text)")
            }
            return object
        }
    }

    struct Answer: Sendable {
        var status: Int
        var body: String
        var contentType = "application/json"
        var delay: Duration = .zero
    }

    let handler: @Sendable (Request) -> Answer
    private let received = Mutex<[Request]>([])

    init(_ handler: @escaping @Sendable (Request) -> Answer) { self.handler = handler }

    var requests: [Request] { received.withLock { $0 } }
    func requests(to pathSuffix: String) -> [Request] { requests.filter { $0.path.hasSuffix(pathSuffix) } }

    /// Runs the stand-in for the duration of `body`, passing its base URL (`http://127.0.0.1:<port>`).
    func run<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let router = Router()
        router.middlewares.add(Recorder(standIn: self))
        return try await runLocalServer(router, label: "stand-in") { port in try await body("http://127.0.0.1:\(port)")
        }
    }

    fileprivate func record(_ request: Request) -> Answer {
        received.withLock { $0.append(request) }
        return handler(request)
    }

    /// Answers every request, matched or not, before the router's routes.
    struct Recorder: RouterMiddleware {
        typealias Context = BasicRequestContext
        let standIn: StandIn

        func handle(
            _ request: Hummingbird.Request, context: Context,
            next: (Hummingbird.Request, Context) async throws -> Response
        )
            async throws -> Response
        {
            let buffer = try await request.body.collect(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
            let answer = standIn.record(
                Request(
                    method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "",
                    headers: headers, body: Array(buffer: buffer)))
            if answer.delay > .zero { try await Task.sleep(for: answer.delay) }
            return Response(
                status: HTTPResponse.Status(code: answer.status), headers: [.contentType: answer.contentType],
                body: .init(byteBuffer: ByteBuffer(string: answer.body)))
        }
    }
}

extension HubProcess {
    /// Any request to the hub, with the given headers.
    func request(_ method: String, _ path: String, headers: [(name: String, value: String)] = [], body: String = "")
        async throws -> HTTPClientResponse
    {
        try await client.execute(
            HTTPClientRequest(method: method, url: baseURL + path, headers: headers, body: Array(body.utf8)))
    }
}

/// A plugin's documented payload from `Plugins/<plugin>/Tests/Fixtures/`, the same file its own
/// tests read.
func fixture(_ plugin: String, _ name: String) -> String {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let url = root.appendingPathComponent("Plugins/\(plugin)/Tests/Fixtures/\(name)")
    guard let text = try? String(contentsOf: url, encoding: .utf8) else { fatalError("no fixture at \(url.path)") }
    return text
}
