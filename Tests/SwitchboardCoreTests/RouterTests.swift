import Foundation
import Logging
import SwitchboardAdapterKit
import Synchronization
import Testing

@testable import SwitchboardCore

/// An inbox store that answers with canned outcomes and records what it was asked.
final class CannedInboxStore: InboxStore {
    let outcomes: [IngestOutcome]
    let batches = Mutex<[[InboundEnvelope]]>([])
    let updates = Mutex<[StatusUpdate]>([])

    init(_ outcomes: [IngestOutcome]) { self.outcomes = outcomes }

    func ingest(_ batch: [InboundEnvelope], policy: IngestPolicy) async throws -> [IngestOutcome] {
        batches.withLock { $0.append(batch) }
        return outcomes
    }

    func apply(_ updates: [StatusUpdate]) async throws -> [AppliedStatus] {
        self.updates.withLock { $0 += updates }
        return updates.map { AppliedStatus(messageID: "msg-\($0.externalID)", status: $0.status) }
    }
}

struct RouterTests {
    static let at = Date(timeIntervalSince1970: 1_700_000_000)

    static func stored(_ id: String, customer: String, merge: MergeRecord? = nil) throws -> IngestOutcome {
        let address = try Address(parsing: "email:ana@example.com")
        let conversation = Conversation(
            id: "con_\(id)", customerID: customer, channel: "shop", customerAddress: address, threadKey: "t",
            subject: nil, status: .open, createdAt: at, lastMessageAt: at)
        let message = Message(
            id: "msg_\(id)", conversationID: conversation.id, customerID: customer, channel: "shop",
            direction: .inbound, visibility: .private, author: address.description, subject: nil, text: "hi",
            html: nil, attachments: [], externalID: id, inReplyTo: nil, sentAt: at, receivedAt: at,
            isAutomatic: false, deliveryStatus: nil)
        return .stored(
            StoredMessage(
                message: message, conversation: conversation, newCustomer: true, newConversation: true,
                reopened: false, merge: merge))
    }

    static func envelope(_ id: String) throws -> InboundEnvelope {
        InboundEnvelope(
            channel: "shop", externalID: id, from: try Address(parsing: "email:ana@example.com"), threadKey: "t",
            text: "hi", sentAt: at)
    }

    @Test func outcomesAreTranslatedAndEventsPublished() async throws {
        let merge = MergeRecord(
            id: "mrg_1", sourceCustomerID: "cus_old", targetCustomerID: "cus_1", actor: "identity-rules",
            reason: "r", mergedAt: Self.at)
        let store = CannedInboxStore([
            try Self.stored("1", customer: "cus_1", merge: merge), .duplicate(messageID: "msg_0"),
            .rejected(reason: "no external id"),
        ])
        let events = EventBus()
        let stream = events.subscribe()
        let router = Router(store: store, policy: .init(), events: events, logger: Logger(label: "test"))

        let outcomes = try await router.deliver([try Self.envelope("1"), try Self.envelope("0"), try Self.envelope("")])
        #expect(
            outcomes == [
                .stored(messageID: "msg_1", conversationID: "con_1", customerID: "cus_1"),
                .duplicate(messageID: "msg_0"), .rejected(reason: "no external id"),
            ])
        #expect(store.batches.withLock { $0.map { $0.map(\.externalID) } } == [["1", "0", ""]])

        var iterator = stream.makeAsyncIterator()
        #expect(
            await iterator.next() == .messageStored(messageID: "msg_1", conversationID: "con_1", customerID: "cus_1"))
        #expect(await iterator.next() == .merged(merge))
    }

    @Test func anEmptyBatchNeverReachesTheStore() async throws {
        let store = CannedInboxStore([])
        let router = Router(store: store, policy: .init(), events: EventBus(), logger: Logger(label: "test"))
        #expect(try await router.deliver([]).isEmpty)
        try await router.apply([])
        #expect(store.batches.withLock { $0.isEmpty })
        #expect(store.updates.withLock { $0.isEmpty })
    }

    @Test func statusUpdatesArePassedOn() async throws {
        let store = CannedInboxStore([])
        let router = Router(store: store, policy: .init(), events: EventBus(), logger: Logger(label: "test"))
        let update = StatusUpdate(channel: "shop", externalID: "x", status: .delivered, at: Self.at)
        try await router.apply([update])
        #expect(store.updates.withLock { $0 } == [update])
    }
}

struct EventBusTests {
    @Test func everySubscriberGetsEveryEventInOrder() async {
        let bus = EventBus()
        let first = bus.subscribe()
        let second = bus.subscribe()
        bus.publish(.deliveryUpdated(messageID: "m1", status: "sent"))
        bus.publish(.deliveryUpdated(messageID: "m2", status: "read"))
        for stream in [first, second] {
            var iterator = stream.makeAsyncIterator()
            #expect(await iterator.next() == .deliveryUpdated(messageID: "m1", status: "sent"))
            #expect(await iterator.next() == .deliveryUpdated(messageID: "m2", status: "read"))
        }
    }

    @Test func aSlowSubscriberLosesItsOldestEvents() async {
        let bus = EventBus()
        let stream = bus.subscribe(bufferingNewest: 2)
        for index in 1...3 { bus.publish(.deliveryUpdated(messageID: "m\(index)", status: "sent")) }
        var iterator = stream.makeAsyncIterator()
        #expect(await iterator.next() == .deliveryUpdated(messageID: "m2", status: "sent"))
        #expect(await iterator.next() == .deliveryUpdated(messageID: "m3", status: "sent"))
    }

    @Test func eventsBeforeSubscribingAreNotReplayed() async {
        let bus = EventBus()
        bus.publish(.deliveryUpdated(messageID: "early", status: "sent"))
        let stream = bus.subscribe()
        bus.publish(.deliveryUpdated(messageID: "late", status: "sent"))
        var iterator = stream.makeAsyncIterator()
        #expect(await iterator.next() == .deliveryUpdated(messageID: "late", status: "sent"))
    }
}

struct HealthBoardTests {
    @Test func registeredChannelsStartAndUpdateAndListSorted() {
        let board = HealthBoard()
        board.register("zeta", kind: "webhook")
        board.register("alpha", kind: "email")
        board.update("zeta") {
            $0.state = .degraded
            $0.restarts += 1
            $0.lastError = "boom"
        }
        board.update("unknown") { $0.restarts = 99 }
        let all = board.all
        #expect(all.map(\.channel) == ["alpha", "zeta"])
        #expect(all[0].state == .starting && all[0].restarts == 0)
        #expect(all[1].state == .degraded && all[1].restarts == 1 && all[1].lastError == "boom")
    }
}
