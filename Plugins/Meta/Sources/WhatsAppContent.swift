import SwitchboardAdapterKit

/// What a WhatsApp message says, by type, as the timeline shows it: text, media as attachments
/// (their caption as text), a location as one line, the title of a tapped button or list row,
/// reactions as a short line, and anything else as a placeholder with a parse warning.
struct WhatsAppContent {
    var text: String
    var attachments: [Attachment] = []
    var inReplyTo: String?
    var warnings: [String] = []

    static func read(_ message: WhatsAppWebhook.Message, graph: MetaAppSettings) -> WhatsAppContent {
        let type = message.type ?? "unknown"
        switch type {
        case "text":
            return WhatsAppContent(text: message.text?.body ?? "")
        case "image", "audio", "video", "document", "sticker":
            return media(type, message, graph: graph)
        case "location":
            return WhatsAppContent(text: location(message.location))
        case "interactive":
            let reply = message.interactive?.buttonReply ?? message.interactive?.listReply
            if let title = reply?.title {
                return WhatsAppContent(text: title)
            }
            return unsupported(
                type, message, detail: "an interactive reply of kind '\(message.interactive?.type ?? "")'")
        case "button":
            return WhatsAppContent(text: message.button?.text ?? message.button?.payload ?? "")
        case "reaction":
            let emoji = message.reaction?.emoji ?? ""
            return WhatsAppContent(
                text: emoji.isEmpty ? "[removed a reaction]" : "[reacted \(emoji)]",
                inReplyTo: message.reaction?.messageID,
                warnings: ["a WhatsApp reaction to message \(message.reaction?.messageID ?? "?"), kept as text"])
        default:
            return unsupported(type, message, detail: nil)
        }
    }

    static func media(_ type: String, _ message: WhatsAppWebhook.Message, graph: MetaAppSettings) -> WhatsAppContent {
        let media: WhatsAppWebhook.Media? =
            switch type {
            case "image": message.image
            case "audio": message.audio
            case "video": message.video
            case "document": message.document
            default: message.sticker
            }
        guard let media, let id = media.id, !id.isEmpty else {
            return unsupported(type, message, detail: "a \(type) without a media id")
        }
        // The Graph media object: GET it (with the access token) for a short-lived download URL.
        let attachment = Attachment(
            filename: media.filename, contentType: media.mimeType ?? "application/octet-stream",
            url: graph.graphURL(id))
        return WhatsAppContent(text: media.caption ?? "", attachments: [attachment])
    }

    /// `Location: 37.48, -122.14 (Main Street Beach, 5 Main Street, Santa Cruz)`.
    static func location(_ location: WhatsAppWebhook.Location?) -> String {
        let coordinates = [location?.latitude, location?.longitude].map { $0.map { "\($0)" } ?? "?" }
        let place = [location?.name, location?.address].compactMap { $0 }.filter { !$0.isEmpty }
        return "Location: " + coordinates.joined(separator: ", ")
            + (place.isEmpty ? "" : " (" + place.joined(separator: ", ") + ")")
    }

    static func unsupported(_ type: String, _ message: WhatsAppWebhook.Message, detail: String?) -> WhatsAppContent {
        var warning = "WhatsApp message type '\(type)' is not supported" + (detail.map { " (\($0))" } ?? "")
        if let error = message.errors?.first { warning += "; WhatsApp said \(error.summary)" }
        return WhatsAppContent(text: "[unsupported WhatsApp message: \(type)]", warnings: [warning])
    }
}
