import Foundation
import Logging
import SwitchboardAdapterKit
import SwitchboardAdapterTesting
import Synchronization
import Testing

@testable import KannelAdapter

/// smsbox's sendsms as a fake: answers 202 "0: Accepted for delivery" unless answers are queued.
func fakeSendsms() -> RecordingHTTPClient {
    RecordingHTTPClient { _ in HTTPClientResponse(status: 202, body: Array("0: Accepted for delivery".utf8)) }
}

let secret = "kannel-unit-secret-0123456789"

func makeAdapter(http: RecordingHTTPClient = fakeSendsms(), maxParts: Int = 3)
    -> KannelAdapter
{
    KannelAdapter(
        configuration: KannelConfiguration(
            secret: secret, sendsmsURL: "http://127.0.0.1:23113/cgi-bin/sendsms", username: "switchboard",
            password: "sendsms-password", from: "12345", defaultRegion: PhoneRegion("FR"), maxParts: maxParts),
        context: AdapterContext(
            channel: "kannel", logger: Logger(label: "test"), inbound: DiscardingHub(), cursor: DiscardingHub(),
            http: http,
            publicBaseURL: "http://127.0.0.1:23180"))
}

/// The GET smsbox makes for the sms-service get-url of docs/sms-channels.md.
func moRequest(_ query: String, secret given: String = secret) -> WebhookRequest {
    WebhookRequest(method: "GET", path: "/inbound", rawQuery: "secret=\(given)&" + query)
}

func route(_ path: String, _ adapter: KannelAdapter = makeAdapter()) throws -> WebhookRoute {
    try #require(adapter.webhookRoutes.first { $0.path == path })
}

func message(_ text: String, to: String = "tel:+33612345678", id: String = "msg_1") throws -> OutboundMessage {
    OutboundMessage(
        messageID: id, conversationID: "con_1", channel: "kannel", to: try Address(parsing: to), threadKey: "t",
        text: text, idempotencyKey: "key-\(id)")
}

struct KannelInboundTests {
    @Test func asciiMessage() async throws {
        let request = moRequest(
            "from=%2B33612345678&to=12345&text=Bonjour+commande+42&charset=UTF-8&coding=0&time=1795425615"
                + "&id=0b7c1f2e-5a3d-4c1b-9e2f-111111111111&smsc=fake1")
        let route = try route("/inbound")
        try route.verify(request)
        let result = try await route.handle(request)
        let envelope = try #require(result.envelopes.first)
        #expect(envelope.externalID == "0b7c1f2e-5a3d-4c1b-9e2f-111111111111")
        #expect(envelope.from.description == "tel:+33612345678")
        #expect(envelope.text == "Bonjour commande 42")
        #expect(envelope.sentAt == Date(timeIntervalSince1970: 1_795_425_615))
        #expect(result.response?.body.isEmpty == true)
    }

    /// UCS-2 arrives as UTF-16BE bytes, percent-encoded (peers.md §1: `text=%00h%00%E9…`, `charset=UTF-16BE`).
    @Test func ucs2MessageIsDecodedFromUTF16BE() async throws {
        let bytes = Array("Réponse €".utf16).flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        let text = bytes.map { String(format: "%%%02X", $0) }.joined()
        let request = moRequest("from=0612345678&to=12345&text=\(text)&charset=UTF-16BE&coding=2&id=abc-1")
        let envelope = try #require(try await route("/inbound").handle(request).envelopes.first)
        #expect(envelope.text == "Réponse €")
        // A national number, read in the channel's default region, keeps its raw spelling beside it.
        #expect(envelope.from.description == "tel:+33612345678")
        #expect(envelope.hints.rawHandle == "0612345678")
    }

    @Test func alphanumericSenderIsKeptNotLost() async throws {
        let request = moRequest("from=ACME&to=12345&text=Your+code+1234&charset=UTF-8&coding=0&id=abc-2")
        let envelope = try #require(try await route("/inbound").handle(request).envelopes.first)
        #expect(envelope.from.description == "sms-sender:ACME")
    }

    @Test func wrongOrMissingSecretIs403() throws {
        let route = try route("/inbound")
        for request in [
            moRequest("from=%2B33612345678&text=x&id=1", secret: "not-the-secret-0123456789"),
            WebhookRequest(method: "GET", path: "/inbound", rawQuery: "from=%2B33612345678&text=x&id=1"),
        ] {
            do {
                try route.verify(request)
                Issue.record("accepted without the secret")
            } catch {
                #expect(error.status == 403)
                #expect(!error.message.contains(secret))
            }
        }
    }

    @Test func missingIdOrSenderIsNamed() async throws {
        do {
            _ = try await route("/inbound").handle(moRequest("from=%2B33612345678&text=x"))
            Issue.record("accepted without id")
        } catch let error as WebhookRequestError {
            #expect(error.message.contains("%I"))
        }
        await #expect(throws: WebhookRequestError.self) {
            try await route("/inbound").handle(moRequest("text=x&id=1"))
        }
    }
}

struct KannelSendTests {
    @Test func shortReplyIsOnePostWithDLRURL() async throws {
        let http = fakeSendsms()
        let receipt = try await makeAdapter(http: http).send(try message("Votre commande est partie"))
        #expect(receipt.externalID == "msg_1")
        let request = try #require(http.requests.withLock { $0.first })
        #expect(request.method == "POST")
        let headers = Dictionary(request.headers.map { ($0.name, $0.value) }) { a, _ in a }
        #expect(headers["X-Kannel-To"] == "+33612345678")
        #expect(headers["X-Kannel-From"] == "12345")
        #expect(headers["X-Kannel-Coding"] == "0")
        #expect(headers["X-Kannel-DLR-Mask"] == "31")
        let dlr = try #require(headers["X-Kannel-DLR-Url"])
        #expect(dlr == "http://127.0.0.1:23180/webhooks/kannel/dlr?secret=\(secret)&id=msg_1&status=%d&answer=%A")
        #expect(String(decoding: request.body, as: UTF8.self) == "Votre commande est partie")
        #expect(!request.url.contains("password"))
    }

    @Test func longReplyIsOneConcatenatedMessageAndNonGSMTextIsUCS2() async throws {
        let http = fakeSendsms()
        let gsm = String(repeating: "Merci beaucoup € ", count: 12)  // 204 characters, € takes two septets
        _ = try await makeAdapter(http: http).send(try message(gsm))
        let ucs2 = String(repeating: "Спасибо ", count: 20)  // 160 Cyrillic characters: 3 parts of ≤ 67
        _ = try await makeAdapter(http: http).send(try message(ucs2, id: "msg_2"))
        let requests = http.requests.withLock { $0 }
        #expect(requests.count == 2, "one sendsms per reply: Kannel concatenates")
        #expect(requests[0].headers.contains { $0.name == "X-Kannel-Coding" && $0.value == "0" })
        #expect(requests[1].headers.contains { $0.name == "X-Kannel-Coding" && $0.value == "2" })
        #expect(String(decoding: requests[1].body, as: UTF8.self) == ucs2)
        #expect(SMSText.segmentCount(gsm) == 2)
        #expect(SMSText.segmentCount(ucs2) == 3)
    }

    @Test func moreThanMaxPartsIsPermanentAndSaysWhy() async throws {
        let text = String(repeating: "Спасибо ", count: 30)  // 240 UCS-2 characters: 4 parts
        let adapter = makeAdapter(maxParts: 3)
        let outbound = try message(text)
        do {
            _ = try await adapter.send(outbound)
            Issue.record("sent more parts than max_parts; Kannel would have cut the text")
        } catch {
            #expect(error.code == .permanent)
            #expect(error.message.contains("4 SMS") && error.message.contains("67"))
        }
    }

    @Test func smsboxRefusalsAreClassified() async throws {
        func failure(_ status: Int, _ body: String) async -> SendError? {
            let http = fakeSendsms()
            http.answers.withLock { $0.append(.success(HTTPClientResponse(status: status, body: Array(body.utf8)))) }
            do {
                _ = try await makeAdapter(http: http).send(try message("hi"))
                return nil
            } catch let error as SendError {
                return error
            } catch {
                return nil
            }
        }
        #expect(await failure(403, "Authorization failed for sendsms")?.code == .unauthorized)
        #expect(await failure(503, "Bearerbox not available")?.code == .transient)
        #expect(await failure(400, "Invalid destination number")?.code == .permanent)
    }

    @Test func aNonPhoneAddressCannotBeAnswered() async throws {
        let outbound = try message("hi", to: "sms-sender:ACME")
        do {
            _ = try await makeAdapter().send(outbound)
            Issue.record("sent to an alphanumeric sender")
        } catch {
            #expect(error.code == .invalidRecipient)
        }
    }
}

struct KannelDeliveryReportTests {
    func dlr(_ adapter: KannelAdapter, status: Int, answer: String = "ACK%2F") async throws -> [StatusUpdate] {
        let request = WebhookRequest(
            method: "GET", path: "/dlr", rawQuery: "secret=\(secret)&id=msg_7&status=\(status)&answer=\(answer)")
        let route = try route("/dlr", adapter)
        try route.verify(request)
        return try await route.handle(request).statusUpdates
    }

    /// The reports the fake SMSC and an unroutable MT produce (scripts/peers/kannel-notes.md §3).
    @Test func reportsMapToDeliveryStates() async throws {
        let adapter = makeAdapter()
        #expect(try await dlr(adapter, status: 8).map(\.status) == [.sent])
        #expect(try await dlr(adapter, status: 1, answer: "").map(\.status) == [.delivered])
        #expect(try await dlr(adapter, status: 4).isEmpty)
        let rejected = try #require(try await dlr(adapter, status: 16, answer: "NACK%2Fno+SMSC").first)
        #expect(rejected.status.reason == "the SMSC rejected the SMS (NACK/no SMSC)")
        #expect(rejected.externalID == "msg_7")
    }

    @Test func nonsenseIsRefused() async throws {
        let adapter = makeAdapter()
        await #expect(throws: WebhookRequestError.self) { try await dlr(adapter, status: 99) }
        let route = try route("/dlr", adapter)
        await #expect(throws: WebhookRequestError.self) {
            try await route.handle(WebhookRequest(method: "GET", path: "/dlr", rawQuery: "secret=\(secret)&status=1"))
        }
    }
}
