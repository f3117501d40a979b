import SwitchboardAdapterKit

/// Bot API failures, classified for the dispatcher (retry or not) and the poller (back off or
/// stop), in words an agent or an admin can act on. Error answers are described at
/// https://core.telegram.org/bots/api#making-requests; the description strings matched here are
/// the ones the Bot API returns (`Forbidden: bot was blocked by the user`, `Bad Request: chat not
/// found`, …).
enum TelegramErrors {
    static let docs = "https://core.telegram.org/bots/api#making-requests"
    static let limitsFAQ = "https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this"

    /// Classifies a failed `sendMessage`.
    static func sendError(_ error: TelegramAPIError) -> SendError {
        guard let code = error.code else {
            if error.isRetryableTransport {
                return SendError(.transient, "could not reach the Telegram Bot API: \(error.message)")
            }
            return SendError(
                .permanent, "could not reach the Telegram Bot API (check api_base_url and TLS): \(error.message)")
        }
        let said = "Telegram answered \(code) '\(error.message)'"
        let lowered = error.message.lowercased()
        switch code {
        case 429:
            let wait = error.retryAfter.map { " for \($0.components.seconds)s" } ?? ""
            return SendError(
                .rateLimited, "\(said): the bot is sending too fast; waiting\(wait) — \(limitsFAQ)",
                retryAfter: error.retryAfter)
        case 401, 404:
            return SendError(
                .unauthorized,
                "\(said): Telegram does not accept the bot token; put the current token from @BotFather in "
                    + "bot_token — \(docs)")
        case 403:
            return SendError(.invalidRecipient, "\(said): \(forbiddenReason(lowered)) — \(docs)")
        case 400 where lowered.contains("chat not found"):
            return SendError(
                .invalidRecipient,
                "\(said): the chat does not exist for this bot (deleted, or a customer who never wrote to it) — "
                    + docs)
        case 400 where error.migrateToChatID != nil:
            let chat = error.migrateToChatID.map(String.init) ?? "?"
            return SendError(
                .permanent,
                "\(said): the group became a supergroup with chat id \(chat); the bot reads the new chat, so reply "
                    + "to the customer's next message there — \(docs)")
        case 500...599:
            return SendError(.transient, "\(said): Telegram had a server error; trying again later", retryAfter: nil)
        default:
            return SendError(.permanent, "\(said) — \(docs)")
        }
    }

    /// What a 403 means, from its description.
    static func forbiddenReason(_ description: String) -> String {
        if description.contains("blocked by the user") {
            return "the customer blocked the bot; nothing reaches them until they unblock it"
        }
        if description.contains("kicked") || description.contains("not a member") {
            return "the bot is no longer in this group; add it back to reply here"
        }
        if description.contains("deactivated") { return "the customer's Telegram account was deleted" }
        if description.contains("initiate conversation") {
            return "the customer must first start a private chat with the bot (open it in Telegram and press "
                + "Start) before it can write to them privately; until then, reply in the group"
        }
        return "Telegram does not let the bot write to this chat"
    }

    /// Classifies a failed `getUpdates`: retryable failures back off inside the poller, the rest
    /// stop it (the supervisor shows the message and restarts it with backoff).
    static func pollError(_ error: TelegramAPIError) -> TelegramPollError {
        guard let code = error.code else {
            return TelegramPollError(
                "could not reach the Telegram Bot API: \(error.message)", isRetryable: error.isRetryableTransport)
        }
        let said = "getUpdates answered \(code) '\(error.message)'"
        switch code {
        case 409 where error.message.lowercased().contains("webhook"):
            return TelegramPollError(
                "\(said): a webhook is set for this bot, and Telegram then refuses getUpdates. Either call "
                    + "deleteWebhook (https://core.telegram.org/bots/api#deletewebhook) to keep mode: polling, or "
                    + "set mode: webhook with a secret_token")
        case 409:
            return TelegramPollError(
                "\(said): another program is polling this bot with getUpdates; only one may, so stop the other one "
                    + "(or give this channel its own bot)")
        case 401, 404:
            return TelegramPollError(
                "\(said): Telegram does not accept the bot token; put the current token from @BotFather in bot_token")
        case 429:
            return TelegramPollError("\(said) — \(limitsFAQ)", isRetryable: true, retryAfter: error.retryAfter)
        case 500...599:
            return TelegramPollError("\(said): Telegram had a server error", isRetryable: true)
        default:
            return TelegramPollError("\(said) — \(docs)")
        }
    }
}

/// Why a poll failed: whether waiting and trying again can help, and how long Telegram asked us
/// to wait. Never contains the bot token.
struct TelegramPollError: Error, Sendable, CustomStringConvertible {
    var description: String
    var isRetryable: Bool
    var retryAfter: Duration?

    init(_ description: String, isRetryable: Bool = false, retryAfter: Duration? = nil) {
        self.description = description
        self.isRetryable = isRetryable
        self.retryAfter = retryAfter
    }
}
