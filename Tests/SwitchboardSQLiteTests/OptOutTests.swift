import Foundation
import Logging
import SwitchboardAdapterKit
import SwitchboardCore
import SwitchboardSQLStore
import SwitchboardSQLite
import Synchronization
import Testing

/// STOP and START on an SMS channel: recorded in the ingest transaction, enforced by the dispatcher.
struct OptOutTests {
    let policy = IngestPolicy(
        optOut: OptOutPolicy(optOutKeywords: ["STOP", "UNSUBSCRIBE", "ARRET"], channels: ["sms"]))
    let phone = "tel:+33612345678"

    func dispatcher(_ store: SQLStore, _ adapter: ScriptedAdapter) -> Dispatcher {
        let health = HealthBoard()
        health.register("sms", kind: "scripted")
        return Dispatcher(
            store: store, adapters: ["sms": adapter], retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1)),
            health: health, events: EventBus(), logger: Logger(label: "test"))
    }

    @Test func stopOptsOutAndTheReplyFailsPermanentlyWithAReadableReason() async throws {
        try await withTemporaryStore { store in
            let first = try await store.ingestOne(
                try inbound("m1", from: phone, channel: "sms", text: "Where is my order?"), policy: policy)
            let stop = try await store.ingestOne(
                try inbound("m2", from: phone, channel: "sms", text: " Stop. ", at: baseTime + 60), policy: policy)
            // The STOP message itself is kept in the timeline, like any message.
            #expect(stop.message.text == " Stop. ")
            let optOut = try #require(try await store.optOut(for: try parseAddress(phone)))
            #expect(optOut.keyword == "STOP")
            #expect(optOut.messageID == stop.message.id)
            let events = try await store.timelineEvents(first.conversation.customerID)
            #expect(events.contains { $0.kind == "opt-out" && $0.detail.contains("STOP") })
            let profile = try #require(try await store.profile(id: first.conversation.customerID))
            #expect(profile.optOuts.map(\.address.description) == [phone])

            let reply = try await store.enqueueReply(
                ReplyRequest(conversationID: first.conversation.id, text: "It ships today", author: "Bo"))
            let adapter = ScriptedAdapter()
            try await dispatcher(store, adapter).dispatchDue(now: Date().addingTimeInterval(3600))
            #expect(adapter.sent.withLock { $0 }.isEmpty, "nothing may reach the channel")
            let failed = try #require(try await store.message(id: reply.id))
            #expect(failed.deliveryStatus == "failed")
            let reason = try #require(failed.statusHistory.last?.detail)
            #expect(reason.contains("opted out") && reason.contains("STOP") && reason.contains("START"))
            #expect(try await store.deadLetters().map(\.message.messageID) == [reply.id])
        }
    }

    @Test func startLiftsTheOptOutAndAnAgentRetrySends() async throws {
        try await withTemporaryStore { store in
            let first = try await store.ingestOne(
                try inbound("m1", from: phone, channel: "sms", text: "UNSUBSCRIBE"), policy: policy)
            let reply = try await store.enqueueReply(
                ReplyRequest(conversationID: first.conversation.id, text: "Sorry to see you go", author: "Bo"))
            let adapter = ScriptedAdapter()
            try await dispatcher(store, adapter).dispatchDue(now: Date().addingTimeInterval(3600))
            #expect(try await store.message(id: reply.id)?.deliveryStatus == "failed")

            _ = try await store.ingestOne(
                try inbound("m2", from: phone, channel: "sms", text: "start", at: baseTime + 60), policy: policy)
            #expect(try await store.optOut(for: try parseAddress(phone)) == nil)
            #expect(
                try await store.timelineEvents(first.conversation.customerID).contains { $0.kind == "opt-in" })
            #expect(try await store.retry(messageID: reply.id))
            try await dispatcher(store, adapter).dispatchDue(now: Date().addingTimeInterval(3600))
            #expect(try await store.message(id: reply.id)?.deliveryStatus == "sent")
            #expect(adapter.sent.withLock { $0.count } == 1)
        }
    }

    @Test func keywordsCountOnlyAloneAndOnlyOnChannelsThatHonourThem() async throws {
        try await withTemporaryStore { store in
            _ = try await store.ingestOne(
                try inbound("m1", from: phone, channel: "sms", text: "please stop the delivery"), policy: policy)
            _ = try await store.ingestOne(
                try inbound("m2", from: phone, channel: "shop", text: "STOP"), policy: policy)
            #expect(try await store.optOut(for: try parseAddress(phone)) == nil)
            _ = try await store.ingestOne(
                try inbound("m3", from: phone, channel: "sms", text: "arret"), policy: policy)
            #expect(try await store.optOut(for: try parseAddress(phone))?.keyword == "ARRET")
        }
    }

    @Test func aStartWithoutAnOptOutRecordsNothing() async throws {
        try await withTemporaryStore { store in
            let stored = try await store.ingestOne(
                try inbound("m1", from: phone, channel: "sms", text: "START"), policy: policy)
            #expect(try await store.timelineEvents(stored.conversation.customerID).isEmpty)
        }
    }
}
