/// The WhatsApp Cloud API `messages` webhook as Meta documents it
/// (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages),
/// decoded leniently: every field a message type may leave out is optional, so a new type or a
/// new field never makes a whole batch unreadable.
struct WhatsAppWebhook: Decodable {
    var object: String?
    var entry: [Entry]?

    struct Entry: Decodable {
        var id: String?
        var changes: [Change]?
    }

    struct Change: Decodable {
        var field: String?
        var value: Value?
    }

    struct Value: Decodable {
        var metadata: Metadata?
        var contacts: [Contact]?
        var messages: [Message]?
        var statuses: [Status]?
    }

    struct Metadata: Decodable {
        var displayPhoneNumber: String?
        var phoneNumberID: String?

        enum CodingKeys: String, CodingKey {
            case displayPhoneNumber = "display_phone_number"
            case phoneNumberID = "phone_number_id"
        }
    }

    /// The sender: `wa_id` (the phone number, absent for a username user without a known number),
    /// `user_id` (the business-scoped user id, BSUID), the profile name and username.
    struct Contact: Decodable {
        struct Profile: Decodable {
            var name: String?
            var username: String?
        }

        var profile: Profile?
        var waID: String?
        var userID: String?

        enum CodingKeys: String, CodingKey {
            case profile
            case waID = "wa_id"
            case userID = "user_id"
        }
    }

    struct Message: Decodable {
        var id: String?
        /// The sender's phone number; omitted for a username user whose number Meta withholds.
        var from: String?
        /// The sender's BSUID.
        var fromUserID: String?
        var timestamp: String?
        var type: String?
        var text: Text?
        var image: Media?
        var audio: Media?
        var video: Media?
        var document: Media?
        var sticker: Media?
        var location: Location?
        var interactive: Interactive?
        var button: Button?
        var reaction: Reaction?
        var context: Context?
        var errors: [GraphErrorItem]?

        enum CodingKeys: String, CodingKey {
            case id, from, timestamp, type, text, image, audio, video, document, sticker, location, interactive
            case button, reaction, context, errors
            case fromUserID = "from_user_id"
        }
    }

    struct Text: Decodable { var body: String? }

    struct Media: Decodable {
        var id: String?
        var mimeType: String?
        var caption: String?
        var filename: String?

        enum CodingKeys: String, CodingKey {
            case id, caption, filename
            case mimeType = "mime_type"
        }
    }

    struct Location: Decodable {
        var latitude: Double?
        var longitude: Double?
        var name: String?
        var address: String?
    }

    struct Interactive: Decodable {
        struct Reply: Decodable {
            var id: String?
            var title: String?
        }

        var type: String?
        var buttonReply: Reply?
        var listReply: Reply?

        enum CodingKeys: String, CodingKey {
            case type
            case buttonReply = "button_reply"
            case listReply = "list_reply"
        }
    }

    /// A template's quick-reply button the customer tapped.
    struct Button: Decodable {
        var text: String?
        var payload: String?
    }

    struct Reaction: Decodable {
        var messageID: String?
        var emoji: String?

        enum CodingKeys: String, CodingKey {
            case emoji
            case messageID = "message_id"
        }
    }

    struct Context: Decodable {
        var id: String?
    }

    struct GraphErrorItem: Decodable {
        struct ErrorData: Decodable { var details: String? }
        var code: Int?
        var title: String?
        var message: String?
        var errorData: ErrorData?

        enum CodingKeys: String, CodingKey {
            case code, title, message
            case errorData = "error_data"
        }

        /// `error 131050 (Unable to deliver…): details`.
        var summary: String {
            var text = "error " + (code.map(String.init) ?? "?")
            if let title { text += " (\(title))" }
            if let details = errorData?.details ?? message, details != title { text += ": \(details)" }
            return text
        }
    }

    struct Status: Decodable {
        var id: String?
        var status: String?
        var timestamp: String?
        var errors: [GraphErrorItem]?
    }
}
