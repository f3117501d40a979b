import ServiceLifecycle
import SwitchboardAdapterKit
import SwitchboardAdapterTesting
import Synchronization

/// One way of feeding the input to an adapter, chosen by the input's first byte: a webhook route
/// (the request's body or query), one poll (the API's answer) or one send (the API's answer).
/// Whatever the adapter throws is a fine outcome; only a trap, a crash, a hang or runaway memory
/// is a finding.
struct FuzzCase: Sendable {
    /// Shown by the replay tool.
    var name: String
    /// Runs the input, already without its case byte; returns a one-line summary for the replay tool.
    var run: @Sendable (inout FuzzInput) async -> String

    /// `handle` of the channel's route with this method and path, as the server calls it after
    /// `verify` passed, then the envelopes delivered and the status updates applied as the server
    /// would. API calls the route makes (X's conversation lookups) are answered with the body too.
    static func route(
        _ channel: ChannelID, _ method: String, _ path: String,
        request: @escaping @Sendable (String, [UInt8]) -> WebhookRequest
    ) -> FuzzCase {
        FuzzCase(name: "\(channel) \(method) \(path)") { input in
            let body = input.body
            let sink = RecordingInboundSink()
            let http = FuzzHTTPClient(response: HTTPClientResponse(status: 200, body: body))
            let adapter = made(channel, FuzzChannels.context(channel, http: http))
            guard let route = adapter.webhookRoutes.first(where: { $0.method == method && $0.path == path }) else {
                setupFailure("channel '\(channel)' has no route \(method) \(path)")
            }
            do {
                let result = try await route.handle(request(path, body))
                _ = try await sink.deliverAll(result.envelopes)
                try await sink.apply(result.statusUpdates)
                return "\(result.envelopes.count) envelope(s), \(result.statusUpdates.count) status update(s), "
                    + "\(result.skipped.count) skipped"
            } catch {
                return "refused: \(error)"
            }
        }
    }

    /// One `run()` of a polling channel, whose every API call is answered with the input (status
    /// chosen by its next byte), ended after one poll; `cursor` holds positions to resume from.
    /// `stopsOnRequest`: the poller calls its API on its own task (Telegram, X), so the first request
    /// ends `run()` after this poll; otherwise (Matrix) storing `stopKey` or a warning ends it.
    static func poll(
        _ channel: ChannelID, cursor positions: [String: String] = [:], stopsOnRequest: Bool, stopKey: String? = nil
    ) -> FuzzCase {
        FuzzCase(name: "\(channel) poll" + (positions.isEmpty ? "" : " (resumed)")) { input in
            let http = FuzzHTTPClient(response: input.answer(), stopsPollerOnFirstRequest: stopsOnRequest)
            let sink = RecordingInboundSink()
            let cursor = FuzzCursorStore(positions, stopKey: stopKey)
            let context = FuzzChannels.context(
                channel, http: http, cursor: cursor, sink: sink,
                logger: FuzzLogHandler.logger(stopsOnWarning: !stopsOnRequest))
            let adapter = made(channel, context)
            let outcome: String
            do {
                // Through `Service`: called on `any ChannelAdapter`, `run()` can resolve to the SDK's
                // default for push-only channels (wait for shutdown) instead of the adapter's own.
                let service: any Service = adapter
                try await service.run()
                outcome = "ended"
            } catch {
                outcome = "ended with: \(error)"
            }
            let requests = http.count.withLock { $0 }
            return "\(requests) request(s), \(sink.envelopes.withLock { $0.count }) envelope(s); \(outcome)"
        }
    }

    /// One `send` whose API answer is the input (status chosen by its next byte): the receipt and
    /// error parsing of each channel.
    static func send(_ channel: ChannelID, _ message: @escaping @Sendable () throws -> OutboundMessage) -> FuzzCase {
        FuzzCase(name: "\(channel) send") { input in
            let http = FuzzHTTPClient(response: input.answer())
            let adapter = made(channel, FuzzChannels.context(channel, http: http))
            let outbound: OutboundMessage
            do {
                outbound = try message()
            } catch {
                setupFailure("the reply for channel '\(channel)' cannot be made: \(error)")
            }
            do {
                let receipt = try await adapter.send(outbound)
                return "sent: \(receipt.externalID)"
            } catch {
                return "refused: \(error)"
            }
        }
    }

    /// The adapter of `channel`; the harness stops if it cannot be made.
    static func made(_ channel: ChannelID, _ context: AdapterContext) -> any ChannelAdapter {
        do {
            return try FuzzChannels.adapter(channel, context: context)
        } catch {
            setupFailure("\(error)")
        }
    }

    /// A harness that cannot set up its channel would fuzz nothing: stop at once and say why.
    static func setupFailure(_ message: String) -> Never {
        fatalError("SwitchboardFuzz setup: \(message)")
    }
}
