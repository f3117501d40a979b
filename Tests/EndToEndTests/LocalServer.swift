import Hummingbird
import Logging

/// Runs `router` on 127.0.0.1 on a free port for the duration of `body`, passing the port: the
/// start-up the test stand-ins (``Receiver``, ``StandIn``) share.
func runLocalServer<T: Sendable>(
    _ router: Router<BasicRequestContext>, label: String, _ body: @Sendable (Int) async throws -> T
) async throws -> T {
    let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
    var logger = Logger(label: label)
    logger.logLevel = .critical  // stopping it by cancellation logs an error that means nothing here
    let app = Application(
        router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
    return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask {
            try await app.run()
            return nil
        }
        var iterator = portStream.makeAsyncIterator()
        guard let port = await iterator.next() else { throw E2EError("\(label) did not start") }
        let result = try await body(port)
        group.cancelAll()
        return result
    }
}
