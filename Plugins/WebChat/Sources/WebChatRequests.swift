import Foundation
import SwitchboardAdapterKit

/// What the widget asks of the hub, answered with the CORS headers its site needs: a visitor's
/// message (`POST /messages`), the receipts of replies it showed (`POST /receipts`) and the
/// stream of replies (`GET /events`). Refusals are answers with a JSON `error` the widget shows.
struct WebChatRequests: Sendable {
    static let maxTextLength = 4000

    let channel: ChannelID
    let configuration: WebChatConfiguration
    let visitors: VisitorTokens
    let mailbox: ReplyMailbox
    let limiter: VisitorRateLimiter
    let secureCookies: Bool
    var cookieName: String { "sb_chat_\(channel.rawValue)" }

    /// A request from a site that is not allowed (403), or with a visitor token that is not ours
    /// (401), is refused before its body is read. Requests without `Origin` are not from a
    /// browser; they are let through to the token check.
    func verify(_ request: WebhookRequest, needsVisitor: Bool = false) throws(WebhookAuthError) {
        if let origin = request.header("Origin"), !configuration.allowedOrigins.contains(origin) {
            throw WebhookAuthError(
                status: 403, "this site (\(origin.prefix(100))) is not in the web chat's allowed_origins")
        }
        switch visitor(request) {
        case .invalid:
            throw WebhookAuthError("the visitor token is not valid; clear the chat's saved data and write again")
        case .none where needsVisitor:
            throw WebhookAuthError("no visitor token; send a message first")
        default:
            break
        }
    }

    enum VisitorProof: Equatable {
        case none
        case invalid
        case visitor(String)
    }

    /// The visitor a request proves: the widget's header, then the `visitor` query parameter (an
    /// EventSource cannot send headers), then the cookie.
    func visitor(_ request: WebhookRequest) -> VisitorProof {
        let cookie = request.header("Cookie").flatMap { header in
            header.split(separator: ";").lazy.map { $0.trimmingCharacters(in: .whitespaces) }
                .first { $0.hasPrefix(cookieName + "=") }.map { String($0.dropFirst(cookieName.count + 1)) }
        }
        guard let token = request.header("X-Switchboard-Visitor") ?? request.queryValue("visitor") ?? cookie,
            !token.isEmpty
        else { return .none }
        return visitors.visitor(from: token).map(VisitorProof.visitor) ?? .invalid
    }

    func corsHeaders(_ request: WebhookRequest) -> [(name: String, value: String)] {
        guard let origin = request.header("Origin"), configuration.allowedOrigins.contains(origin) else {
            return [("Vary", "Origin")]
        }
        return [
            ("Access-Control-Allow-Origin", origin), ("Access-Control-Allow-Credentials", "true"), ("Vary", "Origin"),
        ]
    }

    func preflight(_ request: WebhookRequest) -> WebhookResponse {
        guard let origin = request.header("Origin"), configuration.allowedOrigins.contains(origin) else {
            return answer(request, 403, ["error": "this site is not in the web chat's allowed_origins"])
        }
        return WebhookResponse(
            status: 204, contentType: "text/plain", body: [],
            headers: corsHeaders(request) + [
                ("Access-Control-Allow-Methods", "POST, GET"),
                ("Access-Control-Allow-Headers", "Content-Type, X-Switchboard-Visitor"),
                ("Access-Control-Max-Age", "600"),
            ])
    }

    func answer(
        _ request: WebhookRequest, _ status: Int, _ body: [String: String],
        extra: [(name: String, value: String)] = []
    ) -> WebhookResponse {
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data("{}".utf8)
        return WebhookResponse(
            status: status, contentType: "application/json", body: Array(data), headers: corsHeaders(request) + extra)
    }

    struct MessageBody: Decodable {
        var text: String
        var email: String?
        var name: String?
        var clientID: String

        enum CodingKeys: String, CodingKey {
            case text, email, name
            case clientID = "client_id"
        }
    }

    /// A visitor's message: an envelope from `webchat:<visitor>`, with the email they typed as a
    /// strong identifier; the answer carries their token (and sets it as a cookie).
    func message(_ request: WebhookRequest) throws -> WebhookResult {
        let refuse = { (status: Int, message: String) in
            WebhookResult(response: answer(request, status, ["error": message]))
        }
        guard let body = try? JSONDecoder().decode(MessageBody.self, from: Data(request.body)) else {
            return refuse(400, "send JSON with 'text' and 'client_id' (and 'email' if you like)")
        }
        let text = body.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= Self.maxTextLength else {
            return refuse(400, "a message is 1 to \(Self.maxTextLength) characters")
        }
        guard (8...100).contains(body.clientID.count),
            body.clientID.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
        else { return refuse(400, "'client_id' is 8 to 100 letters, digits or '-'") }
        var verified: [Address] = []
        if let email = body.email?.trimmingCharacters(in: .whitespaces), !email.isEmpty {
            guard let address = try? Address(kind: .email, value: email) else {
                return refuse(400, "'\(email.prefix(100))' is not an email address")
            }
            verified.append(address)
        }
        let visitorID: String
        switch visitor(request) {
        case .visitor(let id): visitorID = id
        case .none: visitorID = visitors.newVisitorID(clientID: body.clientID)
        case .invalid: return refuse(401, "the visitor token is not valid")
        }
        if let wait = limiter.admit(visitorID) {
            return WebhookResult(
                response: answer(
                    request, 429, ["error": "You are sending messages quickly; please wait \(wait) seconds."],
                    extra: [("Retry-After", String(wait))]))
        }
        let from: Address
        do {
            from = try Address(kind: .webchat, value: visitorID)
        } catch {
            return refuse(400, "the visitor id is not valid")
        }
        let name = body.name?.trimmingCharacters(in: .whitespacesAndNewlines).prefix(100)
        let envelope = InboundEnvelope(
            channel: channel, externalID: "\(visitorID):\(body.clientID)", from: from, threadKey: from.description,
            visibility: .private, text: text, sentAt: Date(),
            raw: RawPayload(contentType: "application/json", bytes: request.body),
            hints: IdentityHints(
                displayName: name.flatMap { $0.isEmpty ? nil : String($0) }, verifiedAddresses: verified))
        let token = visitors.token(for: visitorID)
        let cookie =
            "\(cookieName)=\(token); Path=/webhooks/\(channel.rawValue); Max-Age=31536000; HttpOnly; "
            + (secureCookies ? "SameSite=None; Secure" : "SameSite=Lax")
        return WebhookResult(
            envelopes: [envelope],
            response: answer(request, 200, ["visitor": visitorID, "token": token], extra: [("Set-Cookie", cookie)]))
    }

    /// The widget showed these replies: they are delivered.
    func receipts(_ request: WebhookRequest) async throws -> WebhookResult {
        guard case .visitor(let visitorID) = visitor(request) else {
            return WebhookResult(response: answer(request, 401, ["error": "no visitor token"]))
        }
        struct Body: Decodable { var ids: [String] }
        guard let body = try? JSONDecoder().decode(Body.self, from: Data(request.body)), body.ids.count <= 100 else {
            return WebhookResult(response: answer(request, 400, ["error": "send {\"ids\": [reply ids]}, at most 100"]))
        }
        // Only this visitor's own replies: a visitor cannot mark another's.
        let own = Set(try await mailbox.replies(for: visitorID).map(\.id))
        let updates = body.ids.filter(own.contains).map {
            StatusUpdate(channel: channel, externalID: $0, status: .delivered, at: Date())
        }
        return WebhookResult(statusUpdates: updates, response: answer(request, 200, ["delivered": "\(updates.count)"]))
    }

    /// The visitor's replies as Server-Sent Events: those after `Last-Event-ID` (every kept one
    /// on a first connection), then each new one as it is sent.
    func events(_ request: WebhookRequest) async throws -> WebhookResult {
        guard case .visitor(let visitorID) = visitor(request) else {
            return WebhookResult(response: answer(request, 401, ["error": "no visitor token"]))
        }
        let lastID = request.header("Last-Event-ID") ?? request.queryValue("last_event_id")
        let stream = ReplyStream(mailbox: mailbox, visitor: visitorID, lastID: lastID).bytes()
        return WebhookResult(
            response: WebhookResponse(
                contentType: "text/event-stream; charset=utf-8", body: [],
                headers: corsHeaders(request) + [("Cache-Control", "no-cache"), ("X-Accel-Buffering", "no")],
                stream: stream))
    }
}
