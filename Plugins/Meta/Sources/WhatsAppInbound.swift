import Foundation
import SwitchboardAdapterKit

/// Reads a verified WhatsApp Cloud API webhook into envelopes and status updates: every entry,
/// change and message of the payload, for the configured phone number only (a webhook shared by
/// several numbers of the business account carries the others too; they are not ours to take).
enum WhatsAppInbound {
    static func read(
        _ body: [UInt8], phoneNumberID: String, channel: ChannelID, graph: MetaAppSettings, receivedAt: Date
    ) throws(WebhookRequestError) -> WebhookResult {
        let payload: WhatsAppWebhook
        do {
            payload = try JSONDecoder().decode(WhatsAppWebhook.self, from: Data(body))
        } catch {
            throw WebhookRequestError("the body is not a WhatsApp webhook payload (JSON): \(error)")
        }
        guard payload.object == "whatsapp_business_account" else {
            throw WebhookRequestError(
                "expected object 'whatsapp_business_account', got '\(payload.object ?? "")': "
                    + "is this the webhook URL of a Messenger or Instagram channel?")
        }
        var result = WebhookResult()
        for entry in payload.entry ?? [] {
            for change in entry.changes ?? [] where change.field == nil || change.field == "messages" {
                guard let value = change.value, value.metadata?.phoneNumberID == phoneNumberID else { continue }
                let ourNumber = value.metadata?.displayPhoneNumber.flatMap {
                    try? Address(kind: .whatsapp, value: "+" + $0.filter(\.isASCIIDigit))
                }
                // One unreadable message or status is skipped (and logged), not the whole batch:
                // Meta would redeliver it, good messages too, for days.
                for message in value.messages ?? [] {
                    do {
                        result.envelopes.append(
                            try envelope(
                                message, contacts: value.contacts ?? [], to: ourNumber, phoneNumberID: phoneNumberID,
                                channel: channel, graph: graph, body: body, receivedAt: receivedAt))
                    } catch {
                        result.skipped.append("message \(message.id ?? "without an id"): \(error.message)")
                    }
                }
                for status in value.statuses ?? [] {
                    do {
                        if let update = try statusUpdate(status, channel: channel, receivedAt: receivedAt) {
                            result.statusUpdates.append(update)
                        }
                    } catch {
                        result.skipped.append("status of \(status.id ?? "an unnamed message"): \(error.message)")
                    }
                }
            }
        }
        try result.requireSomethingReadable()
        return result
    }

    static func envelope(
        _ message: WhatsAppWebhook.Message, contacts: [WhatsAppWebhook.Contact], to: Address?, phoneNumberID: String,
        channel: ChannelID, graph: MetaAppSettings, body: [UInt8], receivedAt: Date
    ) throws(WebhookRequestError) -> InboundEnvelope {
        guard let id = message.id, !id.isEmpty else { throw WebhookRequestError("a message has no 'id' (wamid)") }
        let identity = try WhatsAppIdentity.resolve(
            message, contact: WhatsAppIdentity.contact(for: message, in: contacts))
        let content = WhatsAppContent.read(message, graph: graph)
        var warnings = content.warnings
        let sentAt = date(message.timestamp)
        if sentAt == nil, let timestamp = message.timestamp {
            warnings.append(PayloadTime.warning("timestamp", timestamp))
        }
        return InboundEnvelope(
            channel: channel, externalID: id, from: identity.from, to: to,
            threadKey: "\(phoneNumberID)|\(identity.from)", text: content.text, attachments: content.attachments,
            inReplyTo: content.inReplyTo ?? message.context?.id,
            sentAt: sentAt ?? receivedAt,
            raw: RawPayload(contentType: "application/json", bytes: body),
            hints: IdentityHints(
                displayName: identity.displayName, rawHandle: identity.rawHandle, aliases: identity.aliases),
            parseWarnings: warnings)
    }

    /// One status report; nil for states that say nothing the status history keeps (`deleted`, `warning`, `played`).
    static func statusUpdate(_ status: WhatsAppWebhook.Status, channel: ChannelID, receivedAt: Date)
        throws(WebhookRequestError) -> StatusUpdate?
    {
        guard let id = status.id, !id.isEmpty, let name = status.status else {
            throw WebhookRequestError("a status report has no 'id' or 'status'")
        }
        let state: DeliveryStatus
        switch name {
        case "sent": state = .sent
        case "delivered": state = .delivered
        case "read": state = .read
        case "failed":
            let reason = status.errors?.first.map { "WhatsApp could not deliver the message: \($0.summary)" }
            state = .failed(reason: reason ?? "WhatsApp could not deliver the message (no reason given)")
        default: return nil
        }
        return StatusUpdate(channel: channel, externalID: id, status: state, at: date(status.timestamp) ?? receivedAt)
    }

    /// WhatsApp's timestamps are Unix seconds, as a string; nil when missing or not a plausible time.
    static func date(_ timestamp: String?) -> Date? {
        timestamp.flatMap(TimeInterval.init).flatMap { PayloadTime.date(seconds: $0) }
    }
}
