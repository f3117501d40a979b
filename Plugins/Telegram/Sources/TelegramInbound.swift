import Foundation
import SwitchboardAdapterKit

/// Turns one Telegram update into the hub's terms, the same way for webhook and polling.
///
/// Read: `message` and `edited_message` from private chats, groups and supergroups, written by a
/// person. Skipped (``Outcome/skipped(_:)``, logged by the caller, never an error): channel posts
/// (a channel has no customer to answer), messages from bots (from.is_bot: other bots in a group,
/// or the anonymous-admin placeholder), service messages and kinds we do not read (polls, dice,
/// games, member changes …), and every other update type.
///
/// Ids: a message is `<chat.id>:<message_id>` (message ids are unique only inside a chat); an edit
/// is `<chat.id>:<message_id>:edit:<update_id>` and ``InboundEnvelope/replaces`` names the message,
/// so redelivered edits dedup (Telegram redelivers an update under its update_id), two edits in
/// the same second stay apart (edit_date has one-second resolution), and the hub updates the stored
/// text. An edit's ``InboundEnvelope/sentAt`` is its `edit_date`, which the hub orders edits by.
enum TelegramInbound {
    /// What one update became.
    enum Outcome: Sendable {
        case envelope(InboundEnvelope)
        /// Nothing for the hub; the reason is for the log.
        case skipped(String)
    }

    /// Reads the JSON of one update (a webhook body, or one element of getUpdates' result).
    /// - Throws: ``WebhookRequestError`` when the bytes are not a Telegram update at all.
    static func outcome(json: [UInt8], channel: ChannelID) throws(WebhookRequestError) -> Outcome {
        let update: TelegramModels.Update
        do {
            update = try JSONDecoder().decode(TelegramModels.Update.self, from: Data(json))
        } catch {
            throw WebhookRequestError(
                "the body is not a Telegram Update (https://core.telegram.org/bots/api#update): \(describe(error))")
        }
        return outcome(update, raw: json, channel: channel)
    }

    static func outcome(_ update: TelegramModels.Update, raw: [UInt8], channel: ChannelID) -> Outcome {
        let isEdit = update.message == nil && update.editedMessage != nil
        guard let message = update.message ?? update.editedMessage else {
            if update.channelPost != nil || update.editedChannelPost != nil {
                return .skipped("a channel post (channels are not read)")
            }
            return .skipped("an update without a message (another update type)")
        }
        guard ["private", "group", "supergroup"].contains(message.chat.type) else {
            return .skipped("a message in a chat of type '\(message.chat.type)'")
        }
        guard let sender = message.from else { return .skipped("a message without a sender") }
        if sender.isBot { return .skipped("a message from a bot (user \(sender.id))") }
        let content = Content(message)
        guard !content.isEmpty else { return .skipped("a message with no text, media, location or contact") }
        let from: Address
        do {
            from = try Address(kind: .telegram, value: String(sender.id))
        } catch {
            return .skipped("a sender id the hub cannot read: \(error.message)")
        }
        let chat = String(message.chat.id)
        let messageKey = "\(chat):\(message.messageID)"
        let externalID = isEdit ? "\(messageKey):edit:\(update.updateID)" : messageKey
        // Telegram always sets edit_date on an edited message; fall back to the date for safety.
        let stamp = isEdit ? (message.editDate ?? message.date) : message.date
        // An impossible time gives way to the time it arrived (noted), not an update the store refuses.
        let stated = MessageTime.date(seconds: TimeInterval(stamp))
        return .envelope(
            InboundEnvelope(
                channel: channel, externalID: externalID, from: from, threadKey: chat,
                visibility: message.chat.type == "private" ? .private : .public, text: content.text,
                attachments: content.attachments,
                inReplyTo: message.replyToMessage.map { "\(chat):\($0.messageID)" },
                sentAt: stated ?? Date(), raw: RawPayload(contentType: "application/json", bytes: raw),
                hints: hints(sender),
                parseWarnings: stated == nil
                    ? ["Telegram gave an impossible time (\(stamp)); the time it arrived is shown"] : [],
                replaces: isEdit ? messageKey : nil))
    }

    /// The name Telegram shows, the @username as written, and the app's language.
    static func hints(_ user: TelegramModels.User) -> IdentityHints {
        let name = [user.firstName, user.lastName].compactMap { $0?.isEmpty == false ? $0 : nil }
            .joined(separator: " ")
        return IdentityHints(
            displayName: name.isEmpty ? nil : name,
            locale: user.languageCode.flatMap { $0.isEmpty ? nil : $0 },
            rawHandle: user.username.flatMap { $0.isEmpty ? nil : "@" + $0 })
    }

    /// A decoding error in words, with the field path, for the 400 answer and the log.
    static func describe(_ error: any Error) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            let parent = path(context)
            return "'\(parent.isEmpty ? "" : parent + ".")\(key.stringValue)' is missing"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "'\(path(context))' has the wrong type"
        case DecodingError.dataCorrupted(let context):
            return context.codingPath.isEmpty ? "it is not JSON" : "'\(path(context))' is malformed"
        default:
            return "it could not be read"
        }
    }
}

/// The text and files of one message: text or caption, media as attachments whose url is
/// `telegram-file:<file_id>` (fetch with getFile), a location or contact as readable text.
struct Content {
    var text: String
    var attachments: [Attachment]

    var isEmpty: Bool { text.isEmpty && attachments.isEmpty }

    init(_ message: TelegramModels.Message) {
        var lines: [String] = []
        var attachments: [Attachment] = []
        if let body = message.text ?? message.caption, !body.isEmpty { lines.append(body) }
        if let sizes = message.photo, let largest = Self.largest(sizes) {
            attachments.append(Self.file(largest.fileID, type: "image/jpeg", size: largest.fileSize))
        }
        if let animation = message.animation {
            // Telegram also sets `document` on an animation, for old clients: read it once.
            attachments.append(Self.file(animation, defaultType: "video/mp4"))
        } else if let document = message.document {
            attachments.append(Self.file(document, defaultType: "application/octet-stream"))
        }
        if let audio = message.audio { attachments.append(Self.file(audio, defaultType: "audio/mpeg")) }
        if let voice = message.voice { attachments.append(Self.file(voice, defaultType: "audio/ogg")) }
        if let video = message.video { attachments.append(Self.file(video, defaultType: "video/mp4")) }
        if let sticker = message.sticker {
            // https://core.telegram.org/stickers: static WEBP, animated TGS, video WEBM.
            let type =
                sticker.isVideo == true
                ? "video/webm" : sticker.isAnimated == true ? "application/x-tgsticker" : "image/webp"
            attachments.append(Self.file(sticker.fileID, type: type, size: sticker.fileSize))
            if lines.isEmpty, let emoji = sticker.emoji, !emoji.isEmpty { lines.append("Sticker \(emoji)") }
        }
        if let location = message.location {
            lines.append("Location: \(location.latitude), \(location.longitude)")
        }
        if let contact = message.contact {
            let name = [contact.firstName, contact.lastName ?? ""].filter { !$0.isEmpty }.joined(separator: " ")
            lines.append("Contact: \(name), \(contact.phoneNumber)")
        }
        text = lines.joined(separator: "\n")
        self.attachments = attachments
    }

    /// Telegram lists a photo's sizes smallest first; pick by area, then bytes, then the later
    /// entry, so the choice holds whatever the order or the fields given.
    static func largest(_ sizes: [TelegramModels.PhotoSize]) -> TelegramModels.PhotoSize? {
        func rank(_ item: (offset: Int, element: TelegramModels.PhotoSize)) -> (Int, Int, Int) {
            ((item.element.width ?? 0) * (item.element.height ?? 0), item.element.fileSize ?? 0, item.offset)
        }
        return sizes.enumerated().max { rank($0) < rank($1) }?.element
    }

    static func file(_ file: TelegramModels.File, defaultType: String) -> Attachment {
        var attachment = Self.file(file.fileID, type: file.mimeType ?? defaultType, size: file.fileSize)
        attachment.filename = file.fileName
        return attachment
    }

    static func file(_ fileID: String, type: String, size: Int?) -> Attachment {
        Attachment(contentType: type, size: size, url: "telegram-file:\(fileID)")
    }
}
