import Foundation
import SwitchboardAdapterKit

/// Reads a provider's requests by the configured field map: JSON (dotted paths) or form fields.
enum SMSGatewayInbound {
    static let maxBatch = 500

    /// The request's records: the body, or each item of the configured batch list.
    static func records(_ request: WebhookRequest, format: SMSGatewayConfiguration.BodyFormat, batch: String?)
        throws(WebhookRequestError) -> [Record]
    {
        switch format {
        case .form:
            guard let pairs = FormEncoding.parseUTF8(bytes: request.body) else {
                throw WebhookRequestError("the form body is not UTF-8 text once decoded")
            }
            return [Record.form(pairs)]
        case .json:
            let object: Any
            do {
                object = try JSONSerialization.jsonObject(with: Data(request.body))
            } catch {
                throw WebhookRequestError("the body is not valid JSON")
            }
            guard let batch else { return [Record.json(object)] }
            guard let list = Record.json(object).value(at: batch) as? [Any], !list.isEmpty else {
                throw WebhookRequestError("'\(batch)' must be a non-empty list of messages")
            }
            guard list.count <= maxBatch else {
                throw WebhookRequestError("at most \(maxBatch) messages per request; split the batch")
            }
            return list.map(Record.json)
        }
    }

    static func envelope(
        _ record: Record, fields: SMSGatewayConfiguration.InboundFields, channel: ChannelID, region: PhoneRegion?,
        raw: RawPayload, receivedAt: Date
    ) throws(WebhookRequestError) -> InboundEnvelope {
        let id = try record.required(fields.id)
        guard id.count <= 256 else { throw WebhookRequestError("'\(fields.id)' is longer than 256 characters") }
        let fromText = try record.required(fields.from)
        let from: Address
        do {
            from = try Address.mobile(fromText, defaultRegion: region)
        } catch {
            throw WebhookRequestError("'\(fields.from)' \(error.message)")
        }
        let toText = fields.to.flatMap { record.string($0) }
        let to = toText.flatMap { try? Address.mobile($0, defaultRegion: region) }
        let text = try record.required(fields.text)
        var sentAt = receivedAt
        if let timeField = fields.time, let value = record.string(timeField) {
            guard let date = parseTime(value) else {
                throw WebhookRequestError("'\(timeField)' must be Unix seconds or an ISO 8601 time")
            }
            sentAt = date
        }
        let threadKey = [from.description, to?.description ?? toText ?? "-"].joined(separator: "|")
        return InboundEnvelope(
            channel: channel, externalID: id, from: from, to: to, threadKey: threadKey, text: text, sentAt: sentAt,
            raw: raw, hints: IdentityHints(rawHandle: fromText == from.value ? nil : fromText))
    }

    static func statusUpdate(_ record: Record, status: SMSGatewayConfiguration.Status, channel: ChannelID, at: Date)
        throws(WebhookRequestError) -> StatusUpdate?
    {
        let id = try record.required(status.fields.id)
        let state = try record.required(status.fields.status)
        let values = status.values
        func contains(_ list: [String]?) -> Bool {
            list?.contains { $0.caseInsensitiveCompare(state) == .orderedSame } ?? false
        }
        let mapped: DeliveryStatus
        if contains(values.failed) {
            let reason = status.fields.reason.flatMap { record.string($0) }
            mapped = .failed(reason: "the provider reported \(state)" + (reason.map { ": \($0)" } ?? ""))
        } else if contains(values.read) {
            mapped = .read
        } else if contains(values.delivered) {
            mapped = .delivered
        } else if contains(values.sent) {
            mapped = .sent
        } else if contains(values.queued) {
            mapped = .queued
        } else if contains(values.ignore) {
            return nil
        } else {
            throw WebhookRequestError(
                "'\(status.fields.status)' is '\(state)', which the channel's status.values do not list")
        }
        return StatusUpdate(channel: channel, externalID: id, status: mapped, at: at)
    }

    static func parseTime(_ text: String) -> Date? {
        if let seconds = Double(text), seconds > 0 {
            // Milliseconds, as some providers send, are told apart by size.
            return Date(timeIntervalSince1970: seconds > 100_000_000_000 ? seconds / 1000 : seconds)
        }
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    /// One message's fields, from JSON or a form.
    enum Record {
        case json(Any)
        case form([(name: String, value: String)])

        /// The value at a dotted path (JSON) or under a field name (form).
        func value(at path: String) -> Any? {
            switch self {
            case .form(let pairs):
                return pairs.first { $0.name == path }?.value
            case .json(let object):
                var current: Any? = object
                for key in path.split(separator: ".") {
                    if let dictionary = current as? [String: Any] {
                        current = dictionary[String(key)]
                    } else if let list = current as? [Any], let index = Int(key), list.indices.contains(index) {
                        current = list[index]
                    } else {
                        return nil
                    }
                }
                return current
            }
        }

        /// A string or number field as text.
        func string(_ path: String) -> String? {
            switch value(at: path) {
            case let text as String: return text
            case let number as NSNumber: return number.stringValue
            default: return nil
            }
        }

        func required(_ path: String) throws(WebhookRequestError) -> String {
            guard let value = string(path), !value.isEmpty else {
                throw WebhookRequestError("'\(path)' is missing or empty")
            }
            return value
        }
    }
}
