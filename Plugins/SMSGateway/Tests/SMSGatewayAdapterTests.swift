import Foundation
import Logging
import SwitchboardAdapterKit
import SwitchboardAdapterTesting
import Synchronization
import Testing

@testable import SMSGatewayAdapter

/// A provider's REST API as a fake: 200 with `{"data": {"id": "prov-1"}}` unless answers are queued.
func fakeProvider() -> RecordingHTTPClient {
    RecordingHTTPClient { _ in HTTPClientResponse(status: 200, body: Array(#"{"data": {"id": "prov-1"}}"#.utf8)) }
}

let hmacSecret = "provider-hmac-secret-0123456789"

/// Decodes settings written as JSON (the YAML loader hands adapters the same tree).
func configuration(_ json: String) throws -> SMSGatewayConfiguration {
    try JSONDecoder().decode(SMSGatewayConfiguration.self, from: Data(json.utf8))
}

let jsonSettings = """
    {"default_region": "FR",
     "inbound": {"format": "json", "batch": "messages",
                 "auth": {"hmac": {"header": "X-Signature", "secret": "\(hmacSecret)", "prefix": "sha256="}},
                 "fields": {"id": "id", "from": "sender.msisdn", "to": "recipient", "text": "content.text", "time": "ts"}},
     "status": {"fields": {"id": "ref", "status": "state", "reason": "error"},
                "values": {"delivered": ["DELIVRD"], "failed": ["UNDELIV", "REJECTD"], "sent": ["ACCEPTD"], "ignore": ["ENROUTE"]}},
     "outbound": {"url": "https://api.provider.test/v1/sms", "format": "json",
                  "headers": {"Authorization": "Bearer outbound-token-0123456789"},
                  "body": {"to": "{to_digits}", "from": "Switchboard", "text": "{text}", "ref": "{id}", "callback": "{status_url}"},
                  "id_field": "data.id", "max_text_length": 612}}
    """

func makeAdapter(_ settings: String = jsonSettings, http: RecordingHTTPClient = fakeProvider()) throws
    -> SMSGatewayAdapter
{
    SMSGatewayAdapter(
        configuration: try configuration(settings),
        context: AdapterContext(
            channel: "acme", logger: Logger(label: "test"), inbound: DiscardingHub(), cursor: DiscardingHub(),
            http: http,
            publicBaseURL: "https://hub.example.com/"))
}

func signed(_ path: String, _ body: String, signature: String? = nil) -> WebhookRequest {
    let bytes = Array(body.utf8)
    let sig = signature ?? "sha256=" + HMACSignature.sha256Hex(secret: hmacSecret, body: bytes)
    return WebhookRequest(
        method: "POST", path: path, headers: [("Content-Type", "application/json"), ("X-Signature", sig)], body: bytes)
}

func handle(_ adapter: SMSGatewayAdapter, _ request: WebhookRequest) async throws -> WebhookResult {
    let route = try #require(adapter.webhookRoutes.first { $0.path == request.path })
    try route.verify(request)
    return try await route.handle(request)
}

struct SMSGatewayInboundTests {
    @Test func jsonBatchWithDottedPaths() async throws {
        let body = """
            {"messages": [
              {"id": "p-1", "sender": {"msisdn": "06 12 34 56 78"}, "recipient": "+33700000000",
               "content": {"text": "Bonjour"}, "ts": 1795425615},
              {"id": "p-2", "sender": {"msisdn": "+33612345678"}, "content": {"text": "encore"}, "ts": "2026-11-23T10:00:00Z"}
            ]}
            """
        let envelopes = try await handle(try makeAdapter(), signed("/inbound", body)).envelopes
        #expect(envelopes.map(\.externalID) == ["p-1", "p-2"])
        #expect(envelopes.map(\.from.description) == ["tel:+33612345678", "tel:+33612345678"])
        #expect(envelopes[0].hints.rawHandle == "06 12 34 56 78")
        #expect(envelopes[0].sentAt == Date(timeIntervalSince1970: 1_795_425_615))
        #expect(envelopes[0].to?.description == "tel:+33700000000")
        // Each message of the batch keeps its own JSON, not the whole batch.
        let raws = envelopes.map { String(decoding: $0.raw?.bytes ?? [], as: UTF8.self) }
        #expect(raws[0].contains(#""id":"p-1""#) && !raws[0].contains("p-2"), "\(raws[0])")
        #expect(raws[1].contains(#""id":"p-2""#) && !raws[1].contains("p-1"), "\(raws[1])")
    }

    @Test func wrongSignatureIs403AndMissingFieldsAreNamed() async throws {
        let adapter = try makeAdapter()
        let route = try #require(adapter.webhookRoutes.first { $0.path == "/inbound" })
        do {
            try route.verify(signed("/inbound", "{}", signature: "sha256=00"))
            Issue.record("a wrong signature was accepted")
        } catch {
            #expect(error.status == 403)
        }
        do {
            _ = try await handle(
                adapter, signed("/inbound", #"{"messages": [{"id": "p-1", "content": {"text": "x"}}]}"#))
            Issue.record("accepted without a sender")
        } catch let error as WebhookRequestError {
            #expect(error.message.contains("sender.msisdn"))
        }
    }

    @Test func formProviderWithATokenInAHeader() async throws {
        let settings = """
            {"inbound": {"format": "form", "auth": {"token": {"header": "Authorization", "value": "Bearer inbound-token-0123456789"}},
                         "fields": {"id": "MsgId", "from": "Sender", "text": "Text"}}}
            """
        let adapter = try makeAdapter(settings)
        let body = "MsgId=42&Sender=%2B14155550100&Text=Hello+there"
        let request = WebhookRequest(
            method: "POST", path: "/inbound", headers: [("Authorization", "Bearer inbound-token-0123456789")],
            body: Array(body.utf8))
        let envelope = try #require(try await handle(adapter, request).envelopes.first)
        #expect(envelope.text == "Hello there")
        #expect(envelope.from.description == "tel:+14155550100")
        var wrong = request
        wrong.headers = [("Authorization", "Bearer nope")]
        let route = try #require(adapter.webhookRoutes.first { $0.path == "/inbound" })
        #expect(throws: WebhookAuthError.self) { try route.verify(wrong) }
        #expect(adapter.webhookRoutes.count == 1, "no status route without a status: section")
        #expect(!adapter.capabilities.canSend)
    }

    @Test func statusValuesMap() async throws {
        let adapter = try makeAdapter()
        func status(_ state: String) async throws -> [StatusUpdate] {
            try await handle(adapter, signed("/status", #"{"ref": "prov-1", "state": "\#(state)", "error": "absent"}"#))
                .statusUpdates
        }
        #expect(try await status("DELIVRD").map(\.status) == [.delivered])
        #expect(try await status("ACCEPTD").map(\.status) == [.sent])
        #expect(try await status("ENROUTE").isEmpty)
        #expect(try await status("UNDELIV").first?.status.reason == "the provider reported UNDELIV: absent")
        await #expect(throws: WebhookRequestError.self) { try await status("WHATEVER") }
    }
}

struct SMSGatewaySendTests {
    @Test func jsonBodyFromTheTemplate() async throws {
        let http = fakeProvider()
        let message = OutboundMessage(
            messageID: "msg_9", conversationID: "con_1", channel: "acme", to: try Address(parsing: "tel:+33612345678"),
            threadKey: "t", text: "Votre code {to} est prêt", idempotencyKey: "key-9")
        let receipt = try await makeAdapter(http: http).send(message)
        #expect(receipt.externalID == "prov-1")
        let request = try #require(http.requests.withLock { $0.first })
        #expect(request.url == "https://api.provider.test/v1/sms")
        #expect(
            request.headers.contains { $0.name == "Authorization" && $0.value == "Bearer outbound-token-0123456789" })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: String])
        #expect(object["to"] == "33612345678")
        // A customer's or agent's text is inserted once, never expanded again.
        #expect(object["text"] == "Votre code {to} est prêt")
        #expect(object["ref"] == "msg_9")
        #expect(object["callback"] == "https://hub.example.com/webhooks/acme/status")
    }

    @Test func refusalsAreClassifiedAndAMissingIdIsNotRetried() async throws {
        let message = OutboundMessage(
            messageID: "msg_9", conversationID: "con_1", channel: "acme", to: try Address(parsing: "tel:+33612345678"),
            threadKey: "t", text: "hi", idempotencyKey: "key-9")
        for (status, body, code) in [
            (429, "slow down", SendError.Code.rateLimited), (503, "down", .transient), (401, "no", .unauthorized),
            (422, "bad number", .permanent), (200, "{}", .permanent),
        ] {
            let http = fakeProvider()
            http.answer(status, body)
            let adapter = try makeAdapter(http: http)
            do {
                _ = try await adapter.send(message)
                Issue.record("HTTP \(status) was taken as sent")
            } catch {
                #expect(error.code == code, "HTTP \(status)")
            }
        }
    }

    @Test func configMistakesSayWhatToDo() throws {
        func error(_ json: String) -> String {
            do {
                _ = try configuration(json)
                return ""
            } catch {
                return "\(error)"
            }
        }
        let inbound =
            #""inbound": {"format": "json", "auth": {"token": {"header": "X-T", "value": "0123456789abcdef"}}, "fields": {"id": "i", "from": "f", "text": "t"}}"#
        #expect(
            error(#"{\#(inbound), "outbound": {"url": "https://x.test", "body": {"to": "{to}"}}}"#).contains("{text}"))
        #expect(
            error(
                #"{\#(inbound), "outbound": {"url": "https://x.test", "body": {"to": "{to}", "t": "{text} {name}"}}}"#
            )
            .contains("{name}"))
        #expect(error(#"{"default_region": "XX", \#(inbound)}"#).contains("XX"))
        #expect(
            error(#"{"inbound": {"format": "json", "auth": {}, "fields": {"id": "i", "from": "f", "text": "t"}}}"#)
                .contains("exactly one"))
    }
}
