import Foundation
import SwitchboardAdapterKit
import SwitchboardCore
import SwitchboardSQLStore
import SwitchboardSQLite
import Testing

struct OutboxTests {
    /// A conversation with two inbound messages; returns its id.
    func conversation(_ store: SQLStore, subject: String? = "Order 42") async throws -> StoredMessage {
        _ = try await store.ingestOne(
            try inbound("in-1", from: "email:ana@example.com", channel: "mail", subject: subject, at: baseTime))
        return try await store.ingestOne(
            try inbound(
                "in-2", from: "email:ana@example.com", channel: "mail", subject: subject,
                at: baseTime.addingTimeInterval(60)))
    }

    /// Claims everything due a little in the future (so the item just queued is certainly due).
    func claim(_ store: SQLStore, at now: Date = Date().addingTimeInterval(1), lease: Duration = .seconds(60))
        async throws -> [OutboxItem]
    {
        try await store.claimDue(now: now, limit: 10, lease: lease)
    }

    @Test func aReplyIsQueuedWithItsOutboxRowInOneGo() async throws {
        try await withTemporaryStore { store in
            let inbound = try await conversation(store)
            let reply = try await store.enqueueReply(
                ReplyRequest(conversationID: inbound.conversation.id, text: "  On its way!  ", author: "Bob"))
            #expect(reply.direction == .outbound && reply.deliveryStatus == "queued")
            #expect(reply.text == "On its way!")
            #expect(reply.author == "Bob" && reply.externalID == nil)
            #expect(reply.subject == "Re: Order 42")
            #expect(reply.inReplyTo == "in-2", "answers the latest inbound message")
            #expect(reply.customerID == inbound.conversation.customerID)
            #expect(reply.statusHistory.map(\.status) == ["queued"])
            let counts = try await store.counts()
            #expect(counts["messages"] == 3 && counts["outbox"] == 1)

            let read = try #require(try await store.message(id: reply.id))
            #expect(read.direction == .outbound && read.deliveryStatus == "queued")
            #expect(read.statusHistory.map(\.status) == ["queued"])
            #expect(try await store.timelineMessages(inbound.conversation.customerID).first?.id == reply.id)
            let conversation = try #require(try await store.conversation(id: inbound.conversation.id))
            #expect(conversation.firstResponseAt != nil)
        }
    }

    @Test func anExistingReplyPrefixIsNotDoubled() async throws {
        try await withTemporaryStore { store in
            let inbound = try await conversation(store, subject: "RE: Invoice")
            let reply = try await store.enqueueReply(
                ReplyRequest(conversationID: inbound.conversation.id, text: "ok", author: "Bob"))
            #expect(reply.subject == "RE: Invoice")
            let custom = try await store.enqueueReply(
                ReplyRequest(conversationID: inbound.conversation.id, text: "ok", author: "Bob", subject: "Custom"))
            #expect(custom.subject == "Custom")
        }
    }

    @Test func aQueuedReplyIsClaimedOnceWhileLeased() async throws {
        try await withTemporaryStore { store in
            let inbound = try await conversation(store)
            let reply = try await store.enqueueReply(
                ReplyRequest(conversationID: inbound.conversation.id, text: "hi", author: "Bob"))
            let now = Date().addingTimeInterval(1)
            let items = try await claim(store, at: now, lease: .seconds(60))
            #expect(items.count == 1)
            let item = try #require(items.first)
            #expect(item.attempts == 0 && item.lastError == nil)
            #expect(item.message.messageID == reply.id)
            #expect(item.message.conversationID == inbound.conversation.id)
            #expect(item.message.channel == "mail")
            #expect(item.message.to == (try parseAddress("email:ana@example.com")))
            #expect(item.message.threadKey == inbound.conversation.threadKey)
            #expect(item.message.idempotencyKey == "sb-\(reply.id)")
            #expect(item.message.inReplyTo == "in-2" && item.message.author == "Bob")

            #expect(try await claim(store, at: now).isEmpty, "leased: a second dispatcher gets nothing")
            #expect(try await claim(store, at: now.addingTimeInterval(59)).isEmpty)
            #expect(try await claim(store, at: now.addingTimeInterval(61)).map(\.id) == [item.id], "lease expired")
        }
    }

    @Test func aSubSecondLeaseIsHonoured() async throws {
        try await withTemporaryStore { store in
            let inbound = try await conversation(store)
            _ = try await store.enqueueReply(
                ReplyRequest(conversationID: inbound.conversation.id, text: "hi", author: "B"))
            let now = Date().addingTimeInterval(1)
            #expect(try await claim(store, at: now, lease: .milliseconds(1500)).count == 1)
            #expect(try await claim(store, at: now.addingTimeInterval(1.2)).isEmpty, "leased for 1.5 s, not 1 s")
        }
    }

    @Test func markSentRecordsTheChannelIDAndStatus() async throws {
        try await withTemporaryStore { store in
            let inbound = try await conversation(store)
            let reply = try await store.enqueueReply(
                ReplyRequest(conversationID: inbound.conversation.id, text: "hi", author: "Bob"))
            let item = try #require(try await claim(store).first)
            try await store.markSent(item, receipt: SendReceipt(externalID: "ext-77", acceptedAt: baseTime))
            let sent = try #require(try await store.message(id: reply.id))
            #expect(sent.externalID == "ext-77" && sent.deliveryStatus == "sent")
            #expect(sent.statusHistory.map(\.status).sorted() == ["queued", "sent"])
            #expect(try await claim(store, at: Date().addingTimeInterval(3600)).isEmpty, "sent items are done")
            #expect(try await store.deadLetters().isEmpty)
        }
    }

    @Test func statusUpdatesAppendHistoryAndNeverRegress() async throws {
        try await withTemporaryStore { store in
            let inbound = try await conversation(store)
            let reply = try await store.enqueueReply(
                ReplyRequest(conversationID: inbound.conversation.id, text: "hi", author: "Bob"))
            let item = try #require(try await claim(store).first)
            let sentAt = Date().addingTimeInterval(2)
            try await store.markSent(item, receipt: SendReceipt(externalID: "wamid.1", acceptedAt: sentAt))

            func update(
                _ status: DeliveryStatus, _ seconds: Double, channel: ChannelID = "mail", id: String = "wamid.1"
            )
                -> StatusUpdate
            {
                StatusUpdate(channel: channel, externalID: id, status: status, at: sentAt.addingTimeInterval(seconds))
            }
            #expect(try await store.apply([update(.delivered, 1)]).count == 1)
            var message = try #require(try await store.message(id: reply.id))
            #expect(message.deliveryStatus == "delivered")
            #expect(message.statusHistory.map(\.status) == ["queued", "sent", "delivered"])

            #expect(try await store.apply([update(.read, 2)]).count == 1)
            #expect(
                try await store.apply([update(.sent, 3), update(.delivered, 4)]).count == 2, "late reports still count")
            message = try #require(try await store.message(id: reply.id))
            #expect(message.deliveryStatus == "read", "a late sent or delivered does not regress read")
            #expect(
                message.statusHistory.map(\.status) == ["queued", "sent", "delivered", "read", "sent", "delivered"])

            #expect(try await store.apply([update(.delivered, 5, id: "unknown")]).count == 0)
            #expect(try await store.apply([update(.delivered, 5, channel: "other")]).count == 0, "ids are per channel")
            // Inbound messages are not ours to report on.
            #expect(try await store.apply([update(.read, 6, id: "in-1")]).count == 0)
        }
    }

    @Test func aFailureWithARetryTimeKeepsTheReplyQueued() async throws {
        try await withTemporaryStore { store in
            let inbound = try await conversation(store)
            let reply = try await store.enqueueReply(
                ReplyRequest(conversationID: inbound.conversation.id, text: "hi", author: "Bob"))
            let item = try #require(try await claim(store).first)
            let retryAt = Date().addingTimeInterval(600)
            try await store.markFailed(item, error: SendError(.transient, "HTTP 503"), retryAt: retryAt)

            let message = try #require(try await store.message(id: reply.id))
            #expect(message.deliveryStatus == "queued")
            #expect(message.statusHistory.count == 2)
            #expect(message.statusHistory.last?.detail?.contains("HTTP 503") == true)
            #expect(try await store.deadLetters().isEmpty)
            #expect(try await claim(store, at: retryAt.addingTimeInterval(-5)).isEmpty, "not before its time")
            let again = try #require(try await claim(store, at: retryAt.addingTimeInterval(1)).first)
            #expect(again.id == item.id && again.attempts == 1)
            #expect(again.lastError?.contains("HTTP 503") == true)
        }
    }

    @Test func aFailureWithoutRetryDeadLettersVisiblyAndCanBeRetried() async throws {
        try await withTemporaryStore { store in
            let inbound = try await conversation(store)
            let reply = try await store.enqueueReply(
                ReplyRequest(conversationID: inbound.conversation.id, text: "hi", author: "Bob"))
            let item = try #require(try await claim(store).first)
            try await store.markFailed(item, error: SendError(.invalidRecipient, "no such mailbox"), retryAt: nil)

            let failed = try #require(try await store.message(id: reply.id))
            #expect(failed.deliveryStatus == "failed")
            let last = try #require(failed.statusHistory.last)
            #expect(last.status == "failed" && last.detail?.contains("no such mailbox") == true)
            let dead = try await store.deadLetters()
            #expect(dead.map(\.message.messageID) == [reply.id])
            #expect(dead.first?.attempts == 1 && dead.first?.lastError?.contains("no such mailbox") == true)
            #expect(try await claim(store, at: Date().addingTimeInterval(86_400)).isEmpty, "dead items are not sent")

            #expect(try await store.retry(messageID: reply.id))
            #expect(try await store.deadLetters().isEmpty)
            let requeued = try #require(try await store.message(id: reply.id))
            #expect(requeued.deliveryStatus == "queued")
            #expect(requeued.statusHistory.last?.status == "queued")
            let again = try #require(try await claim(store).first)
            #expect(again.message.messageID == reply.id && again.attempts == 0)
            #expect(try await store.retry(messageID: reply.id) == false, "only dead items can be retried")
            #expect(try await store.retry(messageID: "msg_nope") == false)
        }
    }

    @Test func aChannelIDAlreadyTakenIsRecordedNotFatal() async throws {
        try await withTemporaryStore { store in
            let inbound = try await conversation(store)
            for text in ["one", "two"] {
                _ = try await store.enqueueReply(
                    ReplyRequest(conversationID: inbound.conversation.id, text: text, author: "Bob"))
            }
            let items = try await claim(store)
            #expect(items.count == 2)
            for item in items {
                try await store.markSent(item, receipt: SendReceipt(externalID: "same", acceptedAt: baseTime))
            }
            let messages = try await items.asyncMap { try #require(try await store.message(id: $0.message.messageID)) }
            #expect(messages.allSatisfy { $0.deliveryStatus == "sent" })
            #expect(messages.filter { $0.externalID == "same" }.count == 1)
            #expect(messages.contains { $0.statusHistory.contains { $0.detail?.contains("already") == true } })
        }
    }

    @Test func badRepliesAreRefusedAndStoreNothing() async throws {
        try await withTemporaryStore { store in
            let inbound = try await conversation(store)
            let before = try await store.counts()
            for text in ["", "   ", "\n\t "] {
                await expectStoreError(.invalid) {
                    _ = try await store.enqueueReply(
                        ReplyRequest(conversationID: inbound.conversation.id, text: text, author: "Bob"))
                }
            }
            let message = await expectStoreError(.notFound) {
                _ = try await store.enqueueReply(ReplyRequest(conversationID: "con_nope", text: "hi", author: "Bob"))
            }
            #expect(message?.contains("con_nope") == true)
            #expect(try await store.counts() == before)
        }
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
