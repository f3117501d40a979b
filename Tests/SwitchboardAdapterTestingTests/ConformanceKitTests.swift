import Foundation
import Logging
import SwitchboardAdapterKit
import SwitchboardAdapterTesting
import Synchronization
import Testing

/// The conformance kit itself: an adapter that breaks each rule is caught, rule by rule, and one
/// that keeps them passes. (Without this, a kit that found nothing would look like a kit that works.)
struct ConformanceKitTests {
    /// A small channel whose faults are switched on one by one.
    struct FaultyAdapter: ChannelAdapter {
        struct Configuration: Decodable, Sendable {}
        struct Faults: OptionSet, Sendable {
            let rawValue: Int
            static let acceptsForgeries = Faults(rawValue: 1)
            static let unnormalisedAddress = Faults(rawValue: 2)
            static let unstableDedupKey = Faults(rawValue: 4)
            static let publicOnAPrivateChannel = Faults(rawValue: 8)
            static let everyFailureIsPermanent = Faults(rawValue: 16)
            static let leaksTheSecret = Faults(rawValue: 32)
            static let refusesItsOwnLimit = Faults(rawValue: 64)
            static let dropsAttachments = Faults(rawValue: 128)
        }

        static let kind: ChannelKind = "faulty"
        static let secret = "faulty-secret-0123456789"
        let context: AdapterContext
        let faults: Faults
        let capabilities = ChannelCapabilities(visibilities: [.private], supportsAttachments: true, maxTextLength: 10)

        init(configuration: Configuration, context: AdapterContext) throws {
            self.context = context
            faults = []
        }

        init(faults: Faults, http: RecordingHTTPClient) {
            context = AdapterContext(
                channel: "faulty", logger: Logger(label: "test"), inbound: DiscardingHub(), cursor: DiscardingHub(),
                http: http, publicBaseURL: "http://127.0.0.1")
            self.faults = faults
        }

        var webhookRoutes: [WebhookRoute] {
            let faults = faults
            let channel = context.channel
            return [
                WebhookRoute(
                    method: "POST", path: "/in",
                    verify: { request throws(WebhookAuthError) in
                        guard faults.contains(.acceptsForgeries) || request.header("X-Token") == Self.secret else {
                            let shown = faults.contains(.leaksTheSecret) ? " (expected \(Self.secret))" : ""
                            throw WebhookAuthError(status: 403, "wrong token\(shown)")
                        }
                    },
                    handle: { request in
                        let text = String(decoding: request.body, as: UTF8.self)
                        // An Address built by hand in a non-normalised spelling is what the rule catches;
                        // the normaliser would lower-case the domain.
                        let from = try Address(parsing: "email:ana@example.com")
                        var envelope = InboundEnvelope(
                            channel: channel,
                            externalID: faults.contains(.unstableDedupKey) ? UUID().uuidString : "m-1", from: from,
                            threadKey: "t", text: text, sentAt: Date(timeIntervalSince1970: 1_700_000_000))
                        if faults.contains(.publicOnAPrivateChannel) { envelope.visibility = .public }
                        if faults.contains(.unnormalisedAddress) {
                            envelope.hints.aliases = [try Address(kind: "custom", value: "x")]
                            envelope.channel = "another"
                        }
                        return WebhookResult(envelopes: [envelope])
                    })
            ]
        }

        func send(_ message: OutboundMessage) async throws(SendError) -> SendReceipt {
            if faults.contains(.refusesItsOwnLimit) && message.text.count >= 10 {
                throw SendError(.permanent, "too long")
            }
            let response: HTTPClientResponse
            do {
                let media = faults.contains(.dropsAttachments) ? [] : message.attachments.compactMap(\.url)
                response = try await context.http.execute(
                    HTTPClientRequest(
                        method: "POST", url: "http://api.test", body: Array(media.joined(separator: ",").utf8)))
            } catch {
                if faults.contains(.everyFailureIsPermanent) { throw SendError(.permanent, "failed") }
                throw error.asSendError
            }
            if response.status >= 400 {
                if faults.contains(.everyFailureIsPermanent) { throw SendError(.permanent, "failed") }
                throw SendError.forHTTPStatus(response.status, body: response.text)
            }
            return SendReceipt(externalID: "r-1")
        }
    }

    func violations(_ faults: FaultyAdapter.Faults) async throws -> [String] {
        let http = RecordingHTTPClient()
        let good = WebhookRequest(
            method: "POST", path: "/in", headers: [("X-Token", FaultyAdapter.secret)], body: Array("hi".utf8))
        let forged = WebhookRequest(
            method: "POST", path: "/in", headers: [("X-Token", "guess")], body: Array("hi".utf8))
        let reply = OutboundMessage(
            messageID: "msg_1", conversationID: "con_1", channel: "faulty",
            to: try Address(parsing: "email:ana@example.com"),
            threadKey: "t", text: "hello", idempotencyKey: "sb-msg_1")
        return await AdapterConformance.violations(
            of: FaultyAdapter(faults: faults, http: http), channel: "faulty", http: http,
            case: ConformanceCase(
                authentic: [good], forged: [forged], reply: reply,
                sendFailures: [
                    (HTTPClientResponse(status: 503), .transient), (HTTPClientResponse(status: 429), .rateLimited),
                ],
                secrets: [FaultyAdapter.secret]))
    }

    @Test func anAdapterThatKeepsTheRulesPasses() async throws {
        #expect(try await violations([]) == [])
    }

    @Test(arguments: [
        (FaultyAdapter.Faults.acceptsForgeries, "passed verify"),
        (.unnormalisedAddress, "names channel another"),
        (.unstableDedupKey, "changed the dedup keys"),
        (.publicOnAPrivateChannel, "capabilities do not declare"),
        (.everyFailureIsPermanent, "expected transient"),
        (.leaksTheSecret, "shows a secret"),
        (.refusesItsOwnLimit, "exactly the declared maxTextLength (10) was refused"),
        (.dropsAttachments, "attachment (switchboard-conformance.png) never reached its API"),
    ])
    func eachBrokenRuleIsReported(_ fault: FaultyAdapter.Faults, _ expected: String) async throws {
        let found = try await violations(fault)
        #expect(found.contains { $0.contains(expected) }, "\(found)")
    }

    /// A polled channel: what one fixed state of the channel gives, read twice.
    func pollingViolations(keys: @escaping @Sendable () -> String, from address: String) async throws -> [String] {
        let from = try Address(parsing: address)
        let http = RecordingHTTPClient()
        let failure = ScriptedFailure("a dropped SMTP-like session", expected: .transient) {
            http.answers.withLock { $0 = [.failure(TransportError(isRetryable: true, "dropped"))] }
        }
        return await AdapterConformance.violations(
            of: FaultyAdapter(faults: [.everyFailureIsPermanent], http: http), channel: "faulty", http: http,
            case: ConformanceCase(
                reply: OutboundMessage(
                    messageID: "msg_1", conversationID: "con_1", channel: "faulty", to: from, threadKey: "t",
                    text: "hello", idempotencyKey: "sb-msg_1"),
                transportFailures: [failure],
                polled: {
                    [
                        InboundEnvelope(
                            channel: "faulty", externalID: keys(), from: from, threadKey: "t", text: "hi",
                            sentAt: Date(timeIntervalSince1970: 1_700_000_000))
                    ]
                }))
    }

    @Test func pollingAndOtherTransportsAreCheckedToo() async throws {
        let stable = try await pollingViolations(keys: { "m-1" }, from: "email:ana@example.com")
        #expect(
            stable == ["a send answered with a dropped SMTP-like session became permanent, expected transient: failed"])
        let unstable = try await pollingViolations(keys: { UUID().uuidString }, from: "email:ana@example.com")
        #expect(
            unstable.contains { $0.contains("reading the same messages again changed the dedup keys") }, "\(unstable)")
    }
}
