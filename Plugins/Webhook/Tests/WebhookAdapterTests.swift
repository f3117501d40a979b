import Foundation
import Logging
import SwitchboardAdapterKit
import SwitchboardAdapterTesting
import Synchronization
import Testing

@testable import WebhookAdapter

let secret = "unit-test-secret-0123456789"

func adapter(outbound: String? = "https://example.com/replies", http: RecordingHTTPClient = RecordingHTTPClient())
    -> WebhookAdapter
{
    WebhookAdapter(
        configuration: .init(secret: secret, outboundURL: outbound),
        context: AdapterContext(
            channel: "shop", logger: Logger(label: "test"), inbound: DiscardingHub(), cursor: DiscardingHub(),
            http: http,
            publicBaseURL: "http://127.0.0.1:8080"))
}

func signed(_ body: String, path: String = "/inbound", signature: String? = nil) -> WebhookRequest {
    let bytes = Array(body.utf8)
    let sig = signature ?? "sha256=" + HMACSignature.sha256Hex(secret: secret, body: bytes)
    return WebhookRequest(
        method: "POST", path: path, headers: [("Content-Type", "application/json"), ("X-Switchboard-Signature", sig)],
        body: bytes)
}

func route(_ path: String, _ adapter: WebhookAdapter = adapter()) throws -> WebhookRoute {
    try #require(adapter.webhookRoutes.first { $0.path == path })
}

struct WebhookSignatureTests {
    @Test func knownVectorFromRFC4231() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        #expect(
            HMACSignature.sha256Hex(secret: "Jefe", body: Array("what do ya want for nothing?".utf8))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func correctSignatureIsAcceptedInAnyCase() throws {
        let route = try route("/inbound")
        let body = #"{"id":"1","from":"email:a@example.com","text":"hi"}"#
        try route.verify(signed(body))
        let upper = "sha256=" + HMACSignature.sha256Hex(secret: secret, body: Array(body.utf8)).uppercased()
        try route.verify(signed(body, signature: upper))
    }

    @Test(arguments: [
        ("", "missing"), ("sha256=", "does not match"), ("sha1=abc", "does not match"),
        ("sha256=" + String(repeating: "a", count: 64), "does not match"),
    ])
    func wrongOrMissingSignaturesAreRefused(signature: String, message: String) throws {
        let route = try route("/inbound")
        var request = signed(#"{"id":"1"}"#, signature: signature)
        if signature.isEmpty { request.headers.removeAll { $0.name == "X-Switchboard-Signature" } }
        #expect(throws: WebhookAuthError.self) { try route.verify(request) }
        do {
            try route.verify(request)
        } catch {
            #expect(error.message.contains(message))
            #expect(!error.message.contains(secret))
        }
    }

    @Test func aSignatureForAnotherBodyIsRefused() throws {
        let route = try route("/inbound")
        let good = signed(#"{"id":"1","text":"a"}"#)
        var tampered = good
        tampered.body = Array(#"{"id":"1","text":"b"}"#.utf8)
        #expect(throws: WebhookAuthError.self) { try route.verify(tampered) }
    }
}

struct WebhookPayloadTests {
    @Test func oneMessageBecomesOneEnvelope() async throws {
        let body = #"""
            {"id":"o-1","from":"email:Ana@Example.com","name":"Ana","subject":"Hi","text":"Hello","thread":"order-1",
             "sent_at":"2026-11-23T10:00:00Z","verified":["tel:+14155550100"],"visibility":"public",
             "attachments":[{"content_type":"image/png","filename":"a.png","url":"https://x/a.png"}]}
            """#
        let result = try await route("/inbound").handle(signed(body))
        let envelope = try #require(result.envelopes.first)
        #expect(result.envelopes.count == 1)
        #expect(envelope.channel == "shop")
        #expect(envelope.externalID == "o-1")
        #expect(envelope.from.description == "email:Ana@example.com")
        #expect(envelope.threadKey == "order-1")
        #expect(envelope.visibility == .public)
        #expect(envelope.hints.displayName == "Ana")
        #expect(envelope.hints.verifiedAddresses.map(\.description) == ["tel:+14155550100"])
        #expect(envelope.sentAt == Date(timeIntervalSince1970: 1_795_428_000))
        #expect(envelope.attachments.first?.contentType == "image/png")
        #expect(envelope.raw?.bytes == Array(body.utf8))
    }

    @Test func threadDefaultsToTheSenderAndBatchesAreAccepted() async throws {
        let body =
            #"{"messages":[{"id":"b-1","from":"tel:+14155550100","text":"one"},{"id":"b-2","from":"tel:+14155550100","text":"two","sent_at":1795428000}]}"#
        let result = try await route("/inbound").handle(signed(body))
        #expect(result.envelopes.map(\.externalID) == ["b-1", "b-2"])
        #expect(result.envelopes.allSatisfy { $0.threadKey == "tel:+14155550100" })
        #expect(result.envelopes[1].sentAt == Date(timeIntervalSince1970: 1_795_428_000))
        let raws = result.envelopes.map { String(decoding: $0.raw?.bytes ?? [], as: UTF8.self) }
        #expect(
            raws == [
                #"{"from":"tel:+14155550100","id":"b-1","text":"one"}"#,
                #"{"from":"tel:+14155550100","id":"b-2","sent_at":1795428000,"text":"two"}"#,
            ], "each message keeps its own JSON")
    }

    @Test(arguments: [
        (#"{"id":"1","from":"email:a@example.com""#, "the body is not valid JSON"),
        (#"[1,2]"#, "the body must be a JSON object"),
        (#"{"from":"email:a@example.com","text":"x"}"#, "'id' is required"),
        (#"{"id":"","from":"email:a@example.com","text":"x"}"#, "'id' must not be empty"),
        (#"{"id":"1","text":"x"}"#, "'from' is required"),
        (#"{"id":"1","from":"ana","text":"x"}"#, "'from' an address is written kind:value"),
        (#"{"id":"1","from":"email:a@example.com"}"#, "'text' is required"),
        (#"{"id":"1","from":"email:a@example.com","text":5}"#, "'text' must be a string"),
        (#"{"id":"1","from":"email:a@example.com","text":"x","sent_at":"yesterday"}"#, "'sent_at' must be an ISO 8601"),
        (#"{"id":"1","from":"email:a@example.com","text":"x","visibility":"secret"}"#, "'visibility' must be"),
        (#"{"id":"1","from":"email:a@example.com","text":"x","verified":"tel:+1"}"#, "'verified' must be a list"),
        (#"{"messages":[]}"#, "'messages' must be a non-empty list"),
        (
            #"{"messages":[{"id":"1","from":"email:a@example.com","text":"x"},{"id":"2","text":"y"}]}"#,
            "'messages[1].from' is required"
        ),
    ])
    func badBodiesAreRefusedWithTheFieldNamed(body: String, message: String) async throws {
        let route = try route("/inbound")
        await #expect(throws: WebhookRequestError.self) { _ = try await route.handle(signed(body)) }
        do {
            _ = try await route.handle(signed(body))
        } catch let error as WebhookRequestError {
            #expect(error.status == 400)
            #expect(error.message.hasPrefix(message), "\(error.message)")
        }
    }

    @Test func invalidUTF8AndWrongContentTypeAreRefused() async throws {
        let route = try route("/inbound")
        var request = signed("")
        request.body = [0x7B, 0xFF, 0xFE, 0x7D]
        await #expect(throws: WebhookRequestError.self) { _ = try await route.handle(request) }
        var form = signed("a=b")
        form.headers[0] = ("Content-Type", "application/x-www-form-urlencoded")
        do {
            _ = try await route.handle(form)
            Issue.record("a form body was accepted")
        } catch let error as WebhookRequestError {
            #expect(error.status == 415)
        }
    }

    @Test func statusReportsParse() async throws {
        let result = try await route("/status").handle(
            signed(#"{"id":"ext-1","status":"failed","reason":"blocked"}"#, path: "/status"))
        #expect(result.statusUpdates.first?.status == .failed(reason: "blocked"))
        #expect(result.statusUpdates.first?.externalID == "ext-1")
        await #expect(throws: WebhookRequestError.self) {
            _ = try await route("/status").handle(signed(#"{"id":"ext-1","status":"lost"}"#, path: "/status"))
        }
    }
}

struct WebhookSendTests {
    let message = OutboundMessage(
        messageID: "msg_1", conversationID: "con_1", channel: "shop", to: try! Address(parsing: "email:a@example.com"),
        threadKey: "t", subject: "Re: Hi", text: "Hello", inReplyTo: "o-1", idempotencyKey: "sb-msg_1", author: "Bo")

    @Test func sendPostsSignedJSONAndReturnsTheRemoteID() async throws {
        let http = RecordingHTTPClient()
        http.answers.withLock {
            $0 = [.success(HTTPClientResponse(status: 201, body: Array(#"{"id":"remote-9"}"#.utf8)))]
        }
        let receipt = try await adapter(http: http).send(message)
        #expect(receipt.externalID == "remote-9")
        let request = try #require(http.requests.withLock { $0.first })
        #expect(request.url == "https://example.com/replies")
        let signature = request.headers.first { $0.name == "X-Switchboard-Signature" }?.value
        #expect(signature == "sha256=" + HMACSignature.sha256Hex(secret: secret, body: request.body))
        #expect(request.headers.contains { $0.name == "Idempotency-Key" && $0.value == "sb-msg_1" })
        let payload = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
        #expect(payload["to"] as? String == "email:a@example.com")
        #expect(payload["in_reply_to"] as? String == "o-1")
    }

    @Test func withoutARemoteIDTheMessageIDIsTheReceipt() async throws {
        #expect(try await adapter().send(message).externalID == "msg_1")
    }

    @Test(
        arguments: [
            (429, "7", SendError.Code.rateLimited), (503, nil, .transient), (500, nil, .transient),
            (400, nil, .permanent), (401, nil, .unauthorized), (404, nil, .invalidRecipient),
        ] as [(Int, String?, SendError.Code)])
    func httpFailuresAreClassified(status: Int, retryAfter: String?, code: SendError.Code) async throws {
        let http = RecordingHTTPClient()
        let headers = retryAfter.map { [(name: "Retry-After", value: $0)] } ?? []
        http.answers.withLock { $0 = [.success(HTTPClientResponse(status: status, headers: headers))] }
        do {
            _ = try await adapter(http: http).send(message)
            Issue.record("HTTP \(status) was taken as success")
        } catch {
            #expect(error.code == code)
            if retryAfter != nil { #expect(error.retryAfter == .seconds(7)) }
        }
    }

    @Test func transportFailuresKeepTheirRetryability() async throws {
        let http = RecordingHTTPClient()
        http.answers.withLock { $0 = [.failure(TransportError(isRetryable: true, "connection refused"))] }
        await #expect(throws: SendError.self) { _ = try await adapter(http: http).send(message) }
        do {
            http.answers.withLock { $0 = [.failure(TransportError(isRetryable: true, "connection refused"))] }
            _ = try await adapter(http: http).send(message)
        } catch {
            #expect(error.code == .transient)
        }
    }

    @Test func withoutOutboundURLTheChannelCannotSend() async throws {
        let receiveOnly = adapter(outbound: nil)
        #expect(receiveOnly.capabilities.canSend == false)
        do {
            _ = try await receiveOnly.send(message)
            Issue.record("sent without an outbound_url")
        } catch {
            #expect(error.code == .permanent)
        }
    }
}
