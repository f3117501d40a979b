import Foundation
import Hummingbird
import Logging
import NIOCore
import SwitchboardAdapterKit
import SwitchboardCore

/// The JSON API under `/api/v1`, for agents' tools and the CLI's remote use. Every route needs
/// `Authorization: Bearer <token>`, a user's token or `server.api_token` (``APIAuthMiddleware``);
/// user management needs an admin's. Errors are `{"error": "..."}` with a status that says whose
/// fault it was.
struct APIRoutes: Sendable {
    let dependencies: HubServer.Dependencies
    var store: any SwitchboardStore { dependencies.store }
    var actions: AgentActions { AgentActions(dependencies: dependencies) }

    func mount(on api: RouterGroup<BasicRequestContext>) {
        // Two child groups: a group's middleware applies to every route added to it afterwards.
        let routes = api.group().add(
            middleware: APIAuthMiddleware(required: .agent, configToken: dependencies.apiToken, users: store))
        let admin = api.group().add(
            middleware: APIAuthMiddleware(required: .admin, configToken: dependencies.apiToken, users: store))
        UserRoutes(api: self).mount(on: admin)
        BroadcastRoutes(api: self).mount(on: admin)
        ReportRoutes(api: self).mount(on: routes)
        routes.get("customers") { request, context in
            try await guarded {
                try JSONResponse.make(
                    try await store.customers(limit: limit(request), cursor: cursor(request)))
            }
        }
        routes.get("customers/:id") { request, context in
            try await guarded {
                let id = try context.parameters.require("id")
                guard let profile = try await store.profile(id: id) else {
                    throw StoreError(.notFound, "no customer \(id)")
                }
                let conversations = try await store.conversations(customerID: id)
                return try JSONResponse.make(
                    CustomerDetail(
                        customer: profile.customer, identities: profile.identities, conversations: conversations))
            }
        }
        routes.get("customers/:id/timeline") { request, context in
            try await guarded {
                let id = try context.parameters.require("id")
                guard try await store.profile(id: id) != nil else { throw StoreError(.notFound, "no customer \(id)") }
                return try JSONResponse.make(
                    try await store.timeline(
                        customerID: id, limit: limit(request), cursor: cursor(request)))
            }
        }
        routes.get("conversations") { request, _ in
            try await guarded {
                try JSONResponse.make(
                    try await store.conversations(
                        matching: try conversationFilter(request), limit: limit(request),
                        cursor: cursor(request)))
            }
        }
        routes.get("conversations/:id") { _, context in
            try await guarded {
                let id = try context.parameters.require("id")
                guard let conversation = try await store.conversation(id: id) else {
                    throw StoreError(.notFound, "no conversation \(id)")
                }
                return try JSONResponse.make(
                    ConversationDetail(
                        conversation: conversation, messages: try await store.messages(conversationID: id),
                        rating: try await store.rating(conversationID: id)))
            }
        }
        routes.post("conversations/:id/replies") { request, context in
            try await guarded {
                let body: ReplyBody = try await decode(request)
                let message = try await actions.reply(
                    ReplyRequest(
                        conversationID: try context.parameters.require("id"), text: body.text ?? "",
                        author: body.author ?? "agent", subject: body.subject, visibility: body.visibility,
                        publicNotice: body.publicNotice, template: body.template),
                    channel: body.channel.map(ChannelID.init(rawValue:)))
                return try JSONResponse.make(message, status: .accepted)
            }
        }
        routes.patch("conversations/:id") { request, context in
            try await guarded {
                let body: ConversationPatch = try await decode(request)
                var change = ConversationChange(tags: body.tags, priority: body.priority)
                if let assignee = body.assignee { change.assignee = .some(assignee.isEmpty ? nil : assignee) }
                return try JSONResponse.make(
                    try await actions.update(
                        conversationID: try context.parameters.require("id"), change, actor: body.actor ?? "api"))
            }
        }
        routes.post("conversations/:id/notes") { request, context in
            try await guarded {
                let body: NoteBody = try await decode(request)
                return try JSONResponse.make(
                    try await actions.addNote(
                        conversationID: try context.parameters.require("id"), text: body.text,
                        author: body.author ?? "api"), status: .created)
            }
        }
        routes.post("conversations/:id/reply-check") { request, context in
            try await guarded {
                let body: ReplyCheckBody = try await decode(request)
                let id = try context.parameters.require("id")
                guard let conversation = try await store.conversation(id: id) else {
                    throw StoreError(.notFound, "no conversation \(id)")
                }
                let customer = try await store.profile(id: conversation.customerID)?.customer
                let findings = ReplyChecklist().check(
                    body.text, customerName: customer?.displayName, agentName: body.author)
                return try JSONResponse.make(["findings": findings])
            }
        }
        routes.post("conversations/:id/status") { request, context in
            try await guarded {
                let body: StatusBody = try await decode(request)
                guard let status = Conversation.Status(rawValue: body.status) else {
                    throw StoreError(.invalid, "'status' must be one of open, pending, snoozed, resolved")
                }
                return try JSONResponse.make(
                    try await actions.setStatus(
                        conversationID: try context.parameters.require("id"), to: status, actor: body.actor ?? "api"))
            }
        }
        routes.post("messages/:id/retry") { _, context in
            try await guarded {
                let id = try context.parameters.require("id")
                guard try await store.retry(messageID: id) else {
                    throw StoreError(.conflict, "message \(id) has no failed send to retry")
                }
                dependencies.replyQueued()
                return try JSONResponse.make(["queued": id], status: .accepted)
            }
        }
        routes.get("events") { _, _ in
            EventStreamRoute(events: dependencies.events).response()
        }
        routes.get("dead-letters") { _, _ in
            try await guarded {
                try JSONResponse.make(try await store.deadLetters().map(DeadLetter.init))
            }
        }
        routes.get("webhook-deliveries") { request, _ in
            try await guarded {
                let state = try request.uri.queryParameters.get("state").map { text in
                    guard let state = WebhookDelivery.State(rawValue: text) else {
                        throw StoreError(.invalid, "state must be pending, sent or dead")
                    }
                    return state
                }
                return try JSONResponse.make(try await store.webhookDeliveries(state: state, limit: limit(request)))
            }
        }
        routes.post("webhook-deliveries/:id/retry") { _, context in
            try await guarded {
                let id = try context.parameters.require("id")
                guard try await store.retryWebhookDelivery(id: id) else {
                    throw StoreError(.conflict, "webhook delivery \(id) is not dead-lettered; nothing to retry")
                }
                dependencies.webhookQueued()
                return try JSONResponse.make(["queued": id], status: .accepted)
            }
        }
        routes.get("merges") { request, _ in
            try await guarded {
                try JSONResponse.make(try await store.merges(customerID: request.uri.queryParameters.get("customer")))
            }
        }
        routes.post("merges") { request, _ in
            try await guarded {
                let body: MergeBody = try await decode(request)
                let record = try await actions.merge(
                    body.source, into: body.target, actor: body.actor ?? "api", reason: body.reason)
                return try JSONResponse.make(record, status: .created)
            }
        }
        routes.post("merges/:id/undo") { request, context in
            try await guarded {
                let body: UndoBody = try await decode(request, allowEmpty: true) ?? UndoBody()
                let record = try await actions.unmerge(try context.parameters.require("id"), actor: body.actor ?? "api")
                return try JSONResponse.make(record)
            }
        }
        routes.get("merge-suggestions") { _, _ in
            try await guarded { try JSONResponse.make(try await store.mergeSuggestions()) }
        }
        routes.get("channels") { _, _ in
            try JSONResponse.make(dependencies.health.all)
        }
    }

    /// `status` (comma-separated: open, pending, snoozed, resolved; all by default), `channel`,
    /// `assignee`, `tag`. An empty value is the same as none (what an empty filter form sends).
    func conversationFilter(_ request: Request) throws -> ConversationFilter {
        var statuses: [Conversation.Status] = []
        for text in (request.uri.queryParameters.get("status") ?? "").split(separator: ",") {
            guard let status = Conversation.Status(rawValue: String(text)) else {
                throw StoreError(
                    .invalid, "status '\(text)' is not one of open, pending, snoozed, resolved (comma-separated)")
            }
            statuses.append(status)
        }
        return ConversationFilter(
            statuses: statuses, channel: queryValue(request, "channel").map(ChannelID.init(rawValue:)),
            assignee: queryValue(request, "assignee"), tag: queryValue(request, "tag")?.lowercased())
    }

    /// The `cursor` query parameter; empty is the same as absent (the first page).
    func cursor(_ request: Request) -> String? { queryValue(request, "cursor") }

    /// A query parameter; empty is the same as absent (what an empty form field sends).
    func queryValue(_ request: Request, _ name: String) -> String? {
        request.uri.queryParameters.get(name).flatMap { $0.isEmpty ? nil : $0 }
    }

    func limit(_ request: Request) throws -> Int {
        guard let text = request.uri.queryParameters.get("limit") else { return 50 }
        guard let value = Int(text), (1...500).contains(value) else {
            throw StoreError(.invalid, "limit must be a whole number from 1 to 500")
        }
        return value
    }

    func decode<T: Decodable>(_ request: Request) async throws -> T {
        guard let value: T = try await decode(request, allowEmpty: false) else {
            throw StoreError(.invalid, "the body is empty; send a JSON object")
        }
        return value
    }

    func decode<T: Decodable>(_ request: Request, allowEmpty: Bool) async throws -> T? {
        let buffer = try await request.body.collect(upTo: HubServer.maxBodyBytes)
        if buffer.readableBytes == 0 && allowEmpty { return nil }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let DecodingError.keyNotFound(key, _) {
            throw StoreError(.invalid, "'\(key.stringValue)' is required")
        } catch let DecodingError.typeMismatch(_, context) {
            throw StoreError(
                .invalid, "'\(context.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type")
        } catch {
            throw StoreError(.invalid, "the body is not valid JSON for this request")
        }
    }

    /// Maps store errors to 404/409/400 with their message; anything else is a 500 with no detail.
    func guarded(_ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let error as StoreError {
            let status: HTTPResponse.Status =
                switch error.code {
                case .notFound: .notFound
                case .conflict: .conflict
                default: .badRequest
                }
            return JSONResponse.error(status, error.message)
        } catch is NIOTooManyBytesError {
            return JSONResponse.error(.contentTooLarge, "the body is larger than \(HubServer.maxBodyBytes) bytes")
        } catch {
            dependencies.logger.error("API request failed", metadata: ["error": "\(error)"])
            return JSONResponse.error(.internalServerError, "internal error; see the hub's log")
        }
    }
}

struct CustomerDetail: Encodable {
    var customer: Customer
    var identities: [Identity]
    var conversations: [Conversation]
}

/// A reply the dispatcher gave up on, with why: what `GET /api/v1/dead-letters` lists, so an
/// agent (or a monitor) sees every failed send and can retry it by its message id.
struct DeadLetter: Encodable {
    var messageID: String
    var conversationID: String
    var channel: ChannelID
    var to: String
    var attempts: Int
    var rateLimited: Int
    var lastError: String?

    init(_ item: OutboxItem) {
        messageID = item.message.messageID
        conversationID = item.message.conversationID
        channel = item.message.channel
        to = item.message.to.description
        attempts = item.attempts
        rateLimited = item.rateLimited
        lastError = item.lastError
    }
}

struct ConversationDetail: Encodable {
    var conversation: Conversation
    var messages: [Message]
    /// The satisfaction survey, once asked.
    var rating: SatisfactionRating?
}

/// A draft to check against the reply checklist, and who will sign it.
struct ReplyCheckBody: Decodable {
    var text: String
    var author: String?
}

struct ReplyBody: Decodable {
    var text: String?
    var author: String?
    var subject: String?
    /// `public` or `private`; absent: as the customer's latest message.
    var visibility: Visibility?
    /// With a private reply to a public conversation: what the public thread is told.
    var publicNotice: String?
    var template: MessageTemplate?
    /// Another channel the customer has written on; absent: the conversation's own.
    var channel: String?

    enum CodingKeys: String, CodingKey {
        case text, author, subject, visibility, template, channel
        case publicNotice = "public_notice"
    }
}

/// What `PATCH /conversations/{id}` may change; an absent field stays, an empty assignee unassigns.
struct ConversationPatch: Decodable {
    var assignee: String?
    var tags: [String]?
    var priority: Int?
    var actor: String?
}

struct NoteBody: Decodable {
    var text: String
    var author: String?
}

struct StatusBody: Decodable {
    var status: String
    var actor: String?
}

struct MergeBody: Decodable {
    var source: String
    var target: String
    var reason: String
    var actor: String?
}

struct UndoBody: Decodable {
    var actor: String?
}
