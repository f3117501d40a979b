import Foundation
import SwitchboardAdapterKit

/// Reads verified Messenger and Instagram messaging webhooks (`entry[].messaging[]`) into envelopes
/// and status updates, for the configured page or Instagram account only.
///
/// Echoes (`message.is_echo: true`) are messages the page itself sent, and are never imported:
/// those we sent are already in the timeline (they carry `metadata: "switchboard:<message id>"`),
/// and those sent from elsewhere (Meta Business Suite, another app) would otherwise be filed as if
/// the customer had written them, since an echo's sender is the page. All echoes are skipped.
struct MessagingInbound {
    /// The address kind and page/account id of this channel.
    let kind: AddressKind
    let accountID: String
    let channel: ChannelID
    /// The `object` Meta sends for this product: `page` or `instagram`.
    let object: String
    /// Messenger's `user_email` quick reply carries an email Messenger pre-filled from the profile.
    let readsEmailQuickReplies: Bool

    /// - Parameter requireReadable: throw when nothing in the request could be read (Instagram
    ///   passes false and checks after reading comments too).
    func read(_ body: [UInt8], receivedAt: Date, requireReadable: Bool = true) throws(WebhookRequestError)
        -> (MessagingWebhook, WebhookResult)
    {
        let payload: MessagingWebhook
        do {
            payload = try JSONDecoder().decode(MessagingWebhook.self, from: Data(body))
        } catch {
            throw WebhookRequestError("the body is not a Meta messaging webhook payload (JSON): \(error)")
        }
        guard payload.object == object else {
            throw WebhookRequestError(
                "expected object '\(object)', got '\(payload.object ?? "")': is this the webhook URL of another channel?"
            )
        }
        var result = WebhookResult()
        for entry in payload.entry ?? [] where entry.id == accountID {
            for event in entry.messaging ?? [] {
                let sent = event.timestamp.flatMap { PayloadTime.date(seconds: $0 / 1000) }
                let at = sent ?? receivedAt
                let timeWarning =
                    sent == nil ? event.timestamp.map { PayloadTime.warning("timestamp", "\($0)") } : nil
                if let message = event.message {
                    do {
                        if var envelope = try envelope(message, event: event, at: at, body: body) {
                            if let timeWarning { envelope.parseWarnings.append(timeWarning) }
                            result.envelopes.append(envelope)
                        }
                    } catch {
                        // Skipped and logged, not the whole batch (Meta would redeliver the good ones too).
                        result.skipped.append("message \(message.mid ?? "without a mid"): \(error.message)")
                    }
                } else if let mids = event.delivery?.mids {
                    let deliveredAt = event.delivery?.watermark.flatMap { PayloadTime.date(seconds: $0 / 1000) } ?? at
                    result.statusUpdates += mids.map {
                        StatusUpdate(channel: channel, externalID: $0, status: .delivered, at: deliveredAt)
                    }
                } else if let mid = event.read?.mid {
                    // Instagram names the read message; Messenger's watermark-only reads cannot be mapped.
                    result.statusUpdates.append(StatusUpdate(channel: channel, externalID: mid, status: .read, at: at))
                } else if let postback = event.postback, let mid = postback.mid {
                    let message = MessagingWebhook.Message(mid: mid, text: postback.title ?? postback.payload)
                    do {
                        if var envelope = try envelope(message, event: event, at: at, body: body) {
                            if let timeWarning { envelope.parseWarnings.append(timeWarning) }
                            result.envelopes.append(envelope)
                        }
                    } catch {
                        result.skipped.append("postback \(mid): \(error.message)")
                    }
                }
            }
        }
        if requireReadable { try result.requireSomethingReadable() }
        return (payload, result)
    }

    /// The customer's address: `<kind>:<account id>/<scoped id>`.
    func address(_ scopedID: String?) throws(WebhookRequestError) -> Address {
        do {
            return try Address(kind: kind, value: "\(accountID)/\(scopedID ?? "")")
        } catch {
            throw WebhookRequestError("'sender.id' \(error.message)")
        }
    }

    func envelope(_ message: MessagingWebhook.Message, event: MessagingWebhook.Event, at: Date, body: [UInt8])
        throws(WebhookRequestError) -> InboundEnvelope?
    {
        if message.isEcho == true || message.isDeleted == true { return nil }
        guard let mid = message.mid, !mid.isEmpty else { throw WebhookRequestError("a message event has no 'mid'") }
        let from = try address(event.sender?.id)
        var warnings: [String] = []
        var attachments: [Attachment] = []
        for attachment in message.attachments ?? [] {
            let type = attachment.type ?? "file"
            if let url = attachment.payload?.url, url.hasPrefix("https://") || url.hasPrefix("http://") {
                attachments.append(
                    Attachment(filename: attachment.payload?.title, contentType: Self.contentType(type), url: url))
            } else {
                warnings.append("a '\(type)' attachment without a URL was left out")
            }
        }
        var text = message.text ?? ""
        if message.isUnsupported == true {
            warnings.append(
                "\(kind.rawValue) marked this message as unsupported: the customer sent something its API does not show"
            )
            if text.isEmpty { text = "[unsupported \(kind.rawValue) message]" }
        }
        var hints = IdentityHints()
        if readsEmailQuickReplies, let payload = message.quickReply?.payload, payload.contains("@"),
            let email = try? Address(kind: .email, value: payload)
        {
            hints.verifiedAddresses = [email]
        }
        return InboundEnvelope(
            channel: channel, externalID: mid, from: from, threadKey: from.description, text: text,
            attachments: attachments, inReplyTo: message.replyTo?.mid, sentAt: at,
            raw: RawPayload(contentType: "application/json", bytes: body), hints: hints, parseWarnings: warnings)
    }

    /// Meta names the kind of file, not its MIME type.
    static func contentType(_ type: String) -> String {
        switch type {
        case "image": "image/*"
        case "video", "reel", "ig_reel": "video/*"
        case "audio": "audio/*"
        default: "application/octet-stream"
        }
    }
}
