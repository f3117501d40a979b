import Foundation
import Logging
import SwitchboardAdapterKit
import SwitchboardAdapterTesting

@testable import XAdapter

let accessToken = "x-user-access-token-0123456789"
/// The key of the CRC and signature vectors computed with Python's hmac in XWebhookTests.
let consumerSecret = "x-consumer-secret-0123456789abcdef"
let apiBase = "https://api.x.test"

/// A fake X API: an empty page (`{"meta": {"result_count": 0}}`) unless answers are queued.
func fakeXAPI() -> RecordingHTTPClient {
    RecordingHTTPClient { _ in HTTPClientResponse(status: 200, body: Array(#"{"meta": {"result_count": 0}}"#.utf8)) }
}

func makeAdapter(
    http: RecordingHTTPClient = fakeXAPI(), accountID: String = "1111111111", mode: XConfiguration.Mode = .polling,
    listen: [String] = [], dms: Bool = true, sink: any InboundSink = DiscardingHub(),
    cursor: any CursorStore = DiscardingHub()
) -> XAdapter {
    XAdapter(
        configuration: XConfiguration(
            accountID: accountID, accessToken: accessToken, consumerSecret: consumerSecret, mode: mode, listen: listen,
            pollInterval: .seconds(15), apiBaseURL: apiBase, dms: dms),
        context: AdapterContext(
            channel: "x", logger: Logger(label: "test"), inbound: sink, cursor: cursor, http: http,
            publicBaseURL: "https://hub.example.com"))
}

/// The path of a recorded request, without the API base.
func path(_ request: HTTPClientRequest) -> String {
    URLComponents(string: request.url)?.path ?? request.url
}

/// The decoded query parameters of a recorded request.
func query(_ request: HTTPClientRequest) -> [String: String] {
    var result: [String: String] = [:]
    for item in URLComponents(string: request.url)?.queryItems ?? [] { result[item.name] = item.value ?? "" }
    return result
}

/// The JSON body of a recorded request.
func jsonBody(_ request: HTTPClientRequest) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any] ?? [:]
}

func outbound(
    to: String = "x:9876543210", text: String = "Thanks, we're on it", inReplyTo: String? = "1234567893",
    visibility: Visibility = .public
) throws -> OutboundMessage {
    OutboundMessage(
        messageID: "msg_1", conversationID: "con_1", channel: "x", to: try Address(parsing: to),
        threadKey: "post:1234567890", text: text, inReplyTo: inReplyTo, visibility: visibility,
        idempotencyKey: "key-1")
}

/// An Account Activity POST, signed as X signs it (or with `signature`).
func activityPOST(_ body: String, signature: String? = nil) -> WebhookRequest {
    let bytes = Array(body.utf8)
    var headers: [(name: String, value: String)] = [("Content-Type", "application/json")]
    let value = signature ?? XWebhookSecurity.sign(bytes, consumerSecret: consumerSecret)
    if !value.isEmpty { headers.append(("x-twitter-webhooks-signature", value)) }
    return WebhookRequest(method: "POST", path: "/webhook", headers: headers, body: bytes)
}

/// Verifies and handles a request the way the hub's server does.
func deliver(_ request: WebhookRequest, to adapter: XAdapter) async throws -> WebhookResult {
    guard let route = adapter.webhookRoutes.first(where: { $0.method == request.method && $0.path == request.path })
    else { throw TestError("no route for \(request.method) \(request.path)") }
    try route.verify(request)
    return try await route.handle(request)
}

/// A failed expectation inside a helper.
struct TestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Captures the error a throwing call ends with.
func sendError(_ operation: () async throws -> Void) async -> SendError? {
    do {
        try await operation()
        return nil
    } catch let error as SendError {
        return error
    } catch {
        return nil
    }
}

/// One page whose `data` is the `data` of each fixture in turn (newest first, as X pages DM events).
func combinedPage(_ pages: String...) -> String {
    let data = pages.flatMap { page in
        ((try? JSONSerialization.jsonObject(with: Data(page.utf8))) as? [String: Any])?["data"] as? [Any] ?? []
    }
    let bytes = (try? JSONSerialization.data(withJSONObject: ["data": data])) ?? Data()
    return String(decoding: bytes, as: UTF8.self)
}

/// A documented payload from `Tests/Fixtures/`, shared with the end-to-end tests (the source of
/// each is in the doc comment of the `let` that loads it).
func fixture(_ name: String) -> String {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
    guard let text = try? String(contentsOf: url, encoding: .utf8) else { fatalError("no fixture at \(url.path)") }
    return text
}
