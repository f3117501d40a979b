import Foundation
import SwitchboardAdapterKit
import Testing

@testable import TwilioAdapter

struct TwilioInboundTests {
    func handle(_ path: String, _ parameters: [(name: String, value: String)]) async throws -> WebhookResult {
        let route = try #require(makeAdapter().webhookRoutes.first { $0.path == path })
        let request = twilioRequest(path, parameters)
        try route.verify(request)
        return try await route.handle(request)
    }

    @Test func smsBecomesAnEnvelopeKeyedByMessageSid() async throws {
        let result = try await handle("/sms", inboundSMS)
        let envelope = try #require(result.envelopes.first)
        #expect(envelope.externalID == "SM0123456789abcdef0123456789abcdef")
        #expect(envelope.from.description == "tel:+14155550100")
        #expect(envelope.to?.description == "tel:+15005550006")
        #expect(envelope.text == "Hello é world")
        #expect(envelope.threadKey == "tel:+14155550100|tel:+15005550006")
        #expect(envelope.hints.rawHandle == nil)
        #expect(envelope.raw?.contentType == "application/x-www-form-urlencoded")
        // Empty TwiML: Twilio sends nothing back on its own.
        let response = try #require(result.response)
        #expect(response.contentType == "text/xml")
        #expect(String(decoding: response.body, as: UTF8.self).contains("<Response/>"))
    }

    /// MMS: NumMedia with MediaUrl{N}/MediaContentType{N} (Twilio's webhook-request page).
    @Test func mediaURLsBecomeAttachments() async throws {
        var parameters = inboundSMS.filter { $0.name != "NumMedia" && $0.name != "Body" }
        parameters += [
            ("NumMedia", "2"), ("Body", ""),
            ("MediaUrl0", "https://api.twilio.com/2010-04-01/Accounts/\(accountSID)/Messages/MM1/Media/ME1"),
            ("MediaContentType0", "image/jpeg"),
            ("MediaUrl1", "https://api.twilio.com/2010-04-01/Accounts/\(accountSID)/Messages/MM1/Media/ME2"),
            ("MediaContentType1", "application/pdf"),
        ]
        let envelope = try #require(try await handle("/sms", parameters).envelopes.first)
        #expect(envelope.attachments.map(\.contentType) == ["image/jpeg", "application/pdf"])
        #expect(envelope.attachments.first?.url?.hasSuffix("/Media/ME1") == true)
    }

    @Test func mediaCountWithoutURLsIsRefused() async throws {
        var parameters = inboundSMS.filter { $0.name != "NumMedia" }
        parameters.append(("NumMedia", "1"))
        await #expect(throws: WebhookRequestError.self) { try await handle("/sms", parameters) }
    }

    /// WhatsApp through Twilio: `whatsapp:`-prefixed From/To, ProfileName and WaId
    /// (https://www.twilio.com/docs/messaging/guides/webhook-request#whatsapp-specific-parameters).
    @Test func whatsappSenderBecomesAWhatsAppAddress() async throws {
        let parameters: [(name: String, value: String)] = [
            ("MessageSid", "SM1111111111abcdef0123456789abcdef"), ("AccountSid", accountSID),
            ("From", "whatsapp:+5511987654321"), ("To", "whatsapp:+14155238886"), ("Body", "Oi"), ("NumMedia", "0"),
            ("ProfileName", "Ana"), ("WaId", "5511987654321"), ("ApiVersion", "2010-04-01"),
        ]
        let envelope = try #require(try await handle("/sms", parameters).envelopes.first)
        #expect(envelope.from.description == "whatsapp:+5511987654321")
        #expect(envelope.hints.displayName == "Ana")
        #expect(envelope.hints.rawHandle == nil)
    }

    /// Brazil's old 8-digit mobile format: the same phone as its 9-digit form.
    @Test func oldBrazilianMobileGetsItsNinthDigit() async throws {
        var parameters = inboundSMS.filter { $0.name != "From" }
        parameters.append(("From", "whatsapp:+551187654321"))
        let envelope = try #require(try await handle("/sms", parameters).envelopes.first)
        #expect(envelope.from.description == "whatsapp:+5511987654321")
        #expect(envelope.hints.rawHandle == "whatsapp:+551187654321")
    }

    @Test func missingFieldsAreNamed() async throws {
        do {
            _ = try await handle("/sms", inboundSMS.filter { $0.name != "MessageSid" })
            Issue.record("accepted without MessageSid")
        } catch let error as WebhookRequestError {
            #expect(error.message.contains("MessageSid"))
        }
        do {
            var parameters = inboundSMS.filter { $0.name != "From" }
            parameters.append(("From", "not a number"))
            _ = try await handle("/sms", parameters)
            Issue.record("accepted a From that is no number")
        } catch let error as WebhookRequestError {
            #expect(error.message.contains("From"))
        }
    }

    /// Status callback parameters (https://www.twilio.com/docs/messaging/guides/track-outbound-message-status).
    @Test func statusCallbacksMapToDeliveryStates() async throws {
        func status(_ name: String, error: String? = nil) async throws -> [StatusUpdate] {
            var parameters: [(name: String, value: String)] = [
                ("AccountSid", accountSID), ("From", "+15005550006"), ("MessageSid", "SM9"), ("MessageStatus", name),
                ("SmsSid", "SM9"), ("SmsStatus", name), ("To", "+14155550100"), ("ApiVersion", "2010-04-01"),
            ]
            if let error { parameters.append(("ErrorCode", error)) }
            return try await handle("/status", parameters).statusUpdates
        }
        #expect(try await status("queued").map(\.status) == [.queued])
        #expect(try await status("sent").map(\.status) == [.sent])
        #expect(try await status("delivered").map(\.status) == [.delivered])
        #expect(try await status("read").map(\.status) == [.read])
        let undelivered = try #require(try await status("undelivered", error: "30003").first)
        #expect(undelivered.status.name == "failed")
        #expect(undelivered.status.reason?.contains("30003") == true)
        #expect(undelivered.status.reason?.contains("unreachable") == true)
        #expect(try await status("failed", error: "30007").first?.status.reason?.contains("spam") == true)
        #expect(try await status("received").isEmpty)
        await #expect(throws: WebhookRequestError.self) { try await status("exploded") }
    }
}
