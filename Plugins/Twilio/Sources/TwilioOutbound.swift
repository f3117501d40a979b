import Foundation
import SwitchboardAdapterKit

/// The Messages REST API call for a reply, and the reading of its answer:
/// https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource
enum TwilioOutbound {
    static func request(for message: OutboundMessage, configuration: TwilioConfiguration, statusCallback: String)
        throws(SendError) -> HTTPClientRequest
    {
        var form: [(name: String, value: String)] = []
        switch message.to.kind {
        case .tel:
            form.append(("To", message.to.value))
            if let service = configuration.messagingServiceSID {
                form.append(("MessagingServiceSid", service))
            } else if let from = configuration.from {
                form.append(("From", from))
            } else {
                throw SendError(.permanent, "channel '\(message.channel)' has neither from nor messaging_service_sid")
            }
        case .whatsapp:
            guard let sender = configuration.whatsappFrom else {
                throw SendError(
                    .permanent,
                    "the customer wrote on WhatsApp, but channel '\(message.channel)' has no whatsapp_from to answer from"
                )
            }
            form.append(("To", "whatsapp:" + message.to.value))
            form.append(("From", sender))
        default:
            throw SendError(
                .invalidRecipient,
                "Twilio sends to phone numbers and WhatsApp numbers, not to \(message.to.kind.rawValue)")
        }
        form.append(("Body", message.text))
        for attachment in message.attachments {
            guard let url = attachment.url, url.hasPrefix("https://") || url.hasPrefix("http://") else {
                throw SendError(
                    .permanent, "Twilio sends media by public URL; the attachment \(attachment.filename ?? "") has none"
                )
            }
            form.append(("MediaUrl", url))
        }
        form.append(("StatusCallback", statusCallback))
        let user = configuration.apiKeySID ?? configuration.accountSID
        let password = configuration.apiKeySecret ?? configuration.authToken
        let credentials = Data("\(user):\(password)".utf8).base64EncodedString()
        return HTTPClientRequest(
            method: "POST",
            url: "\(configuration.apiBaseURL)/2010-04-01/Accounts/\(configuration.accountSID)/Messages.json",
            headers: [
                ("Authorization", "Basic \(credentials)"),
                ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), ("Accept", "application/json"),
            ],
            body: Array(FormEncoding.encode(form).utf8), timeout: .seconds(20))
    }

    static func receipt(from response: HTTPClientResponse) throws(SendError) -> SendReceipt {
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
        guard (200..<300).contains(response.status) else {
            let code = (object?["code"] as? NSNumber)?.intValue
            let message = object?["message"] as? String ?? String(response.text.prefix(300))
            throw TwilioErrors.sendError(
                status: response.status, code: code, message: message, retryAfter: response.retryAfter)
        }
        guard let sid = object?["sid"] as? String, !sid.isEmpty else {
            // Accepted, but without the SID its status callbacks cannot be matched: retrying would send it twice.
            throw SendError(
                .permanent,
                "Twilio accepted the message (HTTP \(response.status)) but its answer had no 'sid'; "
                    + "it may have been sent; check Twilio's message log before retrying")
        }
        return SendReceipt(externalID: sid)
    }
}
