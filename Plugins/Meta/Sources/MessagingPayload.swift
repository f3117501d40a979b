/// The Messenger Platform / Instagram messaging webhook (`entry[].messaging[]`), decoded leniently
/// (https://developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/webhook-events,
/// https://developers.facebook.com/docs/instagram-platform/webhooks/examples).
struct MessagingWebhook: Decodable {
    var object: String?
    var entry: [Entry]?

    struct Entry: Decodable {
        /// The page id (Messenger) or Instagram professional account id.
        var id: String?
        var time: Double?
        var messaging: [Event]?
        var changes: [Change]?
    }

    struct Party: Decodable { var id: String? }

    struct Event: Decodable {
        var sender: Party?
        var recipient: Party?
        /// Milliseconds since 1970.
        var timestamp: Double?
        var message: Message?
        var delivery: Delivery?
        var read: Read?
        var postback: Postback?
    }

    struct Message: Decodable {
        var mid: String?
        var text: String?
        var attachments: [Attachment]?
        var quickReply: QuickReply?
        var replyTo: ReplyTo?
        var isEcho: Bool?
        var isDeleted: Bool?
        var isUnsupported: Bool?
        var metadata: String?

        enum CodingKeys: String, CodingKey {
            case mid, text, attachments, metadata
            case quickReply = "quick_reply"
            case replyTo = "reply_to"
            case isEcho = "is_echo"
            case isDeleted = "is_deleted"
            case isUnsupported = "is_unsupported"
        }
    }

    struct Attachment: Decodable {
        struct Payload: Decodable {
            var url: String?
            var title: String?
        }

        var type: String?
        var payload: Payload?
    }

    struct QuickReply: Decodable { var payload: String? }

    struct ReplyTo: Decodable { var mid: String? }

    struct Delivery: Decodable {
        var mids: [String]?
        var watermark: Double?
    }

    /// Messenger sends only a watermark; Instagram (`messaging_seen`) names the message.
    struct Read: Decodable {
        var mid: String?
        var watermark: Double?
    }

    struct Postback: Decodable {
        var mid: String?
        var title: String?
        var payload: String?
    }

    /// Instagram `changes` (comments and others); read by ``InstagramComments``.
    struct Change: Decodable {
        var field: String?
        var value: CommentValue?
    }

    /// The value of a `comments` change.
    struct CommentValue: Decodable {
        struct From: Decodable {
            var id: String?
            var username: String?
        }
        struct Media: Decodable { var id: String? }
        var id: String?
        var text: String?
        var from: From?
        var media: Media?
        var parentID: String?

        enum CodingKeys: String, CodingKey {
            case id, text, from, media
            case parentID = "parent_id"
        }
    }
}
