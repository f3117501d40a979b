import Foundation
import Hummingbird
import SwitchboardAdapterKit
import SwitchboardCore

/// `POST /api/v1/broadcasts` (admins): a notice to the customers named, each on the channel they
/// last wrote on, paced by the outbox; the answer lists what happened to each customer. The same
/// id sent again queues nothing new and answers the same.
struct BroadcastRoutes: Sendable {
    let api: APIRoutes

    func mount(on routes: RouterGroup<BasicRequestContext>) {
        routes.post("broadcasts") { request, _ in
            try await api.guarded {
                let body: BroadcastBody = try await api.decode(request)
                var templates: [ChannelID: MessageTemplate] = [:]
                for (channel, template) in body.templates ?? [:] { templates[ChannelID(rawValue: channel)] = template }
                let broadcast = BroadcastRequest(
                    id: body.id, text: body.text, customerIDs: body.customerIDs, templates: templates,
                    author: body.author.flatMap { $0.isEmpty ? nil : $0 } ?? "broadcast")
                let capabilities = Dictionary(
                    api.dependencies.adapters.map { ($0.channel, $0.adapter.capabilities) },
                    uniquingKeysWith: { first, _ in first })
                let result = try await api.store.broadcast(
                    broadcast, rules: BroadcastChannelRules(capabilities: capabilities), now: Date())
                if result.queued > 0 { api.dependencies.replyQueued() }
                return try JSONResponse.make(
                    BroadcastAnswer(
                        id: result.id, queued: result.queued, skipped: result.skipped, recipients: result.recipients))
            }
        }
    }
}

struct BroadcastBody: Decodable {
    var id: String
    var text: String
    var customerIDs: [String]
    /// Per channel id: the approved template for customers outside the channel's reply window.
    var templates: [String: MessageTemplate]?
    var author: String?

    enum CodingKeys: String, CodingKey {
        case id, text, templates, author
        case customerIDs = "customer_ids"
    }
}

struct BroadcastAnswer: Encodable {
    var id: String
    var queued: Int
    var skipped: Int
    var recipients: [BroadcastResult.Recipient]
}
