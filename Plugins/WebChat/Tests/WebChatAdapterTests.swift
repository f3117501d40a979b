import Foundation
import Logging
import SwitchboardAdapterKit
import SwitchboardAdapterTesting
import Synchronization
import Testing

@testable import WebChatAdapter

/// A cursor store that fails while `failing` is set: the web chat's "transport" is its mailbox.
final class FlakyCursorStore: CursorStore {
    let values = Mutex<[String: String]>([:])
    let failing = Mutex(false)

    struct Down: Error {}

    func value(for key: String) async throws -> String? {
        if failing.withLock({ $0 }) { throw Down() }
        return values.withLock { $0[key] }
    }

    func setValue(_ value: String, for key: String) async throws {
        if failing.withLock({ $0 }) { throw Down() }
        values.withLock { $0[key] = value }
    }
}

/// The web chat channel against the adapter contract, and its own rules: visitors' tokens, the
/// email a visitor types, allowed origins, the per-visitor limit, the reply mailbox and its stream.
struct WebChatAdapterTests {
    static let site = "https://shop.example"

    static func adapter(cursor: FlakyCursorStore = FlakyCursorStore(), perMinute: Int = 10) -> WebChatAdapter {
        WebChatAdapter(
            configuration: WebChatConfiguration(allowedOrigins: [site], messagesPerMinute: perMinute),
            context: AdapterContext(
                channel: "chat", logger: Logger(label: "test"), inbound: DiscardingHub(), cursor: cursor,
                http: RecordingHTTPClient(), publicBaseURL: "https://hub.example", hubSecret: "hub-secret-for-tests"))
    }

    static func post(
        _ path: String, _ body: String, origin: String? = site, token: String? = nil
    ) -> WebhookRequest {
        var headers: [(name: String, value: String)] = [("Content-Type", "application/json")]
        if let origin { headers.append(("Origin", origin)) }
        if let token { headers.append(("X-Switchboard-Visitor", token)) }
        return WebhookRequest(method: "POST", path: path, headers: headers, body: Array(body.utf8))
    }

    static func route(_ adapter: WebChatAdapter, _ method: String, _ path: String) throws -> WebhookRoute {
        try #require(adapter.webhookRoutes.first { $0.method == method && $0.path == path })
    }

    static func json(_ response: WebhookResponse?) throws -> [String: String] {
        let body = try #require(response).body
        return try #require(JSONSerialization.jsonObject(with: Data(body)) as? [String: String])
    }

    /// The streamed body of a result (`#require` on the optional chain crashes this toolchain).
    static func stream(_ result: WebhookResult) throws -> AsyncStream<[UInt8]> {
        let found: AsyncStream<[UInt8]>? = result.response.flatMap { $0.stream }
        guard let stream = found else {
            throw WebhookRequestError("the answer has no stream")
        }
        return stream
    }

    /// A header of an answer. (Tests read answers through plain functions: this toolchain
    /// miscompiles `#expect`/`#require` over optional chains into these values.)
    static func header(_ result: WebhookResult, _ wanted: String) -> String? {
        let fields: [(name: String, value: String)] = result.response.map { $0.headers } ?? []
        let values = fields.filter { $0.name == wanted }.map { $0.value }
        return values.first
    }

    static func status(_ result: WebhookResult) -> Int { result.response.map { $0.status } ?? 0 }

    static let first =
        #"{"text":"Hello, is my order on its way?","client_id":"c0ffee00-1111","email":"Ana@Example.com"}"#

    @Test func conformsToTheAdapterContract() async throws {
        let cursor = FlakyCursorStore()
        let adapter = Self.adapter(cursor: cursor)
        let token = VisitorTokens(hubSecret: "hub-secret-for-tests", channel: "chat").token(
            for: VisitorTokens(hubSecret: "x", channel: "chat").newVisitorID(clientID: "abc12345"))
        let other = VisitorTokens(hubSecret: "another-secret", channel: "chat").token(
            for: VisitorTokens(hubSecret: "x", channel: "chat").newVisitorID(clientID: "abc12345"))
        let conformance = ConformanceCase(
            authentic: [Self.post("/messages", Self.first), Self.post("/messages", Self.first, token: token)],
            forged: [
                Self.post("/messages", Self.first, origin: "https://evil.example"),
                Self.post("/messages", Self.first, token: other),
                Self.post("/messages", Self.first, token: "v123.not-a-signature"),
            ],
            reply: OutboundMessage(
                messageID: "msg_1", conversationID: "con_1", channel: "chat",
                to: try Address(parsing: "webchat:v0123456789abcdef01234567"), threadKey: "webchat:v1",
                text: "Hi Ana", idempotencyKey: "sb-msg_1"),
            transportFailures: [
                ScriptedFailure("a mailbox that cannot be written", expected: .transient) {
                    cursor.failing.withLock { $0 = true }
                }
            ],
            secrets: ["hub-secret-for-tests"])
        let violations = await AdapterConformance.violations(
            of: adapter, channel: "chat", http: RecordingHTTPClient(), case: conformance)
        #expect(violations == [])
    }

    @Test func aFirstMessageMakesAVisitorWithTheEmailTheyTyped() async throws {
        let adapter = Self.adapter()
        let result = try await Self.route(adapter, "POST", "/messages").handle(Self.post("/messages", Self.first))
        let envelope = try #require(result.envelopes.first)
        let answer = try Self.json(result.response)
        let visitor = try #require(answer["visitor"])
        #expect(envelope.from.description == "webchat:\(visitor)")
        let verified = envelope.hints.verifiedAddresses.map(\.description)
        #expect(verified == ["email:Ana@example.com"], "the domain is case-insensitive, the local part is kept")
        #expect(envelope.text == "Hello, is my order on its way?")
        #expect(adapter.visitors.visitor(from: answer["token"] ?? "") == visitor)
        let allowOrigin = Self.header(result, "Access-Control-Allow-Origin")
        #expect(allowOrigin == Self.site)
        let cookie = Self.header(result, "Set-Cookie") ?? ""
        let token = try #require(answer["token"])
        #expect(cookie.hasPrefix("sb_chat_chat=\(token);"))
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=None; Secure"))
        // The same first message again (the answer was lost): the same visitor and message.
        let again = try await Self.route(adapter, "POST", "/messages").handle(Self.post("/messages", Self.first))
        #expect(again.envelopes.map(\.externalID) == result.envelopes.map(\.externalID))
    }

    @Test func badInputIsRefusedWithAReasonAndNothingToStore() async throws {
        let route = try Self.route(Self.adapter(), "POST", "/messages")
        let cases = [
            "not json", #"{"text":"","client_id":"c0ffee00-1111"}"#, #"{"text":"hi","client_id":"x"}"#,
            #"{"text":"hi","client_id":"c0ffee00-1111","email":"not an address"}"#,
            #"{"text":"\#(String(repeating: "a", count: 4001))","client_id":"c0ffee00-1111"}"#,
        ]
        for body in cases {
            let result = try await route.handle(Self.post("/messages", body))
            #expect(result.envelopes.isEmpty, "\(body.prefix(40))")
            let status = Self.status(result)
            #expect(status == 400)
            let error = try Self.json(result.response)["error"] ?? ""
            #expect(!error.isEmpty)
        }
    }

    @Test func aVisitorWhoSendsTooFastIsAskedToWait() async throws {
        let adapter = Self.adapter(perMinute: 2)
        let route = try Self.route(adapter, "POST", "/messages")
        var statuses: [Int] = []
        for index in 0..<3 {
            let body = #"{"text":"message \#(index)","client_id":"c0ffee00-1111"}"#
            let result = try await route.handle(Self.post("/messages", body))
            statuses.append(Self.status(result))
            if Self.status(result) == 429 {
                #expect(result.envelopes.isEmpty)
                let retryAfter = Self.header(result, "Retry-After")
                #expect(retryAfter != nil)
            }
        }
        #expect(statuses == [200, 200, 429])
    }

    @Test func preflightAnswersOnlyAllowedSites() async throws {
        let route = try Self.route(Self.adapter(), "OPTIONS", "/messages")
        let allowed = try await route.handle(
            WebhookRequest(method: "OPTIONS", path: "/messages", headers: [("Origin", Self.site)]))
        #expect(Self.status(allowed) == 204)
        let credentials = Self.header(allowed, "Access-Control-Allow-Credentials")
        #expect(credentials == "true")
        let other = try await route.handle(
            WebhookRequest(method: "OPTIONS", path: "/messages", headers: [("Origin", "https://evil.example")]))
        #expect(Self.status(other) == 403)
        let origin = Self.header(other, "Access-Control-Allow-Origin")
        #expect(origin == nil)
    }

    @Test func repliesAreKeptOnceStreamedAndAcknowledgedOnlyByTheirVisitor() async throws {
        let adapter = Self.adapter()
        let first = try await Self.route(adapter, "POST", "/messages").handle(Self.post("/messages", Self.first))
        let answer = try Self.json(first.response)
        let (visitor, token) = (try #require(answer["visitor"]), try #require(answer["token"]))
        let to = try Address(kind: .webchat, value: visitor)
        let reply = OutboundMessage(
            messageID: "msg_7", conversationID: "con_1", channel: "chat", to: to, threadKey: to.description,
            text: "It ships today.", idempotencyKey: "sb-msg_7", author: "Bo")
        let receipt = try await adapter.send(reply)
        #expect(try await adapter.send(reply).externalID == receipt.externalID)
        #expect(try await adapter.mailbox.replies(for: visitor).map(\.id) == [receipt.externalID], "kept once")

        // A widget that connects now gets the kept reply, then a new one live.
        let events = try await Self.route(adapter, "GET", "/events").handle(
            WebhookRequest(
                method: "GET", path: "/events", query: [("visitor", token)], headers: [("Origin", Self.site)]))
        var iterator = try Self.stream(events).makeAsyncIterator()
        var text = ""
        while !text.contains("It ships today."), let chunk = await iterator.next() {
            text += String(decoding: chunk, as: UTF8.self)
        }
        #expect(text.contains("id: \(receipt.externalID)\nevent: reply\n"))
        var second = reply
        second.messageID = "msg_8"
        second.text = "Tracking: 42."
        _ = try await adapter.send(second)
        while !text.contains("Tracking: 42."), let chunk = await iterator.next() {
            text += String(decoding: chunk, as: UTF8.self)
        }
        #expect(text.contains("\"author\":\"Bo\""))

        // Receipts: this visitor's replies only.
        let receipts = try await Self.route(adapter, "POST", "/receipts").handle(
            Self.post("/receipts", #"{"ids":["\#(receipt.externalID)","wcr_someone_else"]}"#, token: token))
        #expect(receipts.statusUpdates.map(\.externalID) == [receipt.externalID])
        #expect(receipts.statusUpdates.first?.status == .delivered)
    }

    @Test func aReconnectingWidgetGetsOnlyWhatItHasNotSeen() async throws {
        let adapter = Self.adapter()
        let visitor = adapter.visitors.newVisitorID(clientID: "c0ffee00-2222")
        let to = try Address(kind: .webchat, value: visitor)
        for index in 1...3 {
            _ = try await adapter.send(
                OutboundMessage(
                    messageID: "msg_\(index)", conversationID: "con_1", channel: "chat", to: to,
                    threadKey: to.description, text: "reply \(index)", idempotencyKey: "k\(index)"))
        }
        let events = try await Self.route(adapter, "GET", "/events").handle(
            WebhookRequest(
                method: "GET", path: "/events", query: [("visitor", adapter.visitors.token(for: visitor))],
                headers: [("Last-Event-ID", "wcr_msg_2")]))
        var iterator = try Self.stream(events).makeAsyncIterator()
        var text = ""
        while !text.contains("reply 3"), let chunk = await iterator.next() {
            text += String(decoding: chunk, as: UTF8.self)
        }
        #expect(!text.contains("reply 1") && !text.contains("reply 2"))
    }

    @Test func settingsExplainTheirMistakes() throws {
        for (yaml, expected) in [
            (#"{"allowed_origins": []}"#, "list the sites"),
            (#"{"allowed_origins": ["https://shop.example/path"]}"#, "is not an origin"),
            (#"{"allowed_origins": ["https://shop.example"], "messages_per_minute": 0}"#, "1 to 600"),
        ] {
            #expect {
                try JSONDecoder().decode(WebChatConfiguration.self, from: Data(yaml.utf8))
            } throws: { error in
                "\(error)".contains(expected)
            }
        }
    }
}
