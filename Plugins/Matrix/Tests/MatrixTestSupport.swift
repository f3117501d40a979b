import Foundation
import Logging
import SwitchboardAdapterKit
import SwitchboardAdapterTesting
import Synchronization

@testable import MatrixAdapter

let homeserver = "https://matrix.example.org"
let hubUser = "@hub:example.org"
let accessToken = "syt_aHVi_secretTokenValue_0123456789"
let specRoom = "!726s6s6q:example.com"

/// The hub's side and the homeserver of one adapter under test.
struct MatrixHarness {
    let http: RecordingHTTPClient
    let cursor: MemoryCursorStore
    let sink: RecordingInboundSink
    let adapter: MatrixAdapter

    init(
        http: RecordingHTTPClient = RecordingHTTPClient(), cursor: MemoryCursorStore = MemoryCursorStore(),
        sink: RecordingInboundSink = RecordingInboundSink(), acceptInvites: [String] = [], initialHistory: Int = 20
    ) {
        self.http = http
        self.cursor = cursor
        self.sink = sink
        adapter = MatrixAdapter(
            configuration: MatrixConfiguration(
                homeserverURL: homeserver, userID: hubUser, accessToken: accessToken,
                acceptInvites: acceptInvites.compactMap(InvitePattern.init), syncTimeout: .seconds(30),
                initialHistory: initialHistory),
            context: AdapterContext(
                channel: "matrix", logger: Logger(label: "test"), inbound: sink, cursor: cursor, http: http,
                publicBaseURL: "http://127.0.0.1:8080"))
    }

    /// The URLs requested so far.
    var urls: [String] { http.requests.withLock { $0.map(\.url) } }

    var since: String? { cursor.values.withLock { $0[MatrixSyncLoop.sinceKey] } }

    var envelopes: [InboundEnvelope] { sink.envelopes.withLock { $0 } }
}

func outbound(
    room: String = specRoom, text: String = "Your order ships today", html: String? = nil, inReplyTo: String? = nil,
    key: String = "sb-msg_1"
) throws -> OutboundMessage {
    OutboundMessage(
        messageID: "msg_1", conversationID: "con_1", channel: "matrix",
        to: try Address(kind: .matrix, value: "@example:example.org"), threadKey: room, text: text, html: html,
        inReplyTo: inReplyTo, idempotencyKey: key)
}

/// The JSON body of a request, as an object.
func jsonBody(_ request: HTTPClientRequest) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any] ?? [:]
}

/// A homeserver that answers every request only after `delay`, ignoring task cancellation (as a
/// libcurl transfer does), for the shutdown test.
struct SlowHomeserver: HTTPClient {
    let delay: Duration

    func execute(_ request: HTTPClientRequest) async throws(TransportError) -> HTTPClientResponse {
        let deadline = ContinuousClock.now + delay
        while ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        return HTTPClientResponse(status: 200, body: Array(syncResponse(next: "s_slow").utf8))
    }
}
