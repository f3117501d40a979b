import Foundation
import SwitchboardAdapterKit
import Testing

@testable import MetaAdapter

@Suite struct WhatsAppInboundTests {
    func receive(_ json: String) async throws -> WebhookResult {
        try await deliver(signedPost(json), to: whatsApp().webhookRoutes)
    }

    @Test func olderPayloadWithoutBSUIDIsAddressedByNumber() async throws {
        let envelope = try #require(try await receive(whatsappText).envelopes.first)
        #expect(envelope.externalID == "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=")
        #expect(envelope.from.description == "whatsapp:+16505551234")
        #expect(envelope.to?.description == "whatsapp:+15550783881")
        #expect(envelope.threadKey == "106540352242922|whatsapp:+16505551234")
        #expect(envelope.visibility == .private)
        #expect(envelope.text == "Does it come in another color?")
        #expect(envelope.hints.displayName == "Sheena Nelson")
        #expect(envelope.hints.aliases.isEmpty)
        #expect(envelope.sentAt == Date(timeIntervalSince1970: 1_749_416_383))
        #expect(envelope.raw?.bytes == Array(whatsappText.utf8))
    }

    @Test func bsuidIsTheSenderAndTheNumberAnAlias() async throws {
        let envelope = try #require(try await receive(whatsappTextWithBSUID).envelopes.first)
        #expect(envelope.from.description == "whatsapp-user:US.13491208655302741918")
        #expect(envelope.hints.aliases.map(\.description) == ["whatsapp:+16505551234"])
        #expect(envelope.threadKey == "106540352242922|whatsapp-user:US.13491208655302741918")
        #expect(envelope.hints.displayName == "Sheena Nelson")
    }

    @Test func usernameUserWithoutNumberHasNoAlias() async throws {
        let envelope = try #require(try await receive(whatsappUsernameUser).envelopes.first)
        #expect(envelope.from.description == "whatsapp-user:US.13491208655302741918")
        #expect(envelope.hints.aliases.isEmpty)
        #expect(envelope.text == "Hi, it's me again")
    }

    @Test func mediaBecomesAttachmentsNamingTheGraphMediaObject() async throws {
        let envelopes = try await receive(whatsappMedia).envelopes
        #expect(envelopes.count == 2)
        let image = try #require(envelopes.first?.attachments.first)
        #expect(envelopes.first?.text == "Best summer ever!")
        #expect(image.contentType == "image/jpeg")
        #expect(image.url == "http://graph.test/v23.0/1003383421387256")
        #expect(image.filename == nil)
        let document = try #require(envelopes.last?.attachments.first)
        #expect(document.filename == "lucky-shrub-invoice.pdf")
        #expect(document.contentType == "application/pdf")
        #expect(envelopes.last?.text == "Lucky Shrub Invoice")
    }

    @Test func locationIsOneReadableLine() async throws {
        let envelope = try #require(try await receive(whatsappLocation).envelopes.first)
        #expect(
            envelope.text
                == "Location: 37.44216251868683, -122.16153582049394 (Philz Coffee, 101 Forest Ave, Palo Alto, CA 94301)"
        )
    }

    @Test func interactiveRepliesBecomeTheirTitlesAndAnswerTheirContext() async throws {
        let envelopes = try await receive(whatsappInteractive).envelopes
        #expect(envelopes.map(\.text) == ["Change", "Priority Mail Express", "Unsubscribe from Promos"])
        #expect(envelopes.first?.inReplyTo == "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3NTFEMkY3MUM5QzY5RTg1RjQA")
        #expect(envelopes.last?.inReplyTo == "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3NTFEMkY3MUM5QzY5RTg1RjYA")
        #expect(envelopes.allSatisfy { $0.parseWarnings.isEmpty })
    }

    @Test func reactionsAndUnsupportedTypesAreKeptWithWarnings() async throws {
        let envelopes = try await receive(whatsappReactionAndUnsupported).envelopes
        #expect(envelopes.count == 2)
        #expect(envelopes[0].text == "[reacted 😀]")
        #expect(envelopes[0].inReplyTo == "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3NTFEMkY3MUM5QzY5RTg1RjQA")
        #expect(envelopes[0].parseWarnings.count == 1)
        #expect(envelopes[1].text == "[unsupported WhatsApp message: unsupported]")
        #expect(envelopes[1].parseWarnings.first?.contains("131051") == true)
    }

    @Test func statusesBecomeUpdatesWithTheFailureReason() async throws {
        let result = try await receive(whatsappStatuses)
        #expect(result.envelopes.isEmpty)
        #expect(result.statusUpdates.map(\.status.name) == ["sent", "delivered", "read", "failed"])
        #expect(result.statusUpdates[0].externalID == "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MTE5MjVBOTE3MDk5QUVFM0YA")
        #expect(result.statusUpdates[1].at == Date(timeIntervalSince1970: 1_750_263_774))
        let reason = try #require(result.statusUpdates[3].status.reason)
        #expect(reason.contains("131050"))
        #expect(reason.contains("stop receiving marketing messages"))
    }

    @Test func onlyTheConfiguredNumberIsTakenAndEveryMessageIsReturned() async throws {
        let envelopes = try await receive(whatsappTwoNumbers).envelopes
        #expect(envelopes.map(\.externalID) == ["wamid.ONE", "wamid.TWO"])
        #expect(envelopes.map(\.from.description) == ["whatsapp:+16505551234", "whatsapp:+5511987654321"])
        #expect(envelopes.map(\.hints.displayName) == ["Sheena Nelson", "Ana"])
    }

    @Test func aMessageWithoutAnySenderIsRefused() async throws {
        let json = whatsappUsernameUser.replacingOccurrences(
            of: #""from_user_id":"US.13491208655302741918","#, with: ""
        )
        .replacingOccurrences(of: #","user_id":"US.13491208655302741918""#, with: "")
        await #expect(throws: WebhookRequestError.self) { _ = try await receive(json) }
    }
}

/// One unreadable item in a batch is skipped with its reason; the rest of the batch is taken.
@Suite struct WhatsAppBatchTests {
    @Test func anUnreadableMessageIsSkippedAndTheRestOfTheBatchIsTaken() async throws {
        // The batch fixture with its second message's id removed (a message Switchboard cannot key).
        let damaged = whatsappTwoNumbers.replacingOccurrences(of: #""id":"wamid.TWO","#, with: "")
        let result = try await deliver(signedPost(damaged), to: whatsApp().webhookRoutes)
        #expect(result.envelopes.map(\.externalID) == ["wamid.ONE"])
        #expect(result.skipped.count == 1)
        #expect(result.skipped.first?.contains("has no 'id'") == true)
    }

    @Test func aBatchWithNothingReadableIsStillA400() async throws {
        let damaged = whatsappText.replacingOccurrences(
            of: #""id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=","#, with: "")
        await #expect(throws: WebhookRequestError.self) {
            _ = try await deliver(signedPost(damaged), to: whatsApp().webhookRoutes)
        }
    }
}
