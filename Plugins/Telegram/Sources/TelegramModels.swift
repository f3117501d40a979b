/// The parts of the Bot API's objects the adapter reads, decoded with exactly Telegram's field
/// names (https://core.telegram.org/bots/api#available-types). Everything the mapping can live
/// without is optional, so a field Telegram drops or adds never makes a customer's message
/// unreadable; what the dedup key needs (`update_id`, `message_id`, `chat.id`, `date`) is required.
enum TelegramModels {
    /// https://core.telegram.org/bots/api#update: at most one of the optional fields is present.
    struct Update: Decodable, Sendable {
        var updateID: Int64
        var message: Message?
        var editedMessage: Message?
        var channelPost: Message?
        var editedChannelPost: Message?

        enum CodingKeys: String, CodingKey {
            case updateID = "update_id"
            case message
            case editedMessage = "edited_message"
            case channelPost = "channel_post"
            case editedChannelPost = "edited_channel_post"
        }
    }

    /// Only `update_id`, for an update whose body the full model cannot read: the poller still
    /// moves past it.
    struct UpdateID: Decodable, Sendable {
        var updateID: Int64
        enum CodingKeys: String, CodingKey { case updateID = "update_id" }
    }

    /// https://core.telegram.org/bots/api#message
    final class Message: Decodable, Sendable {
        let messageID: Int64
        let from: User?
        let date: Int64
        let chat: Chat
        let editDate: Int64?
        /// The replied-to message; Telegram never nests a further `reply_to_message` in it.
        let replyToMessage: Message?
        let text: String?
        let caption: String?
        let photo: [PhotoSize]?
        let document: File?
        let audio: File?
        let voice: File?
        let video: File?
        let sticker: Sticker?
        let animation: File?
        let location: Location?
        let contact: Contact?

        enum CodingKeys: String, CodingKey {
            case messageID = "message_id"
            case from, date, chat
            case editDate = "edit_date"
            case replyToMessage = "reply_to_message"
            case text, caption, photo, document, audio, voice, video, sticker, animation, location, contact
        }
    }

    /// https://core.telegram.org/bots/api#user
    struct User: Decodable, Sendable {
        var id: Int64
        var isBot: Bool
        var firstName: String?
        var lastName: String?
        var username: String?
        var languageCode: String?

        enum CodingKeys: String, CodingKey {
            case id
            case isBot = "is_bot"
            case firstName = "first_name"
            case lastName = "last_name"
            case username
            case languageCode = "language_code"
        }
    }

    /// https://core.telegram.org/bots/api#chat: `type` is private, group, supergroup or channel.
    struct Chat: Decodable, Sendable {
        var id: Int64
        var type: String
    }

    /// https://core.telegram.org/bots/api#photosize: one size of a photo.
    struct PhotoSize: Decodable, Sendable {
        var fileID: String
        var width: Int?
        var height: Int?
        var fileSize: Int?

        enum CodingKeys: String, CodingKey {
            case fileID = "file_id"
            case width, height
            case fileSize = "file_size"
        }
    }

    /// The fields Document, Audio, Voice, Video and Animation share
    /// (https://core.telegram.org/bots/api#document, #audio, #voice, #video, #animation).
    struct File: Decodable, Sendable {
        var fileID: String
        var fileName: String?
        var mimeType: String?
        var fileSize: Int?

        enum CodingKeys: String, CodingKey {
            case fileID = "file_id"
            case fileName = "file_name"
            case mimeType = "mime_type"
            case fileSize = "file_size"
        }
    }

    /// https://core.telegram.org/bots/api#sticker: WEBP, TGS (animated) or WEBM (video).
    struct Sticker: Decodable, Sendable {
        var fileID: String
        var isAnimated: Bool?
        var isVideo: Bool?
        var emoji: String?
        var fileSize: Int?

        enum CodingKeys: String, CodingKey {
            case fileID = "file_id"
            case isAnimated = "is_animated"
            case isVideo = "is_video"
            case emoji
            case fileSize = "file_size"
        }
    }

    /// https://core.telegram.org/bots/api#location
    struct Location: Decodable, Sendable {
        var latitude: Double
        var longitude: Double
    }

    /// https://core.telegram.org/bots/api#contact
    struct Contact: Decodable, Sendable {
        var phoneNumber: String
        var firstName: String
        var lastName: String?

        enum CodingKeys: String, CodingKey {
            case phoneNumber = "phone_number"
            case firstName = "first_name"
            case lastName = "last_name"
        }
    }
}
