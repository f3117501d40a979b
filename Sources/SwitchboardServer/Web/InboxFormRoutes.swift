import Foundation
import Hummingbird
import SwitchboardAdapterKit
import SwitchboardCore

/// The web inbox's forms: reply (with the checklist first), internal note, the conversation's
/// status, assignee, priority and tags, merge and un-merge. Every one needs the session and its
/// CSRF token. The inbox's script posts the reply with `fetch` and reads JSON back; without the
/// script, each form posts and the answer is a redirect back to the conversation.
struct InboxFormRoutes: Sendable {
    let inbox: InboxRoutes
    var store: any SwitchboardStore { inbox.store }

    func mount(on router: Hummingbird.Router<BasicRequestContext>) {
        router.post("/inbox/conversations/:id/reply") { request, context in
            try await form(request) { signedIn, field in
                let id = try context.parameters.require("id")
                let channel = field("channel").flatMap { $0.isEmpty ? nil : ChannelID(rawValue: $0) }
                let message = try await inbox.actions.reply(
                    ReplyRequest(conversationID: id, text: field("text") ?? "", author: signedIn.user.name),
                    channel: channel)
                return .done(back: "/inbox/conversations/\(id)", json: ["message_id": message.id])
            }
        }
        router.post("/inbox/conversations/:id/reply-check") { request, context in
            try await form(request) { signedIn, field in
                let id = try context.parameters.require("id")
                guard let conversation = try await store.conversation(id: id) else {
                    throw StoreError(.notFound, "no conversation \(id)")
                }
                let customer = try await store.profile(id: conversation.customerID)?.customer
                let findings = ReplyChecklist().check(
                    field("text") ?? "", customerName: customer?.displayName, agentName: signedIn.user.name)
                return .findings(findings)
            }
        }
        router.post("/inbox/conversations/:id/notes") { request, context in
            try await form(request) { signedIn, field in
                let id = try context.parameters.require("id")
                let note = try await inbox.actions.addNote(
                    conversationID: id, text: field("text") ?? "", author: signedIn.user.name)
                return .done(back: "/inbox/conversations/\(id)", json: ["note_id": note.id])
            }
        }
        router.post("/inbox/conversations/:id/settings") { request, context in
            try await form(request) { signedIn, field in
                let id = try context.parameters.require("id")
                if let text = field("status"), !text.isEmpty {
                    guard let status = Conversation.Status(rawValue: text) else {
                        throw StoreError(.invalid, "status must be one of open, pending, snoozed, resolved")
                    }
                    _ = try await inbox.actions.setStatus(conversationID: id, to: status, actor: signedIn.user.name)
                }
                var change = ConversationChange()
                if let assignee = field("assignee") { change.assignee = .some(assignee.isEmpty ? nil : assignee) }
                if let text = field("priority"), !text.isEmpty {
                    guard let priority = Int(text) else { throw StoreError(.invalid, "priority must be 0 to 3") }
                    change.priority = priority
                }
                if let tags = field("tags") {
                    change.tags = tags.split(separator: ",").map(String.init).filter {
                        !$0.trimmingCharacters(in: .whitespaces).isEmpty
                    }
                }
                _ = try await inbox.actions.update(conversationID: id, change, actor: signedIn.user.name)
                return .done(back: "/inbox/conversations/\(id)", json: ["conversation_id": id])
            }
        }
        router.post("/inbox/merges") { request, _ in
            try await form(request) { signedIn, field in
                let record = try await inbox.actions.merge(
                    field("source") ?? "", into: field("target") ?? "", actor: signedIn.user.name,
                    reason: field("reason") ?? "")
                return .done(back: safeBack(field("back")), json: ["merge_id": record.id])
            }
        }
        router.post("/inbox/merges/:id/undo") { request, context in
            try await form(request) { signedIn, field in
                let record = try await inbox.actions.unmerge(
                    try context.parameters.require("id"), actor: signedIn.user.name)
                return .done(back: safeBack(field("back")), json: ["merge_id": record.id])
            }
        }
    }

    enum Outcome {
        case done(back: String, json: [String: String])
        case findings([ReplyChecklist.Finding])
    }

    /// Only paths inside the inbox: a form cannot send the agent elsewhere.
    func safeBack(_ back: String?) -> String {
        guard let back, back.hasPrefix("/inbox/"), !back.contains("//") else { return "/inbox" }
        return back
    }

    /// Runs a form's action after the session and CSRF checks. A script (`Accept: application/json`)
    /// gets JSON, errors included; a plain form post gets a redirect, or a page saying what failed.
    func form(
        _ request: Request,
        _ action: (WebSessions.SignedIn, (String) -> String?) async throws -> Outcome
    ) async throws -> Response {
        let wantsJSON = request.headers[.accept]?.contains("application/json") ?? false
        guard let signedIn = try await inbox.sessions.signedIn(request) else {
            return JSONResponse.error(.unauthorized, "log in at /login first")
        }
        let fields = try await LoginRoutes.formFields(request)
        guard inbox.sessions.csrfMatches(request, form: fields, expected: signedIn.csrfToken) else {
            return JSONResponse.error(.forbidden, "the form's CSRF token is missing or wrong; reload the page")
        }
        do {
            switch try await action(signedIn, { name in fields.first { $0.name == name }?.value }) {
            case .findings(let findings):
                return try JSONResponse.make(["findings": findings])
            case .done(let back, let json):
                return wantsJSON ? try JSONResponse.make(json) : HTMLPage.redirect(to: back)
            }
        } catch let error as StoreError {
            if wantsJSON {
                return JSONResponse.error(error.code == .notFound ? .notFound : .badRequest, error.message)
            }
            return inbox.errorPage(error, signedIn: signedIn)
        }
    }
}
