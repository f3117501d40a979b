import Foundation
import SwitchboardAdapterKit

/// Turns one `m.room.message` event into an envelope, by the rules of the spec's messaging module
/// (https://spec.matrix.org/latest/client-server-api/#mroommessage): the body is the text,
/// `formatted_body` in `org.matrix.custom.html` the HTML, `m.relates_to.m.in_reply_to` the message
/// answered (https://spec.matrix.org/latest/client-server-api/#rich-replies), `rel_type: m.replace`
/// an edit whose new text is in `m.new_content`
/// (https://spec.matrix.org/latest/client-server-api/#event-replacements), and `m.image`, `m.file`,
/// `m.audio`, `m.video` carry an `mxc://` URL with `info.mimetype` and `info.size`.
struct MatrixEventMapper: Sendable {
    let channel: ChannelID
    /// The hub's own account: its events are never imported.
    let userID: String

    /// One room as the mapper needs it.
    struct Room: Sendable {
        var id: String
        var visibility: Visibility
        /// Display names by user id, from the member events at hand.
        var displayNames: [String: String]
    }

    /// The event types that may become an envelope.
    static let importedTypes: Set<String> = ["m.room.message", "m.room.encrypted"]

    /// Whether `event` is of a type the hub imports (a message, or an encrypted one).
    static func isImported(_ event: MatrixJSON) -> Bool {
        event["type"]?.string.map(importedTypes.contains) ?? false
    }

    /// The text and parse warning of an encrypted event.
    static let encryptedNotice =
        "[encrypted message: Switchboard cannot read end-to-end encrypted rooms; ask the customer to write in an "
        + "unencrypted room]"

    /// The envelope for `event`, or nil when it is not a message from someone else (state events,
    /// our own messages, redacted messages whose content is gone).
    func envelope(_ event: MatrixJSON, in room: Room) -> InboundEnvelope? {
        guard Self.isImported(event), let eventID = event["event_id"]?.string, !eventID.isEmpty,
            let sender = event["sender"]?.string, let content = event["content"], !content.object.isEmpty
        else { return nil }
        guard let from = try? Address(kind: .matrix, value: sender), from.value != userID else { return nil }
        // Any server of the federation sets origin_server_ts: an impossible one gives way to the
        // time the event arrived (with a warning) rather than an event the store must refuse.
        let stamp = event["origin_server_ts"]?.int
        let stated = stamp.flatMap { MessageTime.date(seconds: Double($0) / 1000) }
        let sentAt = stated ?? Date()
        let timeWarnings =
            stamp != nil && stated == nil
            ? ["the homeserver gave an impossible origin_server_ts (\(stamp ?? 0)); the time it arrived is shown"] : []
        if event["type"]?.string == "m.room.encrypted" {
            return InboundEnvelope(
                channel: channel, externalID: eventID, from: from, to: try? Address(kind: .matrix, value: userID),
                threadKey: room.id, visibility: room.visibility, text: Self.encryptedNotice,
                sentAt: sentAt, raw: RawPayload(contentType: "application/json", bytes: event.bytes),
                hints: IdentityHints(displayName: room.displayNames[sender]),
                parseWarnings: [Self.encryptedNotice] + timeWarnings)
        }

        let relation = content["m.relates_to"]
        var replaces: String?
        var shown = content
        if relation?["rel_type"]?.string == "m.replace", let original = relation?["event_id"]?.string {
            replaces = original
            // An edit's own body is a fallback (`* new text`); the new version is in m.new_content.
            if let newContent = content["m.new_content"], !newContent.object.isEmpty { shown = newContent }
        }
        let inReplyTo = relation?["m.in_reply_to"]?["event_id"]?.string
        let msgtype = shown["msgtype"]?.string ?? "m.text"
        var text = shown["body"]?.string ?? ""
        var html: String?
        if shown["format"]?.string == "org.matrix.custom.html", let formatted = shown["formatted_body"]?.string {
            html = formatted
        }
        var warnings = timeWarnings
        if inReplyTo != nil {
            // Older clients quote the answered message before the reply (a "fallback"); the hub
            // threads by inReplyTo, so the quote is dropped.
            text = Self.strippingReplyFallback(text)
            html = html.map(Self.strippingReplyFallbackHTML)
        }
        var attachments: [Attachment] = []
        if Self.fileTypes.contains(msgtype) {
            if let url = shown["url"]?.string {
                let info = shown["info"]
                attachments.append(
                    Attachment(
                        filename: shown["filename"]?.string ?? shown["body"]?.string,
                        contentType: info?["mimetype"]?.string ?? "application/octet-stream",
                        size: info?["size"]?.int.map { Int($0) }, url: url))
            } else if shown["file"] != nil {
                warnings.append("the \(msgtype) attachment is end-to-end encrypted; the hub cannot read it")
            }
        }
        if msgtype == "m.emote" { text = "* \(room.displayNames[sender] ?? sender) \(text)" }
        if msgtype == "m.location", let geo = shown["geo_uri"]?.string { text += text.isEmpty ? geo : " (\(geo))" }
        return InboundEnvelope(
            channel: channel, externalID: eventID, from: from, to: try? Address(kind: .matrix, value: userID),
            threadKey: room.id, visibility: room.visibility, text: text, html: html, attachments: attachments,
            inReplyTo: inReplyTo, sentAt: sentAt, raw: RawPayload(contentType: "application/json", bytes: event.bytes),
            hints: IdentityHints(displayName: room.displayNames[sender]),
            // m.notice is what bots send (https://spec.matrix.org/latest/client-server-api/#mnotice).
            isAutomatic: msgtype == "m.notice", parseWarnings: warnings, replaces: replaces)
    }

    static let fileTypes: Set<String> = ["m.image", "m.file", "m.audio", "m.video"]

    /// The display names the member events set (`m.room.member`, `content.displayname`), by user id.
    static func displayNames(_ events: [MatrixJSON]) -> [String: String] {
        var names: [String: String] = [:]
        for event in events where event["type"]?.string == "m.room.member" {
            if let user = event["state_key"]?.string, let name = event["content"]?["displayname"]?.string,
                !name.isEmpty
            {
                names[user] = name
            }
        }
        return names
    }

    /// Drops the leading `> ` quote block and the blank line after it.
    static func strippingReplyFallback(_ body: String) -> String {
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first?.hasPrefix("> ") == true || lines.first == ">" else { return body }
        var index = 0
        while index < lines.count, lines[index].hasPrefix(">") { index += 1 }
        while index < lines.count, lines[index].isEmpty { index += 1 }
        return lines[index...].joined(separator: "\n")
    }

    /// Drops the `<mx-reply>…</mx-reply>` quote.
    static func strippingReplyFallbackHTML(_ html: String) -> String {
        guard let start = html.range(of: "<mx-reply>"), let end = html.range(of: "</mx-reply>"),
            start.lowerBound <= end.lowerBound
        else { return html }
        return String(html[..<start.lowerBound] + html[end.upperBound...])
    }
}
