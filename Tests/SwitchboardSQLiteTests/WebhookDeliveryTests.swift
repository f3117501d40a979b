import Foundation
import Logging
import SwitchboardAdapterKit
import SwitchboardCore
import SwitchboardSQLStore
import SwitchboardSQLite
import Synchronization
import Testing

/// An endpoint of the customer's that answers as scripted and records every request.
final class ScriptedEndpoint: HTTPClient, Sendable {
    let statuses = Mutex<[Int]>([])
    let received = Mutex<[HTTPClientRequest]>([])

    init(failing statuses: [Int] = []) { self.statuses.withLock { $0 = statuses } }

    func execute(_ request: HTTPClientRequest) async throws(TransportError) -> HTTPClientResponse {
        received.withLock { $0.append(request) }
        let status = statuses.withLock { $0.isEmpty ? 204 : $0.removeFirst() }
        return HTTPClientResponse(status: status, headers: status == 429 ? [("Retry-After", "1")] : [])
    }

    var requests: [HTTPClientRequest] { received.withLock { $0 } }
}

extension HTTPClientRequest {
    func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }
}

struct WebhookDeliveryTests {
    let endpoint = WebhookEndpoint(
        id: "crm", url: "https://crm.example.com/hooks", secret: "hook-secret-0123456789",
        events: [.messageReceived, .messageDelivery])

    func sender(_ store: SQLStore, _ http: ScriptedEndpoint, health: HealthBoard = HealthBoard()) -> WebhookSender {
        WebhookSender(
            endpoints: [endpoint], store: store, http: http,
            retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1), maxDelay: .milliseconds(5)), health: health,
            logger: Logger(label: "test"))
    }

    /// A stored inbound message and the deliveries its event makes.
    func receivedEvent(_ store: SQLStore) async throws -> (StoredMessage, [WebhookDelivery]) {
        let stored = try await store.ingestOne(
            try inbound("in-1", from: "email:ana@example.com", text: "Where is my order?"))
        let event = HubEvent.messageStored(
            messageID: stored.message.id, conversationID: stored.conversation.id, customerID: stored.message.customerID)
        let deliveries = try WebhookEventRecorder.deliveries(
            for: event, message: try await store.message(id: stored.message.id), endpoints: [endpoint], now: Date())
        return (stored, deliveries)
    }

    @Test func anEventIsSignedAndCarriesItsDeliveryIDAndTheMessage() async throws {
        try await withTemporaryStore { store in
            let (stored, deliveries) = try await receivedEvent(store)
            #expect(deliveries.count == 1)
            try await store.enqueueWebhookDeliveries(deliveries)
            let http = ScriptedEndpoint()
            #expect(try await sender(store, http).sendDue() == 1)
            let request = try #require(http.requests.first)
            #expect(request.url == "https://crm.example.com/hooks")
            #expect(request.header("X-Switchboard-Event") == "message.received")
            #expect(request.header("X-Switchboard-Delivery") == deliveries[0].id)
            let timestamp = try #require(request.header("X-Switchboard-Timestamp"))
            let expected =
                "sha256="
                + HMACSignature.sha256Hex(
                    secret: "hook-secret-0123456789", body: Array("\(timestamp).".utf8) + request.body)
            #expect(request.header("X-Switchboard-Signature") == expected)
            let body = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
            #expect(body["event"] as? String == "message.received")
            #expect(body["id"] as? String == deliveries[0].id)
            let data = try #require(body["data"] as? [String: Any])
            #expect(data["customer_id"] as? String == stored.message.customerID)
            #expect((data["message"] as? [String: Any])?["text"] as? String == "Where is my order?")
            #expect(try await store.webhookDeliveries(state: .sent, limit: 10).map(\.id) == [deliveries[0].id])
        }
    }

    @Test func eventsTheEndpointDidNotSubscribeToMakeNoDelivery() throws {
        let merge = MergeRecord(
            id: "mrg_1", sourceCustomerID: "cus_a", targetCustomerID: "cus_b", actor: "bo", reason: "same person",
            mergedAt: Date())
        #expect(
            try WebhookEventRecorder.deliveries(for: .merged(merge), message: nil, endpoints: [endpoint], now: Date())
                .isEmpty)
        let all = WebhookEndpoint(id: "all", url: "https://x.example/h", secret: "hook-secret-0123456789")
        let deliveries = try WebhookEventRecorder.deliveries(
            for: .merged(merge), message: nil, endpoints: [all], now: Date())
        #expect(deliveries.map(\.event) == [.customerMerged])
        #expect(deliveries.first?.payload.contains(#""source_customer_id":"cus_a""#) == true)
    }

    @Test func anAgentsChangeIsAConversationUpdatedEventNamingWhatChanged() throws {
        let all = WebhookEndpoint(id: "all", url: "https://x.example/h", secret: "hook-secret-0123456789")
        let event = HubEvent.conversationUpdated(
            conversationID: "con_1", customerID: "cus_1", change: "assignment,tags")
        let deliveries = try WebhookEventRecorder.deliveries(for: event, message: nil, endpoints: [all], now: Date())
        #expect(deliveries.map(\.event) == [.conversationUpdated])
        let payload = try #require(deliveries.first?.payload)
        #expect(
            payload.contains(#""event":"conversation.updated""#) && payload.contains(#""change":"assignment,tags""#))
        #expect(try LiveEvent.serverSentEvent(event).hasPrefix("event: conversation.updated\n"))
    }

    @Test func aStatusChangeIsAnEventWithTheConversationAndTheNewStatus() throws {
        let all = WebhookEndpoint(id: "all", url: "https://x.example/h", secret: "hook-secret-0123456789")
        let deliveries = try WebhookEventRecorder.deliveries(
            for: .statusChanged(conversationID: "con_1", customerID: "cus_1", status: "resolved"), message: nil,
            endpoints: [all], now: Date())
        #expect(deliveries.map(\.event) == [.conversationStatus])
        let payload = try #require(deliveries.first?.payload)
        #expect(payload.contains(#""event":"conversation.status""#))
        #expect(payload.contains(#""conversation_id":"con_1""#) && payload.contains(#""status":"resolved""#))
        let live = try LiveEvent.serverSentEvent(
            .statusChanged(conversationID: "con_1", customerID: "cus_1", status: "open"))
        #expect(live.hasPrefix("event: conversation.status\n"))
    }

    @Test func failuresAreRetriedWithTheSameIDAndBodyThenDeadLetteredVisiblyAndRetriedByHand() async throws {
        try await withTemporaryStore { store in
            let (_, deliveries) = try await receivedEvent(store)
            try await store.enqueueWebhookDeliveries(deliveries)
            let http = ScriptedEndpoint(failing: [500, 429, 503])
            let health = HealthBoard()
            let sender = sender(store, http, health: health)
            for _ in 0..<5 { try await sender.sendDue(now: Date().addingTimeInterval(3600)) }
            #expect(http.requests.count == 3, "three attempts, the ceiling")
            #expect(Set(http.requests.map(\.body)).count == 1, "the same body every time")
            #expect(Set(http.requests.compactMap { $0.header("X-Switchboard-Delivery") }) == [deliveries[0].id])
            let dead = try await store.webhookDeliveries(state: .dead, limit: 10)
            #expect(dead.map(\.id) == [deliveries[0].id])
            #expect(dead.first?.lastError?.contains("HTTP 503") == true)
            await sender.refreshHealth()
            #expect(health.webhooks == [WebhookEndpointHealth(endpoint: "crm", waiting: 0, deadLettered: 1)])

            #expect(try await store.retryWebhookDelivery(id: deliveries[0].id))
            #expect(try await store.retryWebhookDelivery(id: deliveries[0].id) == false, "only a dead one is retried")
            try await sender.sendDue(now: Date().addingTimeInterval(1))
            #expect(http.requests.count == 4)
            #expect(try await store.webhookDeliveries(state: .sent, limit: 10).count == 1)
            await sender.refreshHealth()
            #expect(health.webhooks == [WebhookEndpointHealth(endpoint: "crm")])
        }
    }

    @Test func aDeliveryForAnEndpointRemovedFromTheConfigIsDeadLetteredWithTheReason() async throws {
        try await withTemporaryStore { store in
            let (_, deliveries) = try await receivedEvent(store)
            var orphan = deliveries[0]
            orphan.endpoint = "gone"
            try await store.enqueueWebhookDeliveries([orphan])
            let http = ScriptedEndpoint()
            try await sender(store, http).sendDue()
            #expect(http.requests.isEmpty)
            let dead = try await store.webhookDeliveries(state: .dead, limit: 10)
            #expect(dead.first?.lastError?.contains("no longer in the config") == true)
        }
    }
}

/// What a hub killed mid-send leaves behind, and how the next one takes it up.
struct LeaseTests {
    @Test func aClaimIsReleasedAtStartWithoutLosingAnyRetrysSchedule() async throws {
        try await withTemporaryStore { store in
            let conversation = try await store.ingestOne(try inbound("in-1", from: "email:ana@example.com"))
                .conversation
            let inFlight = try await store.enqueueReply(
                ReplyRequest(conversationID: conversation.id, text: "One", author: "Bo"))
            let scheduled = try await store.enqueueReply(
                ReplyRequest(conversationID: conversation.id, text: "Two", author: "Bo"))
            let now = Date().addingTimeInterval(1)
            let claimed = try await store.claimDue(now: now, limit: 10, lease: .seconds(120))
            #expect(claimed.count == 2)
            // One failed and waits an hour; the other was being sent when the hub was killed.
            let retrying = try #require(claimed.first { $0.message.messageID == scheduled.id })
            try await store.markFailed(
                retrying, error: SendError(.transient, "503"), retryAt: now.addingTimeInterval(3600))
            #expect(try await store.claimDue(now: now, limit: 10, lease: .seconds(120)).isEmpty, "still leased")

            if store.database.isShared {
                // PostgreSQL: the claim may be another live hub's, so it is taken up when its lease ends.
                #expect(try await store.releaseLeases() == 0)
                #expect(try await store.claimDue(now: now, limit: 10, lease: .seconds(120)).isEmpty)
                let later = now.addingTimeInterval(121)
                let again = try await store.claimDue(now: later, limit: 10, lease: .seconds(120))
                #expect(again.map(\.message.messageID) == [inFlight.id], "the retry keeps its hour")
            } else {
                #expect(try await store.releaseLeases() == 1)
                let again = try await store.claimDue(now: now, limit: 10, lease: .seconds(120))
                #expect(again.map(\.message.messageID) == [inFlight.id], "the retry keeps its hour")
            }
        }
    }
}
