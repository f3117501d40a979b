import Foundation
import SwitchboardAdapterKit
import SwitchboardCore
import SwitchboardSQLStore
import SwitchboardSQLite
import Testing

/// Replies take the visibility of the customer's latest message unless the agent chooses; moving
/// a public conversation to private posts the public notice and the DM in one step; templates and
/// the time of the customer's last message reach the adapter.
struct ReplyVisibilityTests {
    func publicMention(_ store: SQLStore) async throws -> StoredMessage {
        var mention = try inbound("1900", from: "x:7", channel: "x", thread: "post:1900", text: "@acme my order?")
        mention.visibility = .public
        return try await store.ingestOne(mention)
    }

    @Test func aReplyToAMentionIsPublicAndAnswersIt() async throws {
        try await withTemporaryStore { store in
            let mention = try await publicMention(store)
            let reply = try await store.enqueueReply(
                ReplyRequest(conversationID: mention.conversation.id, text: "Looking into it", author: "Bo"))
            #expect(reply.visibility == .public)
            let item = try #require(try await store.claimDue(now: Date(), limit: 10, lease: .seconds(60)).first)
            #expect(item.message.visibility == .public)
            #expect(item.message.inReplyTo == "1900")
            #expect(item.message.lastInboundAt == baseTime)
        }
    }

    @Test func movingToPrivateQueuesThePublicNoticeThenTheDM() async throws {
        try await withTemporaryStore { store in
            let mention = try await publicMention(store)
            let dm = try await store.enqueueReply(
                ReplyRequest(
                    conversationID: mention.conversation.id, text: "Your order number, please?", author: "Bo",
                    visibility: .private, publicNotice: "We've sent you a DM"))
            #expect(dm.visibility == .private)
            let items = try await store.claimDue(now: Date().addingTimeInterval(1), limit: 10, lease: .seconds(60))
            #expect(items.map(\.message.visibility) == [.public, .private])
            #expect(items.map(\.message.text) == ["We've sent you a DM", "Your order number, please?"])
            let messages = try await store.messages(conversationID: mention.conversation.id)
            #expect(messages.count == 3)
        }
    }

    @Test func aPublicNoticeOnAPrivateConversationIsRefusedAndNothingIsQueued() async throws {
        try await withTemporaryStore { store in
            let dm = try await store.ingestOne(try inbound("dm:1", from: "x:7", channel: "x", thread: "dm:7"))
            await #expect(throws: StoreError.self) {
                try await store.enqueueReply(
                    ReplyRequest(
                        conversationID: dm.conversation.id, text: "hi", author: "Bo", visibility: .private,
                        publicNotice: "We've sent you a DM"))
            }
            #expect(try await store.messages(conversationID: dm.conversation.id).count == 1)
            #expect(try await store.claimDue(now: Date(), limit: 10, lease: .seconds(60)).isEmpty)
        }
    }

    @Test func aPublicReplyToAPrivateConversationIsRefused() async throws {
        try await withTemporaryStore { store in
            let dm = try await store.ingestOne(try inbound("dm:1", from: "x:7", channel: "x", thread: "dm:7"))
            await #expect(throws: StoreError.self) {
                try await store.enqueueReply(
                    ReplyRequest(conversationID: dm.conversation.id, text: "hi", author: "Bo", visibility: .public))
            }
            #expect(try await store.claimDue(now: Date(), limit: 10, lease: .seconds(60)).isEmpty)
        }
    }

    @Test func aTemplateReplyCarriesTheTemplateAndShowsItsSummary() async throws {
        try await withTemporaryStore { store in
            let chat = try await store.ingestOne(try inbound("wamid.1", from: "whatsapp:+16315551181", channel: "wa"))
            let template = MessageTemplate(name: "order_update", language: "en_US", parameters: ["A-17", "Friday"])
            let reply = try await store.enqueueReply(
                ReplyRequest(conversationID: chat.conversation.id, text: "", author: "Bo", template: template))
            #expect(reply.text == "[template order_update (en_US): A-17, Friday]")
            let item = try #require(try await store.claimDue(now: Date(), limit: 10, lease: .seconds(60)).first)
            #expect(item.message.template == template)
        }
    }

    @Test func anEmptyReplyWithoutATemplateIsRefused() async throws {
        try await withTemporaryStore { store in
            let chat = try await store.ingestOne(try inbound("wamid.1", from: "whatsapp:+16315551181", channel: "wa"))
            await #expect(throws: StoreError.self) {
                try await store.enqueueReply(
                    ReplyRequest(conversationID: chat.conversation.id, text: " ", author: "Bo"))
            }
        }
    }
}
