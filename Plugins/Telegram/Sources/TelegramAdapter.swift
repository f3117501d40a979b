import Logging
import ServiceLifecycle
import SwitchboardAdapterKit

/// Telegram bots (`type: telegram`), through the Bot API (https://core.telegram.org/bots/api).
///
/// Inbound, in one of two modes (``TelegramConfiguration/Mode``):
/// - `webhook`: Telegram posts each update to `POST /webhooks/<channel>/update` with the
///   `X-Telegram-Bot-Api-Secret-Token` header; a request without our secret_token is refused with
///   403 before it is read (``TelegramWebhook``). With `set_webhook: true`, `run()` registers the
///   URL once at start.
/// - `polling`: `run()` long-polls getUpdates and stores its offset only after the hub has the
///   batch (``TelegramPoller``).
///
/// Either way ``TelegramInbound`` reads messages and edits from private chats (one conversation
/// per customer), groups and supergroups (one conversation per group, public); channel posts and
/// messages from bots are skipped. Outbound, sendMessage to the conversation's chat, quoting the
/// message answered (``TelegramOutbound``), with failures classified (``TelegramErrors``).
/// The bot token is in every API URL, so no URL is ever logged or put in an error.
public struct TelegramAdapter: ChannelAdapter {
    public typealias Configuration = TelegramConfiguration
    public static let kind: ChannelKind = "telegram"

    let configuration: TelegramConfiguration
    let context: AdapterContext
    let api: TelegramAPI
    let poller: TelegramPoller

    public init(configuration: TelegramConfiguration, context: AdapterContext) {
        self.init(configuration: configuration, context: context, timing: TelegramPoller.Timing())
    }

    /// With the poller's pauses given, for tests.
    init(configuration: TelegramConfiguration, context: AdapterContext, timing: TelegramPoller.Timing) {
        self.configuration = configuration
        self.context = context
        api = TelegramAPI(baseURL: configuration.apiBaseURL, token: configuration.botToken, http: context.http)
        poller = TelegramPoller(
            api: api, pollTimeout: configuration.pollTimeout, channel: context.channel, cursor: context.cursor,
            sink: context.inbound, logger: context.logger, timing: timing)
    }

    /// The send rate is the Bot FAQ's "not more than 30 messages per second" for one bot
    /// (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this).
    public var capabilities: ChannelCapabilities {
        ChannelCapabilities(
            canReceive: true, canSend: true, visibilities: [.private, .public], supportsAttachments: false,
            maxTextLength: 4096, supportsThreading: false, deliveryReceipts: false, sendRate: SendRate(messages: 30))
    }

    /// `POST /update` in webhook mode; none in polling mode (Telegram would never call it).
    public var webhookRoutes: [WebhookRoute] {
        guard configuration.mode == .webhook, let secret = configuration.secretToken else { return [] }
        return [TelegramWebhook.route(secretToken: secret, channel: context.channel, logger: context.logger)]
    }

    /// The URL Telegram is told to call in webhook mode.
    var webhookURL: String { context.webhookBaseURL + TelegramWebhook.path }

    /// Polling mode: polls until shutdown. Webhook mode: registers the webhook if asked, then
    /// waits for shutdown (updates arrive through the route).
    public func run() async throws {
        switch configuration.mode {
        case .polling:
            try await cancelWhenGracefulShutdown { try await poller.run() }
        case .webhook:
            if configuration.setWebhook, let secret = configuration.secretToken {
                await TelegramWebhook.register(url: webhookURL, secretToken: secret, api: api, logger: context.logger)
            }
            try await gracefulShutdown()
        }
    }

    /// One poll, for tests and tools.
    func pollOnce() async throws -> TelegramPoller.Report { try await poller.pollOnce() }

    public func send(_ message: OutboundMessage) async throws(SendError) -> SendReceipt {
        // sendMessage takes no idempotency key: a send retried after a timeout whose request did
        // reach Telegram posts twice. Nothing here can prevent that; the receipt id is per message.
        let body = try TelegramOutbound.body(for: message)
        let result: [UInt8]
        do {
            result = try await api.call("sendMessage", body: body, timeout: .seconds(20))
        } catch {
            throw TelegramErrors.sendError(error)
        }
        return try TelegramOutbound.receipt(fromResult: result)
    }
}
