import Foundation
import Hummingbird
import Logging
import NIOCore
import SwitchboardAdapterKit
import SwitchboardCore

/// `GET /login`, `POST /login` and `POST /logout`. The login form is protected against CSRF by a
/// nonce cookie whose HMAC the form carries (there is no session yet); wrong passwords count
/// against the name in ``LoginThrottle``; logging out revokes the session in the store.
struct LoginRoutes: Sendable {
    let sessions: WebSessions
    let logger: Logger

    func mount(on router: Hummingbird.Router<BasicRequestContext>) {
        router.get("/login") { request, _ in
            if try await sessions.signedIn(request) != nil { return HTMLPage.redirect(to: "/inbox") }
            return form(error: nil, name: "", status: .ok)
        }
        router.post("/login") { request, _ in
            let form = try await Self.formFields(request)
            let field = { (name: String) in form.first { $0.name == name }?.value ?? "" }
            guard let nonce = request.cookies[WebSessions.loginCookieName]?.value, !nonce.isEmpty,
                HMACSignature.constantTimeEquals(field("_csrf"), sessions.csrfToken(for: nonce))
            else {
                return self.form(
                    error: "The form had expired or did not come from this page. Please try again.",
                    name: field("name"), status: .forbidden)
            }
            switch try await sessions.logIn(name: field("name"), password: field("password")) {
            case .signedIn(let user, let token):
                logger.info("web login", metadata: ["user": "\(user.id)"])
                return HTMLPage.redirect(
                    to: "/inbox",
                    cookies: [sessions.sessionCookie(token), sessions.expiredCookie(WebSessions.loginCookieName)])
            case .refused:
                return self.form(
                    error: "That name and password do not match.", name: field("name"), status: .unauthorized)
            case .throttled(let seconds):
                var response = self.form(
                    error: "Too many failed logins for this name. Try again in \(seconds / 60 + 1) minutes.",
                    name: field("name"), status: .tooManyRequests)
                response.headers[.retryAfter] = String(seconds)
                return response
            }
        }
        router.post("/logout") { request, _ in
            guard let signedIn = try await sessions.signedIn(request) else { return HTMLPage.redirect(to: "/login") }
            let form = try await Self.formFields(request)
            guard sessions.csrfMatches(request, form: form, expected: signedIn.csrfToken) else {
                return JSONResponse.error(.forbidden, "the form's CSRF token is missing or wrong; reload the page")
            }
            try await sessions.logOut(signedIn)
            return HTMLPage.redirect(to: "/login", cookies: [sessions.expiredCookie(WebSessions.cookieName)])
        }
    }

    func form(error: String?, name: String, status: HTTPResponse.Status) -> Response {
        var generator = SystemRandomNumberGenerator()
        let nonce = HMACSignature.hex((0..<24).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let body = """
            <h1>Log in</h1>
            \(error.map { "<p class=\"error\" role=\"alert\">\(HTMLPage.escape($0))</p>" } ?? "")
            <form id="login-form" method="post" action="/login" class="login">
            <input type="hidden" name="_csrf" value="\(sessions.csrfToken(for: nonce))">
            <label for="name">Name</label>
            <input id="name" name="name" autocomplete="username" required value="\(HTMLPage.escape(name))">
            <label for="password">Password</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required>
            <button type="submit">Log in</button>
            </form>
            <p class="hint">No account yet? An admin adds you with <code>switchboard users add NAME</code> and
            <code>switchboard users password NAME</code>.</p>
            """
        return HTMLPage.response(
            HTMLPage.render(title: "Log in", user: nil, csrf: nil, body: body), status: status,
            cookies: [sessions.loginCookie(nonce)])
    }

    /// A form body (`application/x-www-form-urlencoded`), at most 64 KB.
    static func formFields(_ request: Request) async throws -> [(name: String, value: String)] {
        do {
            let buffer = try await request.body.collect(upTo: 64 * 1024)
            return FormEncoding.parseUTF8(bytes: Array(buffer.readableBytesView)) ?? []
        } catch is NIOTooManyBytesError {
            throw HTTPError(.contentTooLarge, message: "a form is at most 64 KB")
        }
    }
}
