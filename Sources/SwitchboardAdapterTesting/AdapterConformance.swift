import Foundation
import SwitchboardAdapterKit
import Synchronization

/// What an adapter shows the conformance check (``AdapterConformance``): requests its channel
/// really sends, the same requests as a forger would send them, and the channel API's failures
/// with the class each must become. Written once per adapter, in its tests, from its fixtures.
public struct ConformanceCase: Sendable {
    /// Requests as the channel sends them (signed by its rules), as the hub would hand them to the
    /// adapter's routes: each must pass `verify` and give at least one envelope or status update.
    public var authentic: [WebhookRequest]
    /// Authentic requests the adapter must accept without storing anything (echoes of our own
    /// sends, a read receipt that names no message): `verify` and `handle` succeed, no envelope.
    public var ignored: [WebhookRequest]
    /// Requests a forger could send (no proof, a wrong one, another secret's): each must be
    /// refused by `verify`, whatever its body.
    public var forged: [WebhookRequest]
    /// A reply this channel can send (its `to`, `threadKey` and `inReplyTo` of the channel's forms);
    /// nil for channels that cannot send.
    public var reply: OutboundMessage?
    /// Answers of the channel's API to `reply`, and the class of ``SendError`` each must become.
    public var sendFailures: [(answer: HTTPClientResponse, expected: SendError.Code)]
    /// Failures of a transport other than HTTP (SMTP), each arranging itself before `reply` is
    /// sent, and the class each must become. A channel that sends over HTTP lists
    /// ``sendFailures`` instead (the check then adds a refused connection by itself).
    public var transportFailures: [ScriptedFailure]
    /// For channels that poll: reads what the poller would hand the hub from one fixed state of
    /// the channel (a folder, a page of updates). The check calls it twice, as a restart before
    /// the position was saved would, and expects well-formed envelopes with the same dedup keys.
    public var polled: (@Sendable () async throws -> [InboundEnvelope])?
    /// Secrets of the adapter's configuration: none may appear in a refusal or an error message.
    public var secrets: [String]

    public init(
        authentic: [WebhookRequest] = [], ignored: [WebhookRequest] = [], forged: [WebhookRequest] = [],
        reply: OutboundMessage? = nil,
        sendFailures: [(answer: HTTPClientResponse, expected: SendError.Code)] = [],
        transportFailures: [ScriptedFailure] = [], polled: (@Sendable () async throws -> [InboundEnvelope])? = nil,
        secrets: [String] = []
    ) {
        self.authentic = authentic
        self.ignored = ignored
        self.forged = forged
        self.reply = reply
        self.sendFailures = sendFailures
        self.transportFailures = transportFailures
        self.polled = polled
        self.secrets = secrets
    }
}

/// One failure of a channel's transport for the conformance check: what it is (for the report),
/// how to make the test double fail that way, and the ``SendError`` class it must become.
public struct ScriptedFailure: Sendable {
    public var what: String
    public var expected: SendError.Code
    public var arrange: @Sendable () -> Void

    public init(_ what: String, expected: SendError.Code, arrange: @escaping @Sendable () -> Void) {
        self.what = what
        self.expected = expected
        self.arrange = arrange
    }
}

/// The adapter contract, checked: an adapter's tests call ``violations(of:channel:http:case:)``
/// and expect no violation. It checks that envelopes are well formed (the adapter's channel, a
/// dedup key, normalised addresses, a visibility the channel declares, a plausible time), that
/// dedup keys are the same when a request is redelivered, that forged requests are refused by
/// `verify` before anything is parsed, that send failures are classified as the channel's API
/// means them (and a network failure as transient), and that no secret reaches an error message.
public enum AdapterConformance {
    /// Every way `adapter` (serving `channel`, sending through `http`) breaks the contract on
    /// `conformanceCase`, in words; empty when it conforms.
    public static func violations<Adapter: ChannelAdapter>(
        of adapter: Adapter, channel: ChannelID, http: RecordingHTTPClient, case conformanceCase: ConformanceCase
    ) async -> [String] {
        var found = routeViolations(adapter.webhookRoutes)
        for request in conformanceCase.authentic {
            found += await authenticViolations(request, adapter: adapter, channel: channel)
        }
        for request in conformanceCase.ignored {
            found += await ignoredViolations(request, routes: adapter.webhookRoutes)
        }
        for request in conformanceCase.forged {
            found += forgedViolations(request, routes: adapter.webhookRoutes, secrets: conformanceCase.secrets)
        }
        if let reply = conformanceCase.reply {
            found += await sendViolations(reply, adapter: adapter, http: http, case: conformanceCase)
        }
        if let read = conformanceCase.polled {
            found += await polledViolations(read, channel: channel, capabilities: adapter.capabilities)
        }
        return found
    }

    static func polledViolations(
        _ read: @Sendable () async throws -> [InboundEnvelope], channel: ChannelID, capabilities: ChannelCapabilities
    ) async -> [String] {
        let first: [InboundEnvelope]
        let second: [InboundEnvelope]
        do {
            first = try await read()
            second = try await read()
        } catch {
            return ["polling failed: \(error)"]
        }
        if first.isEmpty { return ["polling gave no envelope"] }
        var found = first.flatMap { EnvelopeRules.violations($0, channel: channel, capabilities: capabilities) }
        if first.map(\.externalID) != second.map(\.externalID) {
            found.append(
                "reading the same messages again changed the dedup keys: \(first.map(\.externalID)) then "
                    + "\(second.map(\.externalID))")
        }
        return found
    }

    static func route(for request: WebhookRequest, in routes: [WebhookRoute]) -> WebhookRoute? {
        routes.first { $0.method == request.method && $0.path == request.path }
    }

    static func routeViolations(_ routes: [WebhookRoute]) -> [String] {
        var found: [String] = []
        var seen = Set<String>()
        for route in routes {
            if !route.path.hasPrefix("/") { found.append("route \(route.path) does not start with '/'") }
            if !seen.insert("\(route.method) \(route.path)").inserted {
                found.append("route \(route.method) \(route.path) is declared twice")
            }
        }
        return found
    }

    static func authenticViolations<Adapter: ChannelAdapter>(
        _ request: WebhookRequest, adapter: Adapter, channel: ChannelID
    ) async -> [String] {
        let name = "\(request.method) \(request.path)"
        guard let route = route(for: request, in: adapter.webhookRoutes) else {
            return ["no route for the authentic request \(name)"]
        }
        do {
            try route.verify(request)
        } catch {
            return ["the authentic request \(name) was refused by verify: \(error.message)"]
        }
        let first: WebhookResult
        let second: WebhookResult
        do {
            first = try await route.handle(request)
            second = try await route.handle(request)
        } catch {
            return ["the authentic request \(name) could not be handled: \(error)"]
        }
        var found: [String] = []
        if first.envelopes.isEmpty && first.statusUpdates.isEmpty {
            found.append("the authentic request \(name) gave no envelope and no status update")
        }
        for envelope in first.envelopes {
            found += EnvelopeRules.violations(envelope, channel: channel, capabilities: adapter.capabilities)
        }
        for update in first.statusUpdates where update.externalID.isEmpty || update.channel != channel {
            found.append("a status update of \(name) has no message id or another channel (\(update.channel))")
        }
        if first.envelopes.map(\.externalID) != second.envelopes.map(\.externalID) {
            found.append(
                "redelivering \(name) changed the dedup keys: \(first.envelopes.map(\.externalID)) then "
                    + "\(second.envelopes.map(\.externalID))")
        }
        return found
    }

    static func ignoredViolations(_ request: WebhookRequest, routes: [WebhookRoute]) async -> [String] {
        let name = "\(request.method) \(request.path)"
        guard let route = route(for: request, in: routes) else { return ["no route for the request \(name)"] }
        do {
            try route.verify(request)
            let result = try await route.handle(request)
            if !result.envelopes.isEmpty {
                return ["a request that should store nothing (\(name)) gave \(result.envelopes.map(\.externalID))"]
            }
        } catch {
            return ["a request that should be accepted and ignored (\(name)) failed: \(error)"]
        }
        return []
    }

    static func forgedViolations(_ request: WebhookRequest, routes: [WebhookRoute], secrets: [String]) -> [String] {
        let name = "\(request.method) \(request.path)"
        guard let route = route(for: request, in: routes) else { return ["no route for the forged request \(name)"] }
        var found: [String] = []
        // The same forgery with a body no parser accepts: refused all the same, so verify looks at
        // the proof before (and without) the content.
        var garbage = request
        garbage.body = Array("\u{1}not a payload".utf8)
        for (what, attempt) in [("", request), (" with an unreadable body", garbage)] {
            do {
                try route.verify(attempt)
                found.append("the forged request \(name)\(what) passed verify")
            } catch {
                if ![401, 403].contains(error.status) {
                    found.append("the forged request \(name)\(what) was refused with \(error.status), not 401 or 403")
                }
                for secret in secrets where !secret.isEmpty && error.message.contains(secret) {
                    found.append("the refusal of \(name) shows a secret: \(error.message)")
                }
            }
        }
        return found
    }

    static func sendViolations<Adapter: ChannelAdapter>(
        _ reply: OutboundMessage, adapter: Adapter, http: RecordingHTTPClient, case conformanceCase: ConformanceCase
    ) async -> [String] {
        var found: [String] = []
        let network = TransportError(isRetryable: true, "connection refused")
        var scripted = conformanceCase.sendFailures.map { failure in
            ScriptedFailure("HTTP \(failure.answer.status)", expected: failure.expected) {
                http.answers.withLock { $0 = [.success(failure.answer)] }
            }
        }
        if !conformanceCase.sendFailures.isEmpty {
            scripted.append(
                ScriptedFailure("a refused connection", expected: .transient) {
                    http.answers.withLock { $0 = [.failure(network)] }
                })
        }
        for failure in scripted + conformanceCase.transportFailures {
            let (expected, what) = (failure.expected, failure.what)
            failure.arrange()
            do {
                _ = try await adapter.send(reply)
                found.append("a send answered with \(what) succeeded; expected \(expected)")
            } catch {
                if error.code != expected {
                    found.append(
                        "a send answered with \(what) became \(error.code), expected \(expected): \(error.message)")
                }
                if error.message.trimmingCharacters(in: .whitespaces).isEmpty {
                    found.append("a send answered with \(what) failed without a message")
                }
                for secret in conformanceCase.secrets where !secret.isEmpty && error.message.contains(secret) {
                    found.append("the error for \(what) shows a secret: \(error.message)")
                }
            }
        }
        http.answers.withLock { $0 = [] }
        if !conformanceCase.sendFailures.isEmpty {
            found += await declaredLengthViolations(reply, adapter: adapter, http: http)
            found += await attachmentViolations(reply, adapter: adapter, http: http)
        }
        return found
    }

    /// A reply exactly as long as the channel's declared `maxTextLength` must reach the channel's
    /// API: the dispatcher lets it through, so the adapter must not refuse it by itself. (What
    /// the API answers is not judged here; `http` answers its default.)
    static func declaredLengthViolations<Adapter: ChannelAdapter>(
        _ reply: OutboundMessage, adapter: Adapter, http: RecordingHTTPClient
    ) async -> [String] {
        guard let limit = adapter.capabilities.maxTextLength, limit > 0 else { return [] }
        var longest = reply
        longest.text = String(repeating: "a", count: limit)
        let before = http.requests.withLock { $0.count }
        do {
            _ = try await adapter.send(longest)
        } catch {
            let made = http.requests.withLock { $0.count } > before
            if !made && !error.code.isRetryable {
                return [
                    "a reply of exactly the declared maxTextLength (\(limit)) was refused before reaching the channel: "
                        + error.message
                ]
            }
        }
        return []
    }

    /// A channel that declares attachments must pass a reply's attachment on to its API: the
    /// request carries its URL (or at least its file name, for APIs that encode it).
    static func attachmentViolations<Adapter: ChannelAdapter>(
        _ reply: OutboundMessage, adapter: Adapter, http: RecordingHTTPClient
    ) async -> [String] {
        guard adapter.capabilities.supportsAttachments else { return [] }
        let name = "switchboard-conformance.png"
        var withAttachment = reply
        withAttachment.attachments = [
            Attachment(filename: name, contentType: "image/png", size: 68, url: "https://media.example.com/" + name)
        ]
        let before = http.requests.withLock { $0.count }
        _ = try? await adapter.send(withAttachment)
        let sent = http.requests.withLock { Array($0.dropFirst(before)) }
        if sent.contains(where: { String(decoding: $0.body, as: UTF8.self).contains(name) || $0.url.contains(name) }) {
            return []
        }
        return ["the channel declares attachments, but a reply's attachment (\(name)) never reached its API"]
    }
}

/// What a well-formed envelope is, rule by rule.
enum EnvelopeRules {
    static func violations(_ envelope: InboundEnvelope, channel: ChannelID, capabilities: ChannelCapabilities)
        -> [String]
    {
        let id = envelope.externalID
        var found: [String] = []
        if envelope.channel != channel {
            found.append("envelope \(id) names channel \(envelope.channel), not \(channel)")
        }
        if id.isEmpty || id.count > 512 || id.contains(where: \.isNewline) {
            found.append("envelope '\(id)' has no usable dedup key (empty, over 512 characters, or with a newline)")
        }
        for address in [envelope.from] + envelope.hints.aliases + envelope.hints.verifiedAddresses {
            if (try? Address(parsing: address.description)) != address {
                found.append("envelope \(id): \(address) is not in its normalised form")
            }
        }
        if envelope.threadKey.isEmpty { found.append("envelope \(id) has no thread key") }
        if !capabilities.visibilities.contains(envelope.visibility) {
            found.append("envelope \(id) is \(envelope.visibility), which the channel's capabilities do not declare")
        }
        let seconds = envelope.sentAt.timeIntervalSince1970
        if !MessageTime.isPlausible(envelope.sentAt) {
            found.append("envelope \(id) was sent at an impossible time (\(seconds))")
        }
        if envelope.text.isEmpty && envelope.html == nil && envelope.attachments.isEmpty {
            found.append("envelope \(id) carries no text, html or attachment")
        }
        return found
    }
}
