import Foundation
import SwitchboardAdapterKit

/// Reads Twilio's form-encoded webhooks into the hub's terms: incoming messages
/// (https://www.twilio.com/docs/messaging/guides/webhook-request) and status callbacks
/// (https://www.twilio.com/docs/messaging/guides/track-outbound-message-status).
enum TwilioInbound {
    /// At most this many media items per message (Twilio sends up to 10 for MMS, 1 for WhatsApp).
    static let maxMedia = 10

    static func envelope(
        _ parameters: [(name: String, value: String)], body: [UInt8], channel: ChannelID, region: PhoneRegion?,
        receivedAt: Date
    ) throws(WebhookRequestError) -> InboundEnvelope {
        let fields = Fields(parameters)
        let sid = try fields.required("MessageSid")
        guard sid.count <= 64, sid.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw WebhookRequestError("'MessageSid' is not a Twilio message SID")
        }
        let fromText = try fields.required("From")
        let from = try address(fromText, field: "From", region: region)
        var to: Address?
        if let toText = fields.value("To") { to = try address(toText, field: "To", region: region) }
        let count = Int(fields.value("NumMedia") ?? "0") ?? -1
        guard (0...maxMedia).contains(count) else {
            throw WebhookRequestError("'NumMedia' must be a whole number from 0 to \(maxMedia)")
        }
        var attachments: [Attachment] = []
        for index in 0..<count {
            guard let url = fields.value("MediaUrl\(index)"), url.hasPrefix("https://") || url.hasPrefix("http://")
            else {
                throw WebhookRequestError("'NumMedia' is \(count) but 'MediaUrl\(index)' is missing or not a URL")
            }
            attachments.append(
                Attachment(
                    contentType: fields.value("MediaContentType\(index)") ?? "application/octet-stream", url: url))
        }
        let text = fields.value("Body") ?? ""
        guard !text.isEmpty || !attachments.isEmpty || fields.value("Latitude") != nil else {
            throw WebhookRequestError("the message has no 'Body' and no media")
        }
        var finalText = text
        if text.isEmpty, let latitude = fields.value("Latitude"), let longitude = fields.value("Longitude") {
            finalText = "Location: \(latitude), \(longitude)" + (fields.value("Address").map { " (\($0))" } ?? "")
        }
        // The pair of numbers is the thread: a customer writing to two of our numbers has two conversations.
        let threadKey = [from.description, to?.description ?? "-"].joined(separator: "|")
        return InboundEnvelope(
            channel: channel, externalID: sid, from: from, to: to, threadKey: threadKey, text: finalText,
            attachments: attachments, inReplyTo: fields.value("OriginalRepliedMessageSid"), sentAt: receivedAt,
            raw: RawPayload(contentType: "application/x-www-form-urlencoded", bytes: body),
            hints: IdentityHints(
                displayName: fields.value("ProfileName").flatMap { $0.isEmpty ? nil : $0 },
                rawHandle: fromText == (from.kind == .whatsapp ? "whatsapp:" : "") + from.value ? nil : fromText))
    }

    /// `+14155550100` → `tel:`, `whatsapp:+14155550100` → `whatsapp:`, both in their mobile identity form.
    static func address(_ text: String, field: String, region: PhoneRegion?) throws(WebhookRequestError) -> Address {
        do {
            if text.lowercased().hasPrefix("whatsapp:") {
                return try Address.mobile(String(text.dropFirst(9)), defaultRegion: region, kind: .whatsapp)
            }
            return try Address.mobile(text, defaultRegion: region, kind: .tel)
        } catch {
            throw WebhookRequestError("'\(field)' \(error.message)")
        }
    }

    /// A status callback: one update for the message SID, or none for states that say nothing new
    /// to an agent (`receiving`, `received`: those are about inbound messages).
    static func statusUpdate(_ parameters: [(name: String, value: String)], channel: ChannelID, at: Date)
        throws(WebhookRequestError) -> [StatusUpdate]
    {
        let fields = Fields(parameters)
        let sid = try fields.required("MessageSid")
        let name = try fields.required("MessageStatus")
        let status: DeliveryStatus
        switch name {
        case "accepted", "scheduled", "queued", "sending": status = .queued
        case "sent": status = .sent
        case "delivered": status = .delivered
        case "read": status = .read
        case "undelivered", "failed", "canceled":
            status = .failed(reason: TwilioErrors.reason(state: name, code: fields.value("ErrorCode")))
        case "receiving", "received": return []
        default:
            throw WebhookRequestError(
                "'MessageStatus' '\(name)' is not one of queued, sending, sent, delivered, read, undelivered, failed")
        }
        return [StatusUpdate(channel: channel, externalID: sid, status: status, at: at)]
    }

    /// The fields of a form, by name (the first value where a name repeats).
    struct Fields {
        let values: [String: String]

        init(_ parameters: [(name: String, value: String)]) {
            var values: [String: String] = [:]
            for parameter in parameters where values[parameter.name] == nil { values[parameter.name] = parameter.value }
            self.values = values
        }

        func value(_ name: String) -> String? { values[name] }

        func required(_ name: String) throws(WebhookRequestError) -> String {
            guard let value = values[name], !value.isEmpty else {
                throw WebhookRequestError("'\(name)' is missing; is this URL set as a Twilio messaging webhook?")
            }
            return value
        }
    }
}
