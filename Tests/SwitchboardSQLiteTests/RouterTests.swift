import Foundation
import Logging
import SwitchboardAdapterKit
import SwitchboardCore
import SwitchboardSQLStore
import SwitchboardSQLite
import Testing

/// The router in front of the real store: outcomes as adapters see them, one event per stored
/// message (none for a duplicate), and status reports that reach the store.
struct RouterWithStoreTests {
    @Test func deliverStoresDedupsAndPublishes() async throws {
        try await withTemporaryStore { store in
            let events = EventBus()
            let stream = events.subscribe()
            let router = Router(store: store, policy: IngestPolicy(), events: events, logger: Logger(label: "test"))
            var rejected = try inbound("x", from: "email:eve@example.com")
            rejected.externalID = ""
            let outcomes = try await router.deliver([
                try inbound("m1", from: "email:ana@example.com"), try inbound("m1", from: "email:ana@example.com"),
                rejected,
            ])
            guard case .stored(let messageID, let conversationID, let customerID) = outcomes[0] else {
                Issue.record("not stored: \(outcomes)")
                return
            }
            #expect(outcomes[1] == .duplicate(messageID: messageID))
            guard case .rejected = outcomes[2] else {
                Issue.record("an envelope without an id was not rejected")
                return
            }
            var iterator = stream.makeAsyncIterator()
            let event = await iterator.next()
            #expect(
                event == .messageStored(messageID: messageID, conversationID: conversationID, customerID: customerID))
            #expect(try await router.deliver([]).isEmpty)
            // Nothing else was published: the next event is the one published now.
            events.publish(.deliveryUpdated(messageID: "probe", status: "sent"))
            #expect(await iterator.next() == .deliveryUpdated(messageID: "probe", status: "sent"))
        }
    }

    @Test func statusUpdatesReachTheStore() async throws {
        try await withTemporaryStore { store in
            let router = Router(store: store, policy: IngestPolicy(), events: EventBus(), logger: Logger(label: "test"))
            let conversation = try await store.ingestOne(try inbound("in", from: "email:ana@example.com")).conversation
            let reply = try await store.enqueueReply(
                ReplyRequest(conversationID: conversation.id, text: "Hi", author: "Bo"))
            let item = try #require(try await store.claimDue(now: Date(), limit: 1, lease: .seconds(60)).first)
            try await store.markSent(item, receipt: SendReceipt(externalID: "r-1"))
            try await router.apply([StatusUpdate(channel: "shop", externalID: "r-1", status: .delivered, at: Date())])
            #expect(try await store.message(id: reply.id)?.deliveryStatus == "delivered")
        }
    }
}
