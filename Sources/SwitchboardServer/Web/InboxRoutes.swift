import Foundation
import Hummingbird
import Logging
import NIOCore
import SwitchboardAdapterKit
import SwitchboardCore

/// The web inbox's routes: login and logout, the conversation list, a conversation, the forms
/// that change things (each checked against the session's CSRF token), the live event stream and
/// the two static assets. Pages need a signed-in session (else a redirect to `/login`); forms and
/// fragments answer 401 without one and 403 without the CSRF token.
struct InboxRoutes: Sendable {
    let dependencies: HubServer.Dependencies
    let sessions: WebSessions
    var store: any SwitchboardStore { dependencies.store }
    var actions: AgentActions { AgentActions(dependencies: dependencies) }

    func mount(on router: Hummingbird.Router<BasicRequestContext>) {
        router.get("/") { _, _ in HTMLPage.redirect(to: "/inbox") }
        LoginRoutes(sessions: sessions, logger: dependencies.logger).mount(on: router)
        router.get("/inbox/assets/inbox.js") { _, _ in
            asset(PackageResources.inbox_js, type: "text/javascript; charset=utf-8")
        }
        router.get("/inbox/assets/inbox.css") { _, _ in
            asset(PackageResources.inbox_css, type: "text/css; charset=utf-8")
        }
        router.get("/inbox") { request, _ in
            try await page(request) { signedIn in
                let view = try await listView(request)
                return HTMLPage.render(
                    title: "Inbox", user: (signedIn.user.name, signedIn.user.role.rawValue),
                    csrf: signedIn.csrfToken, body: view.body())
            }
        }
        router.get("/inbox/list") { request, _ in
            try await fragment(request) { _ in try await listView(request).rows() }
        }
        router.get("/inbox/conversations/:id") { request, context in
            try await page(request) { signedIn in
                let view = try await conversationView(try context.parameters.require("id"), signedIn: signedIn)
                return HTMLPage.render(
                    title: view.conversation.subject ?? view.customerName,
                    user: (signedIn.user.name, signedIn.user.role.rawValue), csrf: signedIn.csrfToken,
                    body: view.body())
            }
        }
        router.get("/inbox/conversations/:id/timeline") { request, context in
            try await fragment(request) { signedIn in
                try await conversationView(try context.parameters.require("id"), signedIn: signedIn).timelineItems()
            }
        }
        router.get("/inbox/events") { request, _ in
            guard try await sessions.signedIn(request) != nil else {
                return JSONResponse.error(.unauthorized, "log in at /login first")
            }
            return EventStreamRoute(events: dependencies.events).response()
        }
        router.get("/inbox/reports") { request, _ in
            try await page(request) { signedIn in
                HTMLPage.render(
                    title: "Reports", user: (signedIn.user.name, signedIn.user.role.rawValue),
                    csrf: signedIn.csrfToken, body: try await reportsView(request).body())
            }
        }
        router.get("/inbox/reports.csv") { request, _ in
            guard try await sessions.signedIn(request) != nil else { return HTMLPage.redirect(to: "/login") }
            do {
                let view = try await reportsView(request)
                return Response(
                    status: .ok,
                    headers: [
                        .contentType: "text/csv; charset=utf-8",
                        .contentDisposition:
                            "attachment; filename=\"switchboard-\(view.days.first)-\(view.days.last).csv\"",
                    ],
                    body: .init(byteBuffer: ByteBuffer(string: ReportRow.csv(view.daily))))
            } catch let error as StoreError {
                return JSONResponse.error(.badRequest, error.message)
            }
        }
        InboxFormRoutes(inbox: self).mount(on: router)
    }

    /// The reports page's numbers for the `from` and `to` of the query (the last seven days by default).
    func reportsView(_ request: Request) async throws -> ReportsView {
        let levels = dependencies.serviceLevels
        let days = try ReportRoutes(api: APIRoutes(dependencies: dependencies)).days(request)
        let rows = try await levels.reports(store, start: days.start, end: days.end, groupings: [.day, .all])
        return ReportsView(
            days: days, dayLabels: ReportsView.labels(days, hours: levels.hours), daily: rows[.day] ?? [],
            overall: rows[.all] ?? [])
    }

    func listView(_ request: Request) async throws -> InboxListView {
        let query = request.uri.queryParameters
        let filter = try APIRoutes(dependencies: dependencies).conversationFilter(request)
        let page = try await store.conversations(
            matching: filter, limit: 50, cursor: query.get("cursor").flatMap { $0.isEmpty ? nil : $0 })
        var customers: [String: Customer] = [:]
        for id in Set(page.items.map(\.customerID)) {
            customers[id] = try await store.profile(id: id)?.customer
        }
        let kept = ["status", "channel", "assignee", "tag"].compactMap { name in
            query.get(name).flatMap { $0.isEmpty ? nil : (name: name, value: $0) }
        }
        return InboxListView(
            page: page, customers: customers, filter: filter, channels: dependencies.adapters.map(\.channel),
            users: try await store.users(), sla: try await dependencies.serviceLevels.status(of: page.items, store),
            query: FormEncoding.encode(kept))
    }

    func conversationView(_ id: String, signedIn: WebSessions.SignedIn) async throws -> ConversationView {
        guard let conversation = try await store.conversation(id: id) else {
            throw StoreError(.notFound, "no conversation \(id)")
        }
        guard let profile = try await store.profile(id: conversation.customerID) else {
            throw StoreError(.notFound, "no customer \(conversation.customerID)")
        }
        let customerID = profile.customer.id
        let page = try await store.timeline(customerID: customerID, limit: 200, cursor: nil)
        let people = CannedReply.People(customerName: profile.customer.displayName, agentName: signedIn.user.name)
        return ConversationView(
            conversation: conversation, profile: profile, timeline: page.items.reversed(),
            hasOlder: page.nextCursor != nil, conversations: try await store.conversations(customerID: customerID),
            merges: try await store.merges(customerID: customerID),
            suggestions: try await store.mergeSuggestions().filter {
                $0.customerID == customerID || $0.otherCustomerID == customerID
            },
            users: try await store.users(),
            canned: dependencies.cannedReplies.map { ($0.name, $0.render(for: people).text) },
            csrf: signedIn.csrfToken)
    }

    /// A full page: a redirect to the login without a session; a store error becomes a page
    /// that says what went wrong.
    func page(_ request: Request, _ body: (WebSessions.SignedIn) async throws -> String) async throws -> Response {
        guard let signedIn = try await sessions.signedIn(request) else {
            return HTMLPage.redirect(to: "/login")
        }
        do {
            return HTMLPage.response(try await body(signedIn))
        } catch let error as StoreError {
            return errorPage(error, signedIn: signedIn)
        }
    }

    func errorPage(_ error: StoreError, signedIn: WebSessions.SignedIn) -> Response {
        let status: HTTPResponse.Status =
            switch error.code {
            case .notFound: .notFound
            case .conflict: .conflict
            default: .badRequest
            }
        return HTMLPage.response(
            HTMLPage.render(
                title: "Not done", user: (signedIn.user.name, signedIn.user.role.rawValue), csrf: signedIn.csrfToken,
                body:
                    "<h1>That did not work</h1><p class=\"error\" role=\"alert\">\(HTMLPage.escape(error.message))</p><p><a href=\"/inbox\">Back to the inbox</a></p>"
            ), status: status)
    }

    /// A piece of a page, for the script to swap in.
    func fragment(_ request: Request, _ body: (WebSessions.SignedIn) async throws -> String) async throws -> Response {
        guard let signedIn = try await sessions.signedIn(request) else {
            return JSONResponse.error(.unauthorized, "log in at /login first")
        }
        do {
            return HTMLPage.response(try await body(signedIn))
        } catch let error as StoreError {
            return JSONResponse.error(error.code == .notFound ? .notFound : .badRequest, error.message)
        }
    }

    func asset(_ bytes: [UInt8], type: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: type, .cacheControl: "no-cache"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
