import Foundation
import Logging
import SwitchboardAdapterKit
import SwitchboardAdapterTesting
import Testing

@testable import BridgeAdapter

let secret = "unit-test-secret-0123456789"
/// 2025-11-24T16:00:00Z, the clock of every test here.
let testNow = Date(timeIntervalSince1970: 1_764_000_000)

func bridge(
    outbound: String? = "http://127.0.0.1:8090/outbound", http: RecordingHTTPClient = RecordingHTTPClient(),
    capabilities: BridgeConfiguration.Capabilities = .init(visibilities: [.private, .public], maxTextLength: 400)
) -> BridgeAdapter {
    BridgeAdapter(
        configuration: BridgeConfiguration(secret: secret, outboundURL: outbound, capabilities: capabilities),
        context: AdapterContext(
            channel: "irc", logger: Logger(label: "test"), inbound: DiscardingHub(), cursor: DiscardingHub(),
            http: http, publicBaseURL: "http://127.0.0.1:8080"),
        now: { testNow })
}

/// A request as a bridge sends it, signed at `timestamp` (default: the test clock) under `key`.
func signed(
    _ body: String, path: String = "/envelopes", timestamp: Int = 1_764_000_000, key: String = secret,
    signature: String? = nil
) -> WebhookRequest {
    let bytes = Array(body.utf8)
    return WebhookRequest(
        method: "POST", path: path,
        headers: [
            ("Content-Type", "application/json"), ("X-Switchboard-Timestamp", String(timestamp)),
            (
                "X-Switchboard-Signature",
                signature ?? BridgeSignature.signature(secret: key, timestamp: timestamp, body: bytes)
            ),
        ],
        body: bytes)
}

func route(_ path: String, _ adapter: BridgeAdapter = bridge()) throws -> WebhookRoute {
    try #require(adapter.webhookRoutes.first { $0.path == path })
}

/// The signing rule, both ways: an independent vector, the window, and every way to fail it.
struct BridgeSignatureTests {
    @Test func theSignatureMatchesAnIndependentComputation() {
        // Python: hmac.new(secret, b"1764000000." + b'{"envelopes":[]}', hashlib.sha256).hexdigest()
        #expect(
            BridgeSignature.signature(secret: secret, timestamp: 1_764_000_000, body: Array(#"{"envelopes":[]}"#.utf8))
                == "sha256=b5eaaab2790ccde7c4e29e12d19efcc7a2709fa1b7891888902e82f1e51a211f")
    }

    @Test func aSignedRequestWithinTheWindowIsAccepted() throws {
        let body = #"{"envelopes":[{"id":"1","from":"irc:ana","text":"hi"}]}"#
        try route("/envelopes").verify(signed(body))
        try route("/envelopes").verify(signed(body, timestamp: 1_764_000_000 - 299))
        try route("/envelopes").verify(signed(body, timestamp: 1_764_000_000 + 299))
    }

    @Test(arguments: [
        ("no timestamp", "missing X-Switchboard-Timestamp"),
        ("bad timestamp", "whole seconds"),
        ("no signature", "missing X-Switchboard-Signature"),
        ("other secret", "does not match"),
        ("timestamp changed", "does not match"),
        ("replayed", "more than 300 seconds"),
        ("from the future", "more than 300 seconds"),
    ])
    func forgedOrReplayedRequestsAreRefusedWithAReason(what: String, reason: String) throws {
        let body = #"{"envelopes":[{"id":"1","from":"irc:ana","text":"hi"}]}"#
        var request = signed(body)
        switch what {
        case "no timestamp": request.headers.removeAll { $0.name == "X-Switchboard-Timestamp" }
        case "bad timestamp": request.headers[1].value = "yesterday"
        case "no signature": request.headers.removeAll { $0.name == "X-Switchboard-Signature" }
        case "other secret": request = signed(body, key: "another-secret-0123456")
        case "timestamp changed": request.headers[1].value = "1764000001"
        case "replayed": request = signed(body, timestamp: 1_764_000_000 - 301)
        default: request = signed(body, timestamp: 1_764_000_000 + 3600)
        }
        let route = try route("/envelopes")
        do {
            try route.verify(request)
            Issue.record("\(what) was accepted")
        } catch {
            #expect(error.status == 401)
            #expect(error.message.contains(reason), "\(error.message)")
            #expect(!error.message.contains(secret))
        }
    }
}

/// Envelope and status bodies: the fields, the bridge's extras, and refusals naming the field.
struct BridgeInboundTests {
    @Test func envelopesCarryTheWebhookFieldsAndTheBridgeExtras() async throws {
        let body = """
            {"envelopes": [
              {"id": "irc-1", "from": "irc:ana", "name": "Ana", "text": "Hello", "sent_at": "2026-11-23T10:00:00Z"},
              {"id": "irc-2", "from": "irc:ana", "thread": "#support", "visibility": "public", "text": "fixed: Hello!",
               "replaces": "irc-1", "tags": ["irc", "vip"], "aliases": ["irc:ana_"],
               "verified": ["email:Ana@Example.com"]}
            ]}
            """
        let result = try await route("/envelopes").handle(signed(body))
        let envelopes = result.envelopes
        #expect(envelopes.map(\.externalID) == ["irc-1", "irc-2"])
        #expect(envelopes[0].from.description == "irc:ana")
        #expect(envelopes[0].threadKey == "irc:ana")
        #expect(envelopes[0].visibility == .private)
        #expect(envelopes[0].hints.displayName == "Ana")
        #expect(envelopes[0].sentAt == Date(timeIntervalSince1970: 1_795_428_000))
        #expect(envelopes[1].visibility == .public)
        #expect(envelopes[1].threadKey == "#support")
        #expect(envelopes[1].replaces == "irc-1")
        #expect(envelopes[1].tags == ["irc", "vip"])
        #expect(envelopes[1].hints.aliases.map(\.description) == ["irc:ana_"])
        #expect(envelopes[1].hints.verifiedAddresses.map(\.description) == ["email:Ana@example.com"])
        // Each message keeps its own JSON as its raw payload, not the whole batch.
        let raws = envelopes.map { String(decoding: $0.raw?.bytes ?? [], as: UTF8.self) }
        #expect(raws[0].contains(#""id":"irc-1""#) && !raws[0].contains("irc-2"), "\(raws[0])")
        #expect(raws[1].contains(#""id":"irc-2""#) && !raws[1].contains("Hello\""), "\(raws[1])")
    }

    @Test(arguments: [
        (#"{"id":"1","from":"irc:ana","text":"hi"}"#, "'envelopes' is required"),
        (#"{"envelopes":[]}"#, "non-empty list"),
        (#"{"envelopes":[{"id":"1","text":"hi"}]}"#, "'envelopes[0].from' is required"),
        (#"{"envelopes":[{"id":"1","from":"irc:a","text":"a"},{"id":"2","from":"irc:b"}]}"#, "'envelopes[1].text'"),
        (#"{"envelopes":[{"id":"1","from":"irc:a","text":"a","tags":[""]}]}"#, "'envelopes[0].tags'"),
        (#"{"envelopes":[{"id":"1","from":"irc:a","text":"a","aliases":"irc:b"}]}"#, "'envelopes[0].aliases'"),
        (#"{"envelopes":[{"id":"1","from":"irc:a","text":"a","replaces":""}]}"#, "'envelopes[0].replaces'"),
        (#"{"updates":[{"id":"x","status":"lost"}]}"#, "'envelopes' is required"),
        ("[1, 2", "not valid JSON"),
    ])
    func badBodiesAreRefusedNamingTheField(body: String, reason: String) async throws {
        do {
            _ = try await route("/envelopes").handle(signed(body))
            Issue.record("accepted: \(body)")
        } catch let error as WebhookRequestError {
            #expect(error.message.contains(reason), "\(error.message)")
        }
    }

    @Test func aVisibilityTheChannelDoesNotDeclareIsRefused() async throws {
        let onlyPrivate = bridge(capabilities: .init(visibilities: [.private]))
        let body = #"{"envelopes":[{"id":"1","from":"irc:ana","text":"hi","visibility":"public"}]}"#
        await #expect(throws: WebhookRequestError.self) {
            _ = try await route("/envelopes", onlyPrivate).handle(signed(body))
        }
    }

    @Test func statusReportsComeInBatches() async throws {
        let body = #"{"updates":[{"id":"out-1","status":"sent"},{"id":"out-1","status":"failed","reason":"gone"}]}"#
        let updates = try await route("/status").handle(signed(body, path: "/status")).statusUpdates
        #expect(updates.map(\.externalID) == ["out-1", "out-1"])
        #expect(updates.map(\.status) == [.sent, .failed(reason: "gone")])
        await #expect(throws: WebhookRequestError.self) {
            _ = try await route("/status").handle(signed(#"{"updates":[{"id":"x","status":"lost"}]}"#, path: "/status"))
        }
    }
}
