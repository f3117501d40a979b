import Foundation
import SwitchboardAdapterKit
import Testing

@testable import MetaAdapter

@Suite struct MessagingInboundTests {
    @Test func messengerTextIsFromThePageScopedAddress() async throws {
        let result = try await deliver(signedPost(messengerText), to: messenger().webhookRoutes)
        let envelope = try #require(result.envelopes.first)
        #expect(envelope.externalID == "m_toDnmD9N5nLbmKB2OgK0pFSwQcBz6z7XE2Ujgj_L0Uoq_Ad9JZqG7VN-uy8w")
        #expect(envelope.from.description == "messenger:1234567890/5551234567890123")
        #expect(envelope.threadKey == "messenger:1234567890/5551234567890123")
        #expect(envelope.visibility == .private)
        #expect(envelope.text == "This is a text message")
        #expect(envelope.sentAt == Date(timeIntervalSince1970: 1_583_173_666.767))
        #expect(envelope.hints.verifiedAddresses.isEmpty)
    }

    @Test func attachmentsQuickRepliesAndRepliesAreRead() async throws {
        let envelopes = try await deliver(signedPost(messengerVariants), to: messenger().webhookRoutes).envelopes
        #expect(envelopes.map(\.externalID) == ["m_attachment1", "m_quickreply1", "m_reply1"])
        let image = try #require(envelopes[0].attachments.first)
        #expect(image.url == "https://scontent.xx.fbcdn.net/v/t1.15752-9/image.png")
        #expect(image.contentType == "image/*")
        #expect(envelopes[1].text == "Red")
        #expect(envelopes[1].hints.verifiedAddresses.isEmpty)
        #expect(envelopes[2].inReplyTo == "m_original1")
    }

    @Test func emailQuickReplyIsAVerifiedAddress() async throws {
        let envelope = try #require(
            try await deliver(signedPost(messengerEmailQuickReply), to: messenger().webhookRoutes).envelopes.first)
        #expect(envelope.hints.verifiedAddresses.map(\.description) == ["email:ana@example.com"])
    }

    @Test func echoesAreNotImported() async throws {
        let result = try await deliver(signedPost(messengerEcho), to: messenger().webhookRoutes)
        #expect(result.envelopes.isEmpty)
        #expect(result.statusUpdates.isEmpty)
    }

    @Test func deliveriesBecomeUpdatesAndWatermarkReadsAreSkipped() async throws {
        let result = try await deliver(signedPost(messengerDeliveryAndRead), to: messenger().webhookRoutes)
        #expect(result.envelopes.isEmpty)
        let update = try #require(result.statusUpdates.first)
        #expect(result.statusUpdates.count == 1)
        #expect(update.externalID == "mid.1458668856218:ed81099e15d3f4f233")
        #expect(update.status == .delivered)
        #expect(update.at == Date(timeIntervalSince1970: 1_458_668_856.253))
    }

    @Test func anotherPagesEventsAreIgnored() async throws {
        let json = messengerText.replacingOccurrences(of: #""id":"1234567890","time""#, with: #""id":"999","time""#)
        let result = try await deliver(signedPost(json), to: messenger().webhookRoutes)
        #expect(result.envelopes.isEmpty)
    }

    @Test func instagramMessagesEchoesAndSeen() async throws {
        let result = try await deliver(signedPost(instagramMessages), to: instagram().webhookRoutes)
        #expect(result.envelopes.count == 2)
        let text = result.envelopes[0]
        #expect(text.from.description == "instagram:17841400000000001/6661234567890123")
        #expect(text.threadKey == "instagram:17841400000000001/6661234567890123")
        #expect(text.externalID == "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDAw")
        #expect(text.text == "Is this still available?")
        #expect(
            result.envelopes[1].attachments.first?.url == "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1")
        #expect(result.envelopes[1].inReplyTo == "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDA5")
        #expect(!result.envelopes.contains { $0.text == "Yes it is!" })
        #expect(
            result.statusUpdates == [
                StatusUpdate(
                    channel: "instagram", externalID: "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDAy", status: .read,
                    at: Date(timeIntervalSince1970: 1_520_383_574))
            ])
    }

    @Test func instagramRefusesMessengerPayloads() async throws {
        await #expect(throws: WebhookRequestError.self) {
            _ = try await deliver(signedPost(messengerText), to: instagram().webhookRoutes)
        }
    }
}
