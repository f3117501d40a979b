import Foundation
import SwitchboardAdapterKit
import SwitchboardCore
import Testing

/// The dispatcher's channel rules: the 24-hour window, templates, visibility.
struct ReplyRulesTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let whatsapp = ChannelCapabilities(templates: true, replyWindow: .seconds(86_400))

    func message(lastInbound: Date?, template: MessageTemplate? = nil, visibility: Visibility = .private)
        throws -> OutboundMessage
    {
        OutboundMessage(
            messageID: "msg_1", conversationID: "con_1", channel: "wa",
            to: try Address(parsing: "whatsapp:+16315551181"),
            threadKey: "t", text: "hi", visibility: visibility, idempotencyKey: "sb-msg_1", template: template,
            lastInboundAt: lastInbound)
    }

    @Test func insideTheWindowAFreeFormReplyPasses() throws {
        try ReplyRules.check(message(lastInbound: now - 86_000), capabilities: whatsapp, now: now)
    }

    @Test func outsideTheWindowAFreeFormReplyFailsForGoodNamingTheRule() throws {
        let late = try message(lastInbound: now - 90_000)
        do throws(SendError) {
            try ReplyRules.check(late, capabilities: whatsapp, now: now)
            Issue.record("a reply 25 hours later passed")
        } catch {
            #expect(error.code == .permanent)
            #expect(error.message.contains("outside the 24-hour customer-service window"))
            #expect(error.message.contains("template"))
        }
        let unprompted = try message(lastInbound: nil)
        do throws(SendError) {
            try ReplyRules.check(unprompted, capabilities: whatsapp, now: now)
            Issue.record("a reply to a customer who never wrote passed")
        } catch {
            #expect(error.message.contains("within 24 hours"))
        }
    }

    @Test func aTemplatePassesOutsideTheWindowButNotWhereThereAreNoTemplates() throws {
        let template = MessageTemplate(name: "order_update", language: "en_US")
        try ReplyRules.check(message(lastInbound: now - 900_000, template: template), capabilities: whatsapp, now: now)
        #expect(throws: SendError.self) {
            try ReplyRules.check(message(lastInbound: now, template: template), capabilities: .init(), now: now)
        }
    }

    @Test func aVisibilityTheChannelDoesNotCarryIsRefused() throws {
        #expect(throws: SendError.self) {
            try ReplyRules.check(message(lastInbound: now, visibility: .public), capabilities: .init(), now: now)
        }
        try ReplyRules.check(message(lastInbound: now), capabilities: .init(), now: now)
    }
}

extension ReplyRulesTests {
    @Test func aPublicReplyUnderACommentHasNoWindow() throws {
        try ReplyRules.check(
            message(lastInbound: now - 900_000, visibility: .public),
            capabilities: ChannelCapabilities(visibilities: [.public, .private], replyWindow: .seconds(86_400)),
            now: now)
    }
}
