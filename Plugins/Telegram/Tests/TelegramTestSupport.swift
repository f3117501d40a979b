import Foundation
import Logging
import SwitchboardAdapterKit
import SwitchboardAdapterTesting
import Synchronization

@testable import TelegramAdapter

let apiBase = "https://api.telegram.test"
let hubURL = "http://127.0.0.1:8080"

/// A fake Bot API: an empty getUpdates answer (or a sent message) unless answers are queued.
func fakeTelegramAPI() -> RecordingHTTPClient {
    RecordingHTTPClient { count in
        HTTPClientResponse(status: 200, body: Array(updatesAnswer([]).utf8))
    }
}

/// Pauses short enough for tests.
let fastTiming = TelegramPoller.Timing(
    initialBackoff: .milliseconds(1), maxBackoff: .milliseconds(5), idlePause: .milliseconds(1))

func makeAdapter(
    mode: TelegramConfiguration.Mode = .polling, http: RecordingHTTPClient = fakeTelegramAPI(),
    cursor: any CursorStore = MemoryCursorStore(), sink: any InboundSink = RecordingInboundSink(),
    setWebhook: Bool = false, logs: LogRecorder = LogRecorder()
) -> TelegramAdapter {
    TelegramAdapter(
        configuration: TelegramConfiguration(
            botToken: botToken, mode: mode, secretToken: mode == .webhook ? secretToken : nil, apiBaseURL: apiBase,
            setWebhook: setWebhook),
        context: AdapterContext(
            channel: "telegram", logger: logs.logger(), inbound: sink, cursor: cursor, http: http,
            publicBaseURL: hubURL),
        timing: fastTiming)
}

/// A webhook request as Telegram sends it.
func telegramRequest(_ body: String, secret: String? = secretToken) -> WebhookRequest {
    var headers: [(name: String, value: String)] = [("Content-Type", "application/json")]
    if let secret { headers.append(("X-Telegram-Bot-Api-Secret-Token", secret)) }
    return WebhookRequest(method: "POST", path: "/update", headers: headers, body: Array(body.utf8))
}

/// Runs `body` through the webhook route: verify, then handle.
func handle(_ body: String) async throws -> WebhookResult {
    let route = try requireRoute(makeAdapter(mode: .webhook))
    let request = telegramRequest(body)
    try route.verify(request)
    return try await route.handle(request)
}

/// The adapter declared no `POST /update` route (polling mode).
struct NoRoute: Error {}

func requireRoute(_ adapter: TelegramAdapter) throws -> WebhookRoute {
    guard let route = adapter.webhookRoutes.first(where: { $0.path == "/update" }) else { throw NoRoute() }
    return route
}

/// The one envelope an update became.
func envelope(_ update: String) async throws -> InboundEnvelope? {
    try await handle(update).envelopes.first
}

/// A request's JSON body as a dictionary.
func jsonBody(_ request: HTTPClientRequest) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any] ?? [:]
}

func outbound(
    threadKey: String = "1111111", text: String = "Thanks, on its way", inReplyTo: String? = nil,
    visibility: Visibility = .private
) throws -> OutboundMessage {
    OutboundMessage(
        messageID: "msg_1", conversationID: "con_1", channel: "telegram",
        to: try Address(kind: .telegram, value: "1111111"), threadKey: threadKey, text: text, inReplyTo: inReplyTo,
        visibility: visibility, idempotencyKey: "key-1")
}

/// Keeps every log line (message and metadata), so tests can check no secret is logged.
final class LogRecorder: Sendable {
    let lines = Mutex<[String]>([])

    func logger() -> Logger {
        Logger(label: "telegram-test") { _ in Handler(recorder: self) }
    }

    var text: String { lines.withLock { $0.joined(separator: "\n") } }

    /// The log handler that writes into the recorder.
    struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { _, new in new }
            let rendered = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            let error = event.error.map { " error=\($0)" } ?? ""
            recorder.lines.withLock { $0.append("\(event.level) \(event.message) \(rendered)\(error)") }
        }
    }
}

/// The hub's inbound side, reading the stored offset at the moment `deliver` is called (to prove
/// it moves only afterwards) and answering `.rejected` for the external ids listed.
final class ObservingSink: InboundSink {
    let inner = RecordingInboundSink()
    let cursor: MemoryCursorStore
    let offsetsSeenAtDeliver = Mutex<[String?]>([])

    init(cursor: MemoryCursorStore, rejecting: Set<String> = []) {
        self.cursor = cursor
        inner.refusing.withLock { refusing in
            for id in rejecting { refusing[id] = "no customer may be created on this channel" }
        }
    }

    func deliver(_ batch: [InboundEnvelope]) async throws -> [DeliveryOutcome] {
        let seen = try await cursor.value(for: TelegramPoller.offsetKey)
        offsetsSeenAtDeliver.withLock { $0.append(seen) }
        return try await inner.deliver(batch)
    }

    func apply(_ updates: [StatusUpdate]) async throws {}
}
