import Foundation
import ServiceLifecycle
import SwitchboardAdapterKit

/// Matrix (`type: matrix`), through the client-server API v3 as an ordinary user account of the
/// hub's (https://spec.matrix.org/latest/client-server-api/).
///
/// Each room the hub's account has joined is a conversation (thread key: the room id, used as an
/// opaque string: room version 12 ids have no `:server` part). Inbound, ``MatrixSyncLoop``
/// long-polls `/sync` and imports `m.room.message` events written by anyone but the hub itself;
/// invitations are accepted only from the users and servers in `accept_invites`. A room with two
/// joined members (the customer and the hub) is `.private`; a larger room is `.public`, since its
/// other members see the conversation. Outbound, a reply is one `PUT …/send/m.room.message/{txnId}`
/// whose transaction id is the reply's idempotency key, so a retried send posts the event once.
/// Setup: `docs/matrix.md`.
public struct MatrixAdapter: ChannelAdapter {
    public typealias Configuration = MatrixConfiguration
    public static let kind: ChannelKind = "matrix"

    let configuration: MatrixConfiguration
    let context: AdapterContext
    let api: MatrixAPI
    let syncLoop: MatrixSyncLoop

    public init(configuration: MatrixConfiguration, context: AdapterContext) {
        self.configuration = configuration
        self.context = context
        api = MatrixAPI(configuration: configuration, http: context.http)
        syncLoop = MatrixSyncLoop(
            configuration: configuration, api: api,
            mapper: MatrixEventMapper(channel: context.channel, userID: configuration.userID),
            cursor: context.cursor, sink: context.inbound, logger: context.logger)
    }

    public var capabilities: ChannelCapabilities {
        ChannelCapabilities(
            canReceive: true, canSend: true, visibilities: [.private, .public], supportsAttachments: false,
            maxTextLength: nil, supportsThreading: true, deliveryReceipts: false)
    }

    /// Syncs until shutdown (see ``MatrixSyncLoop``).
    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await syncLoop.run()
        }
    }

    /// One sync, for tests and tools.
    func syncOnce() async throws -> MatrixSyncLoop.Report { try await syncLoop.syncOnce() }

    public func send(_ message: OutboundMessage) async throws(SendError) -> SendReceipt {
        guard !message.threadKey.isEmpty, message.threadKey.hasPrefix("!") else {
            throw SendError(
                .invalidRecipient,
                "'\(message.threadKey)' is not a Matrix room id (they start with '!'); this conversation did not "
                    + "come from a Matrix room")
        }
        var content: [String: MatrixJSON] = ["msgtype": .string("m.text"), "body": .string(message.text)]
        if let html = message.html, !html.isEmpty {
            content["format"] = .string("org.matrix.custom.html")
            content["formatted_body"] = .string(html)
        }
        if let answered = message.inReplyTo, !answered.isEmpty {
            content["m.relates_to"] = .object(["m.in_reply_to": .object(["event_id": .string(answered)])])
        }
        let request = api.sendRequest(
            roomID: message.threadKey, transactionID: message.idempotencyKey, content: .object(content))
        let response: HTTPClientResponse
        do {
            response = try await context.http.execute(request)
        } catch {
            throw SendError(
                error.isRetryable ? .transient : .permanent,
                "could not reach the homeserver \(configuration.homeserverURL): \(error.message)", cause: error)
        }
        return try MatrixSendErrors.receipt(from: response, roomID: message.threadKey, userID: configuration.userID)
    }
}
