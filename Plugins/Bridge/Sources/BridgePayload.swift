import Foundation
import SwitchboardAdapterKit
import WebhookAdapter

/// The bridge protocol's JSON bodies. An envelope is the generic webhook channel's message object
/// (read by the same code, so the two never drift apart) plus the fields a chat bridge needs:
/// `aliases`, `replaces` (edits) and `tags`. Every refusal names the field, e.g. `envelopes[2].from`.
enum BridgePayload {
    /// `{"envelopes": [ … ]}`: one envelope per item, in order.
    static func envelopes(from request: WebhookRequest, channel: ChannelID) throws -> [InboundEnvelope] {
        let items = try list(named: "envelopes", in: try WebhookPayload.jsonObject(request))
        return try items.enumerated().map { index, item in
            let prefix = "envelopes[\(index)]."
            var envelope = try WebhookPayload.envelope(
                item, at: prefix, channel: channel, raw: .json(item))
            envelope.hints.aliases = try addresses(item["aliases"], field: prefix + "aliases")
            envelope.replaces = try WebhookPayload.string(item, prefix + "replaces", key: "replaces", required: false)
            if let replaces = envelope.replaces, replaces.isEmpty || replaces.count > 512 {
                throw WebhookRequestError(
                    "'\(prefix)replaces' must be the id of an earlier message (1 to 512 characters)")
            }
            envelope.tags = try tags(item["tags"], field: prefix + "tags")
            return envelope
        }
    }

    /// `{"updates": [ … ]}`: delivery reports on replies the bridge sent.
    static func statusUpdates(from request: WebhookRequest, channel: ChannelID) throws -> [StatusUpdate] {
        let items = try list(named: "updates", in: try WebhookPayload.jsonObject(request))
        return try items.enumerated().map { index, item in
            try WebhookPayload.statusUpdate(item, at: "updates[\(index)].", channel: channel)
        }
    }

    /// A bridge's refusal of a reply, `{"error": {"code", "message", "retry_after"?}}`, as a
    /// ``SendError``; nil when the answer does not say (the HTTP status then decides).
    static func sendError(_ response: HTTPClientResponse) -> SendError? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
            let error = object["error"] as? [String: Any], let name = error["code"] as? String
        else { return nil }
        let codes: [String: SendError.Code] = [
            "transient": .transient, "rate_limited": .rateLimited, "permanent": .permanent,
            "invalid_recipient": .invalidRecipient, "unauthorized": .unauthorized,
        ]
        guard let code = codes[name] else { return nil }
        let said = (error["message"] as? String).map { String($0.prefix(300)) } ?? "no reason given"
        var retryAfter = response.retryAfter
        if let seconds = error["retry_after"] as? Double, seconds.isFinite, seconds >= 0, seconds <= 86_400 {
            retryAfter = .milliseconds(Int64(seconds * 1000))
        }
        return SendError(
            code, "the bridge refused the reply (HTTP \(response.status), \(name)): \(said)", retryAfter: retryAfter)
    }

    /// The bridge's id for a sent reply, `{"id": "…"}`, if it gave one.
    static func sentID(_ response: HTTPClientResponse) -> String? {
        let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        guard let id = object?["id"] as? String, !id.isEmpty, id.count <= 512 else { return nil }
        return id
    }

    private static func list(named name: String, in object: [String: Any]) throws -> [[String: Any]] {
        guard let value = object[name] else { throw WebhookRequestError("'\(name)' is required (a list of objects)") }
        return try WebhookPayload.batch(value, named: name, of: "objects")
    }

    private static func addresses(_ value: Any?, field: String) throws -> [Address] {
        guard let value else { return [] }
        guard let texts = value as? [String] else {
            throw WebhookRequestError("'\(field)' must be a list of addresses such as [\"irc:ana\"]")
        }
        var parsed: [Address] = []
        for text in texts {
            do {
                parsed.append(try Address(parsing: text))
            } catch {
                throw WebhookRequestError("'\(field)': \(error.message)")
            }
        }
        return parsed
    }

    private static func tags(_ value: Any?, field: String) throws -> [String] {
        guard let value else { return [] }
        guard let tags = value as? [String], tags.allSatisfy({ !$0.isEmpty && $0.count <= 64 }) else {
            throw WebhookRequestError("'\(field)' must be a list of tags of 1 to 64 characters")
        }
        return tags
    }
}
