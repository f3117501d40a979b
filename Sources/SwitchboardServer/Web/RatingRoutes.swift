import Foundation
import Hummingbird
import SwitchboardAdapterKit
import SwitchboardCore

/// The rating page an email's satisfaction question links to (`/csat/{token}`): no login, the
/// token in the address is the customer's only key. It shows the question with five buttons, and
/// records the first answer given within the survey's window.
struct RatingRoutes: Sendable {
    let store: any SwitchboardStore
    let survey: SatisfactionSurvey
    let events: EventBus

    func mount(on router: Hummingbird.Router<BasicRequestContext>) {
        router.get("/csat/:token") { _, context in
            let token = try context.parameters.require("token")
            guard let rating = try await store.rating(token: token) else {
                return page("Rating", "<p class=\"error\" role=\"alert\">This rating link is not valid.</p>", .notFound)
            }
            if let score = rating.score {
                return page("Thank you", "<p>Thank you: you rated this conversation \(score) out of 5.</p>")
            }
            guard Date().timeIntervalSince(rating.askedAt) <= survey.window.timeInterval else {
                return page("Rating", "<p>This survey has closed. Write to us any time.</p>", .gone)
            }
            let buttons = (1...5).map { score in
                "<button type=\"submit\" name=\"score\" value=\"\(score)\">\(score)</button>"
            }.joined(separator: " ")
            return page(
                "How did we do?",
                """
                <form method="post" action="/csat/\(HTMLPage.escape(token))" class="rating">
                <fieldset><legend>How did we do? 1 is poor, 5 is great.</legend>\(buttons)</fieldset>
                </form>
                """)
        }
        router.post("/csat/:token") { request, context in
            let token = try context.parameters.require("token")
            let fields = try await LoginRoutes.formFields(request)
            guard let score = fields.first(where: { $0.name == "score" }).flatMap({ Int($0.value) }),
                (1...5).contains(score)
            else {
                return page("Rating", "<p class=\"error\" role=\"alert\">Choose a number from 1 to 5.</p>", .badRequest)
            }
            do {
                let rating = try await store.rate(token: token, score: score, window: survey.window, now: Date())
                if let conversation = try await store.conversation(id: rating.conversationID) {
                    events.publish(
                        .conversationUpdated(
                            conversationID: conversation.id, customerID: conversation.customerID, change: "rating"))
                }
                return page("Thank you", "<p>Thank you: you rated this conversation \(score) out of 5.</p>")
            } catch let error as StoreError {
                let status: HTTPResponse.Status = error.code == .notFound ? .notFound : .conflict
                return page(
                    "Rating", "<p role=\"alert\">\(HTMLPage.escape(error.message.capitalizedFirst)).</p>", status)
            }
        }
    }

    func page(_ title: String, _ body: String, _ status: HTTPResponse.Status = .ok) -> Response {
        HTMLPage.response(
            HTMLPage.render(title: title, user: nil, csrf: nil, body: "<h1>\(HTMLPage.escape(title))</h1>\(body)"),
            status: status)
    }
}

extension String {
    /// The text with its first letter in upper case ("this link…" → "This link…").
    fileprivate var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
