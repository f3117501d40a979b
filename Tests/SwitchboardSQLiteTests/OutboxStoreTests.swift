import Foundation
import SwitchboardAdapterKit
import SwitchboardCore
import SwitchboardSQLite
import Testing

struct OutboxStoreTests {
    func conversation(_ fixture: StoreFixture) async throws -> Conversation {
        try await fixture.stored(try envelope("in-1", from: "email:ana@example.com", thread: "t-1")).conversation
    }

    @Test func aReplyIsAMessageAndAJobWrittenTogetherAndClaimedOnce() async throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let conversation = try await conversation(fixture)
        let reply = try await store.enqueueReply(
            ReplyRequest(conversationID: conversation.id, text: " Hello Ana ", author: "Bo"))
        #expect(reply.direction == .outbound && reply.deliveryStatus == "queued" && reply.text == "Hello Ana")
        #expect(reply.subject == "Re: Subject in-1")
        #expect(try await fixture.count("outbox") == 1)

        let claimed = try await store.claimDue(now: Date(), limit: 10, lease: .seconds(60))
        #expect(claimed.count == 1)
        let item = try #require(claimed.first)
        #expect(item.message.to.description == "email:ana@example.com")
        #expect(item.message.threadKey == "t-1")
        #expect(item.message.inReplyTo == "in-1")
        #expect(item.message.idempotencyKey == "sb-\(reply.id)")
        #expect(try await store.claimDue(now: Date(), limit: 10, lease: .seconds(60)).isEmpty, "leased")
        #expect(
            try await store.claimDue(now: Date().addingTimeInterval(61), limit: 10, lease: .seconds(60)).count == 1,
            "lease expired")

        try await store.markSent(item, receipt: SendReceipt(externalID: "remote-1"))
        #expect(try await store.message(id: reply.id)?.deliveryStatus == "sent")
        #expect(try await store.message(id: reply.id)?.externalID == "remote-1")
        #expect(try await store.claimDue(now: Date().addingTimeInterval(3600), limit: 10, lease: .seconds(60)).isEmpty)

        #expect(
            try await store.apply([StatusUpdate(channel: "shop", externalID: "remote-1", status: .read, at: Date())])
                == 1)
        #expect(
            try await store.apply([
                StatusUpdate(channel: "shop", externalID: "remote-1", status: .delivered, at: Date())
            ]) == 1)
        #expect(
            try await store.apply([StatusUpdate(channel: "shop", externalID: "unknown", status: .read, at: Date())])
                == 0)
        let message = try #require(try await store.message(id: reply.id))
        #expect(message.deliveryStatus == "read", "a late 'delivered' does not overwrite 'read'")
        #expect(message.statusHistory.map(\.status) == ["queued", "sent", "read", "delivered"])
        let detail = try await store.conversation(id: conversation.id)
        #expect(detail?.firstResponseAt != nil)
    }

    @Test func failuresRetryThenDeadLetterVisiblyAndAnAgentCanRetry() async throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let conversation = try await conversation(fixture)
        let reply = try await store.enqueueReply(
            ReplyRequest(conversationID: conversation.id, text: "Hi", author: "Bo"))
        var item = try #require(try await store.claimDue(now: Date(), limit: 1, lease: .seconds(60)).first)
        try await store.markFailed(
            item, error: SendError(.transient, "503 from the channel"), retryAt: Date().addingTimeInterval(-1))
        item = try #require(try await store.claimDue(now: Date(), limit: 1, lease: .seconds(60)).first)
        #expect(item.attempts == 1)
        #expect(item.lastError == "transient: 503 from the channel")
        try await store.markFailed(item, error: SendError(.permanent, "number blocked"), retryAt: nil)

        let message = try #require(try await store.message(id: reply.id))
        #expect(message.deliveryStatus == "failed")
        #expect(message.statusHistory.last?.detail?.contains("number blocked") == true)
        #expect(try await store.deadLetters().map(\.message.messageID) == [reply.id])
        #expect(try await store.claimDue(now: Date().addingTimeInterval(3600), limit: 10, lease: .seconds(60)).isEmpty)

        #expect(try await store.retry(messageID: reply.id))
        #expect(try await store.retry(messageID: reply.id) == false, "only a dead-lettered reply can be retried")
        #expect(try await store.message(id: reply.id)?.deliveryStatus == "queued")
        let again = try #require(try await store.claimDue(now: Date(), limit: 1, lease: .seconds(60)).first)
        #expect(again.attempts == 0)
        #expect(try await store.deadLetters().isEmpty)
    }

    @Test func badRepliesAreRefused() async throws {
        let fixture = try StoreFixture()
        let conversation = try await conversation(fixture)
        await #expect(throws: StoreError.self) {
            _ = try await fixture.store.enqueueReply(
                ReplyRequest(conversationID: conversation.id, text: "  \n", author: "Bo"))
        }
        do {
            _ = try await fixture.store.enqueueReply(
                ReplyRequest(conversationID: "con_missing", text: "Hi", author: "Bo"))
            Issue.record("replied to a conversation that does not exist")
        } catch let error as StoreError {
            #expect(error.code == .notFound)
        }
        #expect(try await fixture.count("outbox") == 0)
        #expect(try await fixture.count("messages") == 1)
    }
}
