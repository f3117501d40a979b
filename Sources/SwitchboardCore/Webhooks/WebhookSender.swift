import Foundation
import Logging
import ServiceLifecycle
import SwitchboardAdapterKit

/// Posts queued outgoing webhook deliveries to their endpoints, signed (``WebhookSigning``), with
/// the delivery's id and event in headers. A 2xx marks it sent; anything else, or no answer, is
/// retried by ``RetryPolicy`` (honouring Retry-After) and dead-lettered when the policy gives up:
/// visible in `GET /api/v1/webhook-deliveries?state=dead` and counted in `/health`, and sent again
/// by `POST /api/v1/webhook-deliveries/<id>/retry`.
public struct WebhookSender: Service {
    let endpoints: [String: WebhookEndpoint]
    let store: any WebhookDeliveryStore
    let http: any HTTPClient
    let retry: RetryPolicy
    let health: HealthBoard
    let logger: Logger
    let pollInterval: Duration
    let batchSize: Int
    private let signal = WakeSignal()

    public init(
        endpoints: [WebhookEndpoint], store: any WebhookDeliveryStore, http: any HTTPClient, retry: RetryPolicy,
        health: HealthBoard, logger: Logger, pollInterval: Duration = .milliseconds(500), batchSize: Int = 32
    ) {
        self.endpoints = Dictionary(endpoints.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.store = store
        self.http = http
        self.retry = retry
        self.health = health
        self.logger = logger
        self.pollInterval = pollInterval
        self.batchSize = batchSize
        for endpoint in endpoints { health.registerWebhook(endpoint.id) }
    }

    /// Asks the sender to look at the queue now.
    public func wake() { signal.wake() }

    public func run() async throws {
        let ticker = signal.ticking(every: pollInterval)
        defer { ticker.cancel() }
        for await _ in signal.wakeUps.cancelOnGracefulShutdown() {
            do {
                while try await sendDue() == batchSize {}
            } catch {
                logger.error("webhook pass failed", metadata: ["error": "\(error)"])
            }
            await refreshHealth()
        }
    }

    /// Claims and sends one batch of due deliveries; returns how many were claimed.
    @discardableResult
    public func sendDue(now: Date = Date()) async throws -> Int {
        let due = try await store.claimDueWebhookDeliveries(now: now, limit: batchSize, lease: .seconds(120))
        await withTaskGroup(of: Void.self) { group in
            for delivery in due { group.addTask { await self.deliver(delivery) } }
        }
        return due.count
    }

    /// Writes each endpoint's waiting and dead-lettered deliveries to the health board.
    public func refreshHealth() async {
        do {
            let counts = try await store.webhookDeliveryCounts()
            for id in endpoints.keys { health.updateWebhook(id, counts: counts[id] ?? OutboxCounts()) }
        } catch {
            logger.warning("could not count webhook deliveries", metadata: ["error": "\(error)"])
        }
    }

    func deliver(_ delivery: WebhookDelivery) async {
        let outcome: SendError?
        if let endpoint = endpoints[delivery.endpoint] {
            outcome = await post(delivery, to: endpoint)
        } else {
            outcome = SendError(
                .permanent, "the endpoint '\(delivery.endpoint)' is no longer in the config's webhooks: list")
        }
        do {
            guard let failure = outcome else {
                try await store.markWebhookDelivered(id: delivery.id, at: Date())
                return
            }
            let retryAt = retry.nextAttempt(after: failure, attempts: delivery.attempts + 1, now: Date())
            if retryAt == nil {
                logger.warning(
                    "outgoing webhook dead-lettered",
                    metadata: ["delivery": "\(delivery.id)", "endpoint": "\(delivery.endpoint)", "error": "\(failure)"])
            }
            try await store.markWebhookFailed(id: delivery.id, error: failure.description, retryAt: retryAt)
        } catch {
            logger.error("could not record a webhook delivery", metadata: ["error": "\(error)"])
        }
    }

    /// Posts one delivery; `nil` when the endpoint took it.
    func post(_ delivery: WebhookDelivery, to endpoint: WebhookEndpoint) async -> SendError? {
        let body = Array(delivery.payload.utf8)
        let timestamp = Int(Date().timeIntervalSince1970)
        let request = HTTPClientRequest(
            method: "POST", url: endpoint.url,
            headers: [
                ("Content-Type", "application/json"),
                (WebhookSigning.eventHeader, delivery.event.rawValue),
                (WebhookSigning.deliveryHeader, delivery.id),
                (WebhookSigning.timestampHeader, "\(timestamp)"),
                (
                    WebhookSigning.signatureHeader,
                    WebhookSigning.signature(secret: endpoint.secret, timestamp: timestamp, body: body)
                ),
            ], body: body, timeout: endpoint.timeout)
        do {
            let response = try await http.execute(request)
            if (200..<300).contains(response.status) { return nil }
            // Whatever the status, the endpoint is the customer's own system: try again, up to the
            // policy's ceiling, so a receiver being deployed does not lose events.
            return SendError(
                .transient, "the endpoint answered HTTP \(response.status): \(String(response.text.prefix(200)))",
                retryAfter: response.retryAfter)
        } catch {
            return SendError(.transient, "the endpoint did not answer: \(error)")
        }
    }
}
