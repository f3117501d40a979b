import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import SwitchboardAdapterKit
import SwitchboardCore

/// Mounts every adapter's webhook routes at `/webhooks/<channel-id><path>` and runs each request
/// through the same steps: read the body (up to the limit) → `verify` (401, nothing parsed) →
/// the route's declared content types (415) → `handle` (400 with the adapter's message) → ingest, durably → answer. A 2xx is only sent once
/// the envelopes are committed.
struct WebhookMount: Sendable {
    let dependencies: HubServer.Dependencies

    func mount(on router: Hummingbird.Router<BasicRequestContext>) {
        for (channel, adapter) in dependencies.adapters {
            for route in adapter.webhookRoutes {
                let path = "/webhooks/\(channel.rawValue)\(route.path.hasPrefix("/") ? "" : "/")\(route.path)"
                router.on(RouterPath(path), method: HTTPRequest.Method(route.method.uppercased()) ?? .post) {
                    request, _ in
                    await handle(request, route: route, channel: channel)
                }
            }
        }
    }

    func handle(_ request: Request, route: WebhookRoute, channel: ChannelID) async -> Response {
        let logger = dependencies.logger
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: HubServer.maxBodyBytes)
        } catch {
            return JSONResponse.error(.contentTooLarge, "the body is larger than \(HubServer.maxBodyBytes) bytes")
        }
        let webhookRequest = WebhookRequest(
            method: request.method.rawValue, path: request.uri.path,
            query: request.uri.queryParameters.map { (String($0.key), String($0.value)) },
            headers: request.headers.map { ($0.name.rawName, $0.value) }, body: Array(buffer: body),
            rawQuery: request.uri.query ?? "")
        do {
            try route.verify(webhookRequest)
        } catch {
            logger.notice("webhook refused", metadata: ["channel": "\(channel)", "reason": "\(error.message)"])
            return JSONResponse.error(HTTPResponse.Status(code: error.status), error.message)
        }
        if let refusal = route.contentTypeRefusal(webhookRequest) {
            return JSONResponse.error(HTTPResponse.Status(code: refusal.status), refusal.message)
        }
        let result: WebhookResult
        do {
            result = try await route.handle(webhookRequest)
        } catch let error as WebhookRequestError {
            return JSONResponse.error(HTTPResponse.Status(code: error.status), error.message)
        } catch let error as WebhookAuthError {
            return JSONResponse.error(HTTPResponse.Status(code: error.status), error.message)
        } catch {
            logger.error("webhook handler failed", metadata: ["channel": "\(channel)", "error": "\(error)"])
            return JSONResponse.error(.badRequest, "the request could not be processed: \(error)")
        }
        for reason in result.skipped {
            logger.warning("webhook item skipped", metadata: ["channel": "\(channel)", "reason": "\(reason)"])
        }
        do {
            let outcomes = try await dependencies.inbound.deliver(result.envelopes)
            try await dependencies.inbound.apply(result.statusUpdates)
            if let response = result.response { return Self.response(response) }
            let summary = WebhookSummary(
                outcomes: outcomes, statusUpdates: result.statusUpdates.count, skipped: result.skipped)
            let rejected = outcomes.contains { if case .rejected = $0 { true } else { false } }
            return try JSONResponse.make(summary, status: rejected ? .unprocessableContent : .ok)
        } catch {
            logger.error("could not store webhook", metadata: ["channel": "\(channel)", "error": "\(error)"])
            return JSONResponse.error(.serviceUnavailable, "the hub could not store the message; retry later")
        }
    }
}

extension WebhookMount {
    /// An adapter's own answer, streamed when it has a stream.
    static func response(_ answer: WebhookResponse) -> Response {
        var headers: HTTPFields = [.contentType: answer.contentType]
        for (name, value) in answer.headers {
            if let name = HTTPField.Name(name) { headers.append(HTTPField(name: name, value: value)) }
        }
        guard let stream = answer.stream else {
            return Response(
                status: HTTPResponse.Status(code: answer.status), headers: headers,
                body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
        }
        return Response(
            status: HTTPResponse.Status(code: answer.status), headers: headers,
            body: ResponseBody { writer in
                for await chunk in stream.cancelOnGracefulShutdown() {
                    try await writer.write(ByteBuffer(bytes: chunk))
                }
                try await writer.finish(nil)
            })
    }
}

/// The default answer to a webhook: what became of each message.
struct WebhookSummary: Encodable {
    struct Item: Encodable {
        var result: String
        var messageId: String?
        var conversationId: String?
        var customerId: String?
        var reason: String?
    }

    var results: [Item]
    var statusUpdates: Int
    /// Items the channel's adapter could not read, with why (the rest were stored).
    var skipped: [String]?

    init(outcomes: [DeliveryOutcome], statusUpdates: Int, skipped: [String] = []) {
        self.statusUpdates = statusUpdates
        self.skipped = skipped.isEmpty ? nil : skipped
        results = outcomes.map { outcome in
            switch outcome {
            case .stored(let message, let conversation, let customer):
                Item(result: "stored", messageId: message, conversationId: conversation, customerId: customer)
            case .duplicate(let message):
                Item(result: "duplicate", messageId: message)
            case .edited(let message):
                Item(result: "edited", messageId: message)
            case .rejected(let reason):
                Item(result: "rejected", reason: reason)
            }
        }
    }
}
