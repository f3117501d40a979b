import SwitchboardAdapterKit

/// The Send API request for a Messenger or Instagram reply: the customer's scoped id as recipient,
/// `RESPONSE` (a reply within the 24-hour window), and the text. Messenger's carries
/// `metadata: "switchboard:<message id>"`, so the echo Meta sends back is recognisably ours.
/// Messenger: https://developers.facebook.com/docs/messenger-platform/reference/send-api/ ;
/// Instagram: https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/messaging-api
struct MessagingSendRequest: Encodable, Equatable {
    struct Recipient: Encodable, Equatable {
        var id: String?
        var commentID: String?

        enum CodingKeys: String, CodingKey {
            case id
            case commentID = "comment_id"
        }
    }

    struct Message: Encodable, Equatable {
        var text: String
        var metadata: String?
    }

    var recipient: Recipient
    var messagingType: String?
    var message: Message

    enum CodingKeys: String, CodingKey {
        case recipient, message
        case messagingType = "messaging_type"
    }

    /// The metadata that marks a message as sent by Switchboard.
    static func metadata(for messageID: String) -> String { "switchboard:\(messageID)" }

    /// The scoped user id of `address`, which must belong to `accountID`.
    static func scopedID(of address: Address, kind: AddressKind, accountID: String) throws(SendError) -> String {
        guard address.kind == kind else {
            throw SendError(
                .invalidRecipient, "this channel sends to \(kind.rawValue): addresses, not to \(address.kind.rawValue)")
        }
        let parts = address.value.split(separator: "/")
        guard parts.count == 2, parts[0] == accountID else {
            throw SendError(
                .invalidRecipient,
                "\(address) belongs to another page or account than this channel's (\(accountID)); "
                    + "page-scoped ids only work with their own page")
        }
        return String(parts[1])
    }

    static func check(_ message: OutboundMessage) throws(SendError) {
        guard message.attachments.isEmpty else {
            throw SendError(.permanent, "this channel sends text only; send the file as a link instead")
        }
        guard !message.text.isEmpty else { throw SendError(.permanent, "the reply is empty") }
        guard message.template == nil else {
            throw SendError(.permanent, "Messenger and Instagram have no message templates; send text")
        }
    }
}
