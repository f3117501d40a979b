import SwitchboardAdapterKit

/// The Cloud API `messages` request for a reply
/// (https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/send-messages):
/// free text with the replied-to message as `context`, or an approved template with its body
/// parameters. A `whatsapp:+N` customer is addressed by number (`to`); a `whatsapp-user:` one by
/// BSUID (`recipient`), as the business-scoped user id docs specify.
struct WhatsAppSendRequest: Encodable, Equatable {
    struct Text: Encodable, Equatable {
        var body: String
        var previewURL: Bool

        enum CodingKeys: String, CodingKey {
            case body
            case previewURL = "preview_url"
        }
    }

    struct Context: Encodable, Equatable {
        var messageID: String

        enum CodingKeys: String, CodingKey { case messageID = "message_id" }
    }

    struct Template: Encodable, Equatable {
        struct Language: Encodable, Equatable { var code: String }
        struct Component: Encodable, Equatable {
            var type: String
            var parameters: [Parameter]
        }
        struct Parameter: Encodable, Equatable {
            var type: String
            var text: String
        }

        var name: String
        var language: Language
        var components: [Component]?
    }

    var messagingProduct = "whatsapp"
    var recipientType = "individual"
    var to: String?
    var recipient: String?
    var type: String
    var text: Text?
    var template: Template?
    var context: Context?

    enum CodingKeys: String, CodingKey {
        case to, recipient, type, text, template, context
        case messagingProduct = "messaging_product"
        case recipientType = "recipient_type"
    }

    static func make(for message: OutboundMessage) throws(SendError) -> WhatsAppSendRequest {
        guard message.attachments.isEmpty else {
            throw SendError(
                .permanent, "this WhatsApp channel sends text and templates only; send the file as a link instead")
        }
        var request: WhatsAppSendRequest
        if let template = message.template {
            let parameters = template.parameters.map { Template.Parameter(type: "text", text: $0) }
            request = WhatsAppSendRequest(
                type: "template",
                template: Template(
                    name: template.name, language: Template.Language(code: template.language),
                    components: parameters.isEmpty ? nil : [Template.Component(type: "body", parameters: parameters)]))
        } else {
            guard !message.text.isEmpty else { throw SendError(.permanent, "the reply is empty") }
            request = WhatsAppSendRequest(type: "text", text: Text(body: message.text, previewURL: false))
        }
        if let inReplyTo = message.inReplyTo, !inReplyTo.isEmpty { request.context = Context(messageID: inReplyTo) }
        switch message.to.kind {
        case .whatsapp:
            // The Cloud API takes the number with or without '+'; its examples leave it out.
            request.to = String(message.to.value.drop { $0 == "+" })
        case .whatsappUser:
            request.recipient = message.to.value
        default:
            throw SendError(
                .invalidRecipient,
                "WhatsApp sends to whatsapp:+<number> or whatsapp-user:<BSUID> addresses, not to \(message.to.kind.rawValue)"
            )
        }
        return request
    }
}
