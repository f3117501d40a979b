import Foundation
import Logging
import SwitchboardAdapterKit
import SwitchboardAdapterTesting
import Synchronization
import Testing

@testable import BridgeAdapter

/// `irc:ana`, built without `try` (the kind's rule accepts any plain handle).
let ana: Address = {
    guard let address = try? Address(parsing: "irc:ana") else { fatalError("irc:ana is a valid address") }
    return address
}()

let reply = OutboundMessage(
    messageID: "msg_1", conversationID: "con_1", channel: "irc", to: ana,
    threadKey: "irc:ana", text: "It ships today.", inReplyTo: "irc-1", idempotencyKey: "sb-msg_1", author: "Bo")

/// Replies posted to the bridge: signed, with the idempotency key, failures classified by the bridge.
struct BridgeSendTests {
    @Test func aReplyIsPostedSignedWithItsIdempotencyKey() async throws {
        let http = RecordingHTTPClient()
        http.answer(200, #"{"id":"irc-out-7"}"#)
        let receipt = try await bridge(http: http).send(reply)
        #expect(receipt.externalID == "irc-out-7")
        let request = try #require(http.requests.withLock { $0.first })
        #expect(request.url == "http://127.0.0.1:8090/outbound")
        let headers = Dictionary(request.headers.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(headers["Idempotency-Key"] == "sb-msg_1")
        #expect(headers["X-Switchboard-Timestamp"] == "1764000000")
        #expect(
            headers["X-Switchboard-Signature"]
                == BridgeSignature.signature(secret: secret, timestamp: 1_764_000_000, body: request.body))
        let body = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
        #expect(body["to"] as? String == "irc:ana")
        #expect(body["text"] as? String == "It ships today.")
        #expect(body["idempotency_key"] as? String == "sb-msg_1")
        #expect(body["in_reply_to"] as? String == "irc-1")
        #expect(body["author"] as? String == "Bo")
        // The bridge can check the hub's request by the same rule the hub checks the bridge's.
        let asReceived = WebhookRequest(method: "POST", path: "/outbound", headers: request.headers, body: request.body)
        try BridgeSignature.verify(asReceived, secret: secret, now: testNow)
    }

    @Test func withoutAnIDTheHubsOwnIDIsKept() async throws {
        let http = RecordingHTTPClient()
        http.answer(202, "")
        #expect(try await bridge(http: http).send(reply).externalID == "msg_1")
    }

    @Test(arguments: [
        (503, #"{"error":{"code":"permanent","message":"channel #x is gone"}}"#, SendError.Code.permanent),
        (400, #"{"error":{"code":"transient","message":"reconnecting"}}"#, .transient),
        (422, #"{"error":{"code":"invalid_recipient","message":"no such nick"}}"#, .invalidRecipient),
        (401, #"{"error":{"code":"unauthorized","message":"bad signature"}}"#, .unauthorized),
        (503, "Service Unavailable", .transient),
        (404, "", .invalidRecipient),
        (400, #"{"error":{"code":"something-new"}}"#, .permanent),
    ])
    func theBridgesClassWinsOverTheStatus(status: Int, body: String, expected: SendError.Code) async throws {
        let http = RecordingHTTPClient()
        http.answer(status, body)
        do {
            _ = try await bridge(http: http).send(reply)
            Issue.record("a send answered \(status) succeeded")
        } catch {
            #expect(error.code == expected, "\(error.message)")
            #expect(!error.message.isEmpty)
        }
    }

    @Test func rateLimitsCarryTheBridgesRetryAfter() async throws {
        let http = RecordingHTTPClient()
        http.answer(429, #"{"error":{"code":"rate_limited","message":"flood","retry_after":2.5}}"#)
        do {
            _ = try await bridge(http: http).send(reply)
            Issue.record("a rate-limited send succeeded")
        } catch {
            #expect(error.code == .rateLimited)
            #expect(error.retryAfter == .milliseconds(2500))
        }
    }

    @Test func aReceiveOnlyBridgeRefusesToSendAndSaysWhy() async throws {
        let adapter = bridge(outbound: nil)
        #expect(adapter.capabilities.canSend == false)
        await #expect(throws: SendError.self) { _ = try await adapter.send(reply) }
    }
}

/// The health probe: a bridge that does not answer makes the channel fail, with the reason.
struct BridgeHealthTests {
    func adapter(_ http: RecordingHTTPClient) -> BridgeAdapter {
        BridgeAdapter(
            configuration: BridgeConfiguration(secret: secret, healthURL: "http://127.0.0.1:8090/health"),
            context: AdapterContext(
                channel: "irc", logger: Logger(label: "test"), inbound: DiscardingHub(), cursor: DiscardingHub(),
                http: http, publicBaseURL: "http://127.0.0.1:8080"),
            now: { testNow })
    }

    @Test func aBridgeThatDoesNotAnswerMakesTheChannelFailWithTheReason() async throws {
        let http = RecordingHTTPClient()
        http.answer(503, #"{"irc":"disconnected"}"#)
        do {
            try await adapter(http).run()
            Issue.record("run() returned although the bridge answered 503")
        } catch {
            #expect("\(error)".contains("health_url answered HTTP 503"), "\(error)")
        }
        let probe = try #require(http.requests.withLock { $0.first })
        #expect(probe.method == "GET" && probe.url == "http://127.0.0.1:8090/health")
        #expect(probe.headers.contains { $0.name == "X-Switchboard-Signature" })
        http.answers.withLock { $0 = [.failure(TransportError(isRetryable: true, "connection refused"))] }
        await #expect(throws: BridgeUnhealthy.self) { try await adapter(http).probe("http://127.0.0.1:8090/health") }
    }
}

/// The bridge channel against the adapter contract (SwitchboardAdapterTesting's conformance check).
struct BridgeConformanceTests {
    @Test func theBridgeChannelConforms() async throws {
        let http = RecordingHTTPClient()
        let message = #"{"envelopes":[{"id":"irc-9f2","from":"irc:Ana","name":"Ana","text":"Where is my order?"}]}"#
        let status = #"{"updates":[{"id":"irc-out-1","status":"sent"}]}"#
        let conformance = ConformanceCase(
            authentic: [signed(message), signed(status, path: "/status")],
            forged: [
                signed(message, signature: "sha256=" + String(repeating: "0", count: 64)),
                signed(message, key: "another-secret-0123"),
                signed(message, timestamp: 1_764_000_000 - 3600),
            ],
            reply: reply,
            sendFailures: [
                (HTTPClientResponse(status: 503), .transient), (HTTPClientResponse(status: 429), .rateLimited),
                (HTTPClientResponse(status: 401), .unauthorized), (HTTPClientResponse(status: 400), .permanent),
                (
                    HTTPClientResponse(
                        status: 500, body: Array(#"{"error":{"code":"permanent","message":"no"}}"#.utf8)),
                    .permanent
                ),
            ],
            secrets: [secret])
        let violations = await AdapterConformance.violations(
            of: bridge(http: http), channel: "irc", http: http, case: conformance)
        #expect(violations == [])
    }
}
