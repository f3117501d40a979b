import Foundation
import Logging
import SwitchboardAdapterKit
import SwitchboardAdapterTesting
import Synchronization
import Testing

@testable import MetaAdapter

let appSecret = "0123456789abcdef0123456789abcdef"
let verifyToken = "switchboard-verify-7f3a"
let accessToken = "EAAGtestTOKEN0123456789abcdefSECRET"
let graphBase = "http://graph.test"
let phoneNumberID = "106540352242922"
let pageID = "1234567890"
let igAccountID = "17841400000000001"

let settings = MetaAppSettings(
    appSecret: appSecret, verifyToken: verifyToken, accessToken: accessToken, graphBaseURL: graphBase)

func context(_ channel: ChannelID, http: RecordingHTTPClient) -> AdapterContext {
    AdapterContext(
        channel: channel, logger: Logger(label: "test"), inbound: DiscardingHub(), cursor: DiscardingHub(), http: http,
        publicBaseURL: "https://hub.example.com")
}

func whatsApp(http: RecordingHTTPClient = RecordingHTTPClient()) -> WhatsAppAdapter {
    WhatsAppAdapter(
        configuration: WhatsAppConfiguration(settings: settings, phoneNumberID: phoneNumberID),
        context: context("whatsapp", http: http))
}

func messenger(http: RecordingHTTPClient = RecordingHTTPClient()) -> MessengerAdapter {
    MessengerAdapter(
        configuration: MessengerConfiguration(settings: settings, pageID: pageID),
        context: context("messenger", http: http))
}

func instagram(http: RecordingHTTPClient = RecordingHTTPClient()) -> InstagramAdapter {
    InstagramAdapter(
        configuration: InstagramConfiguration(settings: settings, instagramAccountID: igAccountID),
        context: context("instagram", http: http))
}

/// A POST as Meta sends it: the raw JSON bytes signed by the documented rule,
/// `sha256=` + hex HMAC-SHA256 under the app secret.
func signedPost(_ json: String, secret: String = appSecret, signature: String? = nil) -> WebhookRequest {
    let body = Array(json.utf8)
    let header = signature ?? "sha256=" + HMACSignature.sha256Hex(secret: secret, body: body)
    return WebhookRequest(
        method: "POST", path: "/webhook",
        headers: [("Content-Type", "application/json"), ("X-Hub-Signature-256", header)], body: body)
}

/// What the hub would store for `request`: verify, then handle; nothing when either refuses.
func deliver(_ request: WebhookRequest, to routes: [WebhookRoute]) async throws -> WebhookResult {
    let route = try #require(routes.first { $0.method == request.method && $0.path == request.path })
    try route.verify(request)
    return try await route.handle(request)
}

func outbound(
    to: String, text: String = "Thanks, on its way", inReplyTo: String? = nil, template: MessageTemplate? = nil,
    channel: ChannelID = "whatsapp"
) throws -> OutboundMessage {
    OutboundMessage(
        messageID: "msg_1", conversationID: "con_1", channel: channel, to: try Address(parsing: to), threadKey: "t",
        text: text, inReplyTo: inReplyTo, idempotencyKey: "key-1", template: template)
}

/// The JSON body of the first recorded request.
func firstRequest(_ http: RecordingHTTPClient) throws -> (request: HTTPClientRequest, json: [String: Any]) {
    let request = try #require(http.requests.withLock { $0.first })
    let json = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
    return (request, json)
}

/// A documented payload from `Tests/Fixtures/`, shared with the end-to-end tests (the source of
/// each is in the doc comment of the `let` that loads it).
func fixture(_ name: String) -> String {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
    guard let text = try? String(contentsOf: url, encoding: .utf8) else { fatalError("no fixture at \(url.path)") }
    return text
}
