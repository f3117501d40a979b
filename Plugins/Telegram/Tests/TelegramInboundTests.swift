import Foundation
import SwitchboardAdapterKit
import Testing

@testable import TelegramAdapter

/// Updates (https://core.telegram.org/bots/api#update) read into envelopes, through the webhook route.
@Suite struct TelegramInboundTests {
    @Test func privateTextBecomesAPrivateEnvelopeKeyedByChatAndMessage() async throws {
        let result = try await handle(privateText)
        let envelope = try #require(result.envelopes.first)
        #expect(result.envelopes.count == 1)
        #expect(envelope.channel == "telegram")
        #expect(envelope.externalID == "1111111:1365")
        #expect(envelope.from.description == "telegram:1111111")
        #expect(envelope.threadKey == "1111111")
        #expect(envelope.visibility == .private)
        #expect(envelope.text == "Bonjour 👋 /start")
        #expect(envelope.sentAt == Date(timeIntervalSince1970: 1_700_000_000))
        #expect(envelope.hints.displayName == "Ana Silva")
        #expect(envelope.hints.rawHandle == "@anasilva")
        #expect(envelope.hints.locale == "pt-BR")
        #expect(envelope.inReplyTo == nil)
        #expect(envelope.replaces == nil)
        #expect(envelope.attachments.isEmpty)
        #expect(envelope.raw?.contentType == "application/json")
        #expect(envelope.raw?.bytes == Array(privateText.utf8))
        // Telegram answers its webhook with a plain 200; a body could be read as a method call.
        #expect(result.response?.status == 200)
        #expect(result.response?.body == Array("{}".utf8))
    }

    @Test func anImpossibleDateGivesWayToTheTimeItArrivedWithAWarning() async throws {
        let before = Date()
        let envelope = try #require(
            try await handle(
                privateText.replacingOccurrences(of: "\"date\": 1700000000", with: "\"date\": 9000000000000")
            )
            .envelopes.first)
        #expect(envelope.sentAt >= before && envelope.sentAt <= Date())
        #expect(
            envelope.parseWarnings == ["Telegram gave an impossible time (9000000000000); the time it arrived is shown"]
        )
        #expect(try await handle(privateText).envelopes.first?.parseWarnings == [])
    }

    /// The text is kept exactly, so entity offsets (UTF-16 code units) still point at the right
    /// characters: the fixture's bot_command at offset 11, length 6, is "/start" only in UTF-16.
    @Test func textIsKeptSoUTF16EntityOffsetsStillHold() async throws {
        let envelope = try #require(try await envelope(privateText))
        let utf16 = Array(envelope.text.utf16)
        #expect(String(decoding: utf16[11..<17], as: UTF16.self) == "/start")
        #expect(Array(envelope.text)[10..<16].map(String.init).joined() == "/start")
    }

    @Test func groupMessagesArePublicAndOneThreadPerChat() async throws {
        let supergroup = try #require(try await envelope(supergroupMessage))
        #expect(supergroup.externalID == "-1001234567890:52")
        #expect(supergroup.threadKey == "-1001234567890")
        #expect(supergroup.from.description == "telegram:2222222")
        #expect(supergroup.visibility == .public)
        #expect(supergroup.hints.displayName == "Bruno")
        #expect(supergroup.hints.rawHandle == nil)
        #expect(supergroup.hints.locale == "en")
        let group = try #require(try await envelope(groupMessage))
        #expect(group.threadKey == "-4012345678")
        #expect(group.visibility == .public)
        #expect(group.hints.rawHandle == "@chloe")
        #expect(group.text == "Any news?")
    }

    @Test func photoWithCaptionKeepsTheLargestSize() async throws {
        let envelope = try #require(try await envelope(photoWithCaption))
        #expect(envelope.text == "Arrived broken")
        #expect(envelope.attachments.count == 1)
        let photo = try #require(envelope.attachments.first)
        #expect(photo.url == "telegram-file:AgACAgQAAxkBAAM-x")
        #expect(photo.contentType == "image/jpeg")
        #expect(photo.size == 95301)
    }

    @Test func otherMediaBecomeAttachmentsWithTypeAndSize() async throws {
        let document = try #require(try await envelope(documentMessage))
        #expect(document.text == "")
        #expect(
            document.attachments == [
                Attachment(
                    filename: "invoice 1234.pdf", contentType: "application/pdf", size: 48213,
                    url: "telegram-file:BQACAgQAAxkBAAM-doc")
            ])
        let voice = try #require(try await envelope(voiceMessage))
        #expect(voice.attachments.map(\.contentType) == ["audio/ogg"])
        #expect(voice.attachments.first?.url == "telegram-file:AwACAgQAAxkBAAM-voice")
        let sticker = try #require(try await envelope(stickerMessage))
        #expect(sticker.attachments.map(\.contentType) == ["image/webp"])
        #expect(sticker.text == "Sticker 😀")
        // An animation also carries `document` (for old clients): one attachment, not two.
        let animation = try #require(try await envelope(animationMessage))
        #expect(animation.attachments.count == 1)
        #expect(animation.attachments.first?.filename == "thanks.mp4")
        #expect(animation.attachments.first?.contentType == "video/mp4")
    }

    @Test func locationAndContactBecomeReadableText() async throws {
        let location = try #require(try await envelope(locationMessage))
        #expect(location.text == "Location: 48.858844, 2.294351")
        #expect(location.attachments.isEmpty)
        let contact = try #require(try await envelope(contactMessage))
        #expect(contact.text == "Contact: Marc Dupont, +33612345678")
    }

    @Test func aReplyNamesTheAnsweredMessageInTheSameChat() async throws {
        let envelope = try #require(try await envelope(replyToOurMessage))
        #expect(envelope.externalID == "1111111:1368")
        #expect(envelope.inReplyTo == "1111111:1367")
        #expect(envelope.text == "It is 1234")
    }

    @Test func anEditReplacesTheOriginalUnderItsOwnStableID() async throws {
        let edit = try #require(try await envelope(editedText))
        #expect(edit.externalID == "1111111:1365:edit:10005")
        #expect(edit.replaces == "1111111:1365")
        // The time of the edit, which the hub orders edits by, not the original message's date.
        #expect(edit.sentAt == Date(timeIntervalSince1970: 1_700_000_400))
        #expect(edit.text == "Bonjour 👋 I need help")
        #expect(edit.threadKey == "1111111")
        // The same edit delivered again keeps its id, so it dedups.
        #expect(try await envelope(editedText)?.externalID == edit.externalID)
        // The original it replaces is exactly the id the first version was stored under.
        #expect(try await envelope(privateText)?.externalID == edit.replaces)
    }

    /// edit_date counts seconds: two edits in one second must still be two edits.
    @Test func twoEditsInTheSameSecondKeepApartByUpdateID() async throws {
        let second = editedText.replacingOccurrences(of: #""update_id": 10005"#, with: #""update_id": 10006"#)
            .replacingOccurrences(of: "I need help", with: "I need help now")
        let first = try #require(try await envelope(editedText))
        let next = try #require(try await envelope(second))
        #expect(next.externalID == "1111111:1365:edit:10006")
        #expect(next.externalID != first.externalID)
        #expect(next.replaces == first.replaces)
        #expect(next.sentAt == first.sentAt)
    }

    @Test func botsChannelPostsAndServiceMessagesAreSkipped() async throws {
        for update in [botInGroup, channelPost, memberJoined, #"{"update_id": 10020}"#] {
            let result = try await handle(update)
            #expect(result.envelopes.isEmpty)
            #expect(result.response?.status == 200)
        }
    }

    @Test func aBodyThatIsNoUpdateIsRefusedWith400NamingTheField() async throws {
        do {
            _ = try await handle(#"{"update_id": 1, "message": {"message_id": 2, "date": 3, "text": "x"}}"#)
            Issue.record("accepted a message without chat")
        } catch let error as WebhookRequestError {
            #expect(error.status == 400)
            #expect(error.message.contains("message.chat"))
        }
        await #expect(throws: WebhookRequestError.self) { try await handle("not json") }
    }
}
