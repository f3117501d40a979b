import Foundation
import SwitchboardAdapterKit

/// The generic channel's JSON wire format, parsed with `JSONSerialization` (the hot path) and
/// checked field by field so every refusal says which field is wrong. The bridge channel
/// (`Plugins/Bridge`) reads its envelopes with the same code.
package enum WebhookPayload {
    /// The most items (messages, envelopes, status reports) one request may carry.
    package static let maxItemsPerRequest = 500

    static func envelopes(from request: WebhookRequest, channel: ChannelID) throws -> [InboundEnvelope] {
        let object = try jsonObject(request)
        let items = try object["messages"].map { try batch($0, named: "messages", of: "message objects") } ?? [object]
        return try items.enumerated().map { index, item in
            try envelope(
                item, at: items.count == 1 ? "" : "messages[\(index)].", channel: channel,
                raw: items.count == 1 ? RawPayload(contentType: "application/json", bytes: request.body) : .json(item)
            )
        }
    }

    /// A batch: a non-empty list of at most ``maxItemsPerRequest`` objects, refused by name otherwise.
    package static func batch(_ value: Any, named name: String, of what: String) throws -> [[String: Any]] {
        guard let items = value as? [[String: Any]], !items.isEmpty else {
            throw WebhookRequestError("'\(name)' must be a non-empty list of \(what)")
        }
        guard items.count <= maxItemsPerRequest else {
            throw WebhookRequestError("at most \(maxItemsPerRequest) \(name) per request; split the batch")
        }
        return items
    }

    package static func envelope(_ item: [String: Any], at prefix: String, channel: ChannelID, raw: RawPayload) throws
        -> InboundEnvelope
    {
        func field(_ name: String) -> String { prefix + name }
        let id = try string(item, field("id"), key: "id", required: true) ?? ""
        guard id.count <= 512 else { throw WebhookRequestError("'\(field("id"))' is longer than 512 characters") }
        let fromText = try string(item, field("from"), key: "from", required: true) ?? ""
        let from: Address
        do {
            from = try Address(parsing: fromText)
        } catch {
            throw WebhookRequestError("'\(field("from"))' \(error.message)")
        }
        let text = try string(item, field("text"), key: "text", required: false) ?? ""
        let html = try string(item, field("html"), key: "html", required: false)
        let attachments = try attachmentList(item["attachments"], field: field("attachments"))
        guard !text.isEmpty || html != nil || !attachments.isEmpty else {
            throw WebhookRequestError("'\(field("text"))' is required (a message needs text, html or attachments)")
        }
        var sentAt = Date()
        if let value = item["sent_at"] {
            guard let date = parseDate(value) else {
                throw WebhookRequestError(
                    "'\(field("sent_at"))' must be an ISO 8601 time such as 2026-11-23T10:00:00Z or Unix seconds")
            }
            sentAt = date
        }
        var visibility = Visibility.private
        if let value = try string(item, field("visibility"), key: "visibility", required: false) {
            guard let parsed = Visibility(rawValue: value) else {
                throw WebhookRequestError("'\(field("visibility"))' must be 'public' or 'private'")
            }
            visibility = parsed
        }
        var verified: [Address] = []
        if let list = item["verified"] {
            guard let texts = list as? [String] else {
                throw WebhookRequestError(
                    "'\(field("verified"))' must be a list of addresses such as [\"tel:+14155550100\"]")
            }
            for text in texts {
                do {
                    verified.append(try Address(parsing: text))
                } catch {
                    throw WebhookRequestError("'\(field("verified"))': \(error.message)")
                }
            }
        }
        var automatic = false
        if let value = item["automatic"] {
            guard let flag = value as? Bool else {
                throw WebhookRequestError("'\(field("automatic"))' must be true or false")
            }
            automatic = flag
        }
        return InboundEnvelope(
            channel: channel, externalID: id, from: from,
            threadKey: try string(item, field("thread"), key: "thread", required: false) ?? from.description,
            visibility: visibility, subject: try string(item, field("subject"), key: "subject", required: false),
            text: text, html: html, attachments: attachments,
            inReplyTo: try string(item, field("in_reply_to"), key: "in_reply_to", required: false), sentAt: sentAt,
            raw: raw,
            hints: IdentityHints(
                displayName: try string(item, field("name"), key: "name", required: false),
                locale: try string(item, field("locale"), key: "locale", required: false), verifiedAddresses: verified),
            isAutomatic: automatic)
    }

    static func statusUpdates(from request: WebhookRequest, channel: ChannelID) throws -> [StatusUpdate] {
        [try statusUpdate(try jsonObject(request), at: "", channel: channel)]
    }

    /// One delivery report (`id`, `status`, `reason`?, `at`?); field names in errors start with `prefix`.
    package static func statusUpdate(_ object: [String: Any], at prefix: String, channel: ChannelID) throws
        -> StatusUpdate
    {
        let id = try string(object, prefix + "id", key: "id", required: true) ?? ""
        let name = try string(object, prefix + "status", key: "status", required: true) ?? ""
        let reason = try string(object, prefix + "reason", key: "reason", required: false)
        guard let status = DeliveryStatus(name: name, reason: reason), name != "queued" else {
            throw WebhookRequestError("'\(prefix)status' must be one of sent, delivered, read, failed")
        }
        var at = Date()
        if let value = object["at"] {
            guard let date = parseDate(value) else {
                throw WebhookRequestError("'\(prefix)at' must be an ISO 8601 time or Unix seconds")
            }
            at = date
        }
        return StatusUpdate(channel: channel, externalID: id, status: status, at: at)
    }

    package static func outboundBody(_ message: OutboundMessage) -> [UInt8] {
        var object: [String: Any] = [
            "id": message.messageID, "conversation_id": message.conversationID, "to": message.to.description,
            "thread": message.threadKey, "text": message.text, "visibility": message.visibility.rawValue,
            "idempotency_key": message.idempotencyKey,
        ]
        object["subject"] = message.subject
        object["html"] = message.html
        object["in_reply_to"] = message.inReplyTo
        object["author"] = message.author
        if !message.attachments.isEmpty {
            object["attachments"] = message.attachments.map { attachment -> [String: Any] in
                var item: [String: Any] = ["content_type": attachment.contentType]
                item["filename"] = attachment.filename
                item["size"] = attachment.size
                item["url"] = attachment.url
                return item
            }
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Array(data)
    }

    package static func jsonObject(_ request: WebhookRequest) throws -> [String: Any] {
        if let type = request.header("Content-Type"), !type.lowercased().hasPrefix("application/json") {
            throw WebhookRequestError(status: 415, "Content-Type must be application/json, not \(type)")
        }
        guard !request.body.isEmpty else { throw WebhookRequestError("the body is empty; send a JSON object") }
        guard String(validating: request.body, as: UTF8.self) != nil else {
            throw WebhookRequestError("the body is not valid UTF-8")
        }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(request.body))
        } catch {
            throw WebhookRequestError("the body is not valid JSON")
        }
        guard let object = parsed as? [String: Any] else { throw WebhookRequestError("the body must be a JSON object") }
        return object
    }

    package static func string(_ object: [String: Any], _ field: String, key: String, required: Bool) throws -> String?
    {
        guard let value = object[key], !(value is NSNull) else {
            if required { throw WebhookRequestError("'\(field)' is required") }
            return nil
        }
        guard let text = value as? String else { throw WebhookRequestError("'\(field)' must be a string") }
        if required && text.isEmpty { throw WebhookRequestError("'\(field)' must not be empty") }
        return text
    }

    private static func attachmentList(_ value: Any?, field: String) throws -> [Attachment] {
        guard let value else { return [] }
        guard let list = value as? [[String: Any]] else {
            throw WebhookRequestError("'\(field)' must be a list of objects with content_type and url")
        }
        return try list.enumerated().map { index, item in
            guard let type = item["content_type"] as? String, !type.isEmpty else {
                throw WebhookRequestError("'\(field)[\(index)].content_type' is required")
            }
            return Attachment(
                filename: item["filename"] as? String, contentType: type, size: item["size"] as? Int,
                url: item["url"] as? String)
        }
    }

    package static func parseDate(_ value: Any) -> Date? {
        if let seconds = value as? Double, !(value is Bool) { return Date(timeIntervalSince1970: seconds) }
        guard let text = value as? String else { return nil }
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
