import Foundation
import SwitchboardAdapterKit

/// The `sendMessage` call for a reply (https://core.telegram.org/bots/api#sendmessage) and the
/// reading of its answer. A reply goes to the conversation's chat (``OutboundMessage/threadKey``,
/// the chat id), so in a group it lands in the group, quoting the customer's message where the
/// hub says which one it answers. A `.private` reply in a group conversation goes to the
/// customer's own private chat instead (their user id is that chat's id), without a quote: the
/// quoted message is in the group, and Telegram quotes only messages of the same chat.
enum TelegramOutbound {
    /// `chat_id` is "Integer or String": our chat ids, or a public `@channelusername`.
    enum ChatID: Encodable, Equatable {
        case id(Int64)
        case username(String)

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .id(let id): try container.encode(id)
            case .username(let name): try container.encode(name)
            }
        }
    }

    /// https://core.telegram.org/bots/api#replyparameters
    struct ReplyParameters: Encodable {
        var messageID: Int64
        var allowSendingWithoutReply: Bool

        enum CodingKeys: String, CodingKey {
            case messageID = "message_id"
            case allowSendingWithoutReply = "allow_sending_without_reply"
        }
    }

    /// sendMessage's JSON body.
    struct SendMessage: Encodable {
        var chatID: ChatID
        var text: String
        var replyParameters: ReplyParameters?

        enum CodingKeys: String, CodingKey {
            case chatID = "chat_id"
            case text
            case replyParameters = "reply_parameters"
        }
    }

    static func body(for message: OutboundMessage) throws(SendError) -> SendMessage {
        guard message.attachments.isEmpty else {
            throw SendError(
                .permanent, "sending files to Telegram is not supported yet; send the text alone or share a link")
        }
        guard !message.text.isEmpty else {
            throw SendError(.permanent, "Telegram does not send empty messages; write some text")
        }
        let chat: ChatID
        if let id = Int64(message.threadKey) {
            chat = .id(id)
        } else if message.threadKey.hasPrefix("@"), message.threadKey.count > 1 {
            chat = .username(message.threadKey)
        } else {
            throw SendError(
                .invalidRecipient,
                "'\(message.threadKey)' is not a Telegram chat id; the conversation did not start on Telegram")
        }
        if message.visibility == .private, message.threadKey != message.to.value {
            return try privateBody(for: message)
        }
        return SendMessage(
            chatID: chat, text: message.text,
            replyParameters: replyTarget(message.inReplyTo, chat: message.threadKey).map {
                ReplyParameters(messageID: $0, allowSendingWithoutReply: true)
            })
    }

    /// A private reply to a customer met in a group: to their user id, which is the id of their
    /// private chat with the bot. Telegram refuses it (403) until they have started that chat.
    static func privateBody(for message: OutboundMessage) throws(SendError) -> SendMessage {
        guard let user = Int64(message.to.value) else {
            throw SendError(
                .invalidRecipient,
                "'\(message.to.value)' is not a Telegram user id, so a private reply cannot reach them; "
                    + "reply publicly in the conversation instead")
        }
        return SendMessage(chatID: .id(user), text: message.text, replyParameters: nil)
    }

    /// The message id in `<chat>:<message_id>` (or an edit's `<chat>:<message_id>:edit:<update_id>`) when
    /// `<chat>` is the chat we send to: Telegram quotes only messages of the same chat.
    static func replyTarget(_ externalID: String?, chat: String) -> Int64? {
        guard let parts = externalID?.split(separator: ":", omittingEmptySubsequences: false), parts.count >= 2,
            parts[0] == chat
        else { return nil }
        return Int64(parts[1])
    }

    /// The `result` of sendMessage (https://core.telegram.org/bots/api#message).
    struct SentMessage: Decodable {
        var messageID: Int64
        var chat: TelegramModels.Chat

        enum CodingKeys: String, CodingKey {
            case messageID = "message_id"
            case chat
        }
    }

    static func receipt(fromResult json: [UInt8]) throws(SendError) -> SendReceipt {
        guard let sent = try? JSONDecoder().decode(SentMessage.self, from: Data(json)) else {
            // Accepted, but without the id a retry would send it twice.
            throw SendError(
                .permanent,
                "Telegram accepted the message but its answer had no message_id; it was probably sent, so check "
                    + "the chat before sending it again")
        }
        return SendReceipt(externalID: "\(sent.chat.id):\(sent.messageID)")
    }
}
