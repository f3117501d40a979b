import Foundation
import SwitchboardAdapterKit
import SwitchboardCurl
import Testing

/// The web inbox's logins and forms against the built binary over HTTP (issue 6, acceptance 4):
/// passwords set from the CLI, the session cookie, CSRF on every form, the login throttle, and a
/// session that is not an API token. The browser run (scripts/browser-test.sh) drives the pages.
@Suite(.serialized)
struct WebInboxTests {
    /// A browser's side of the conversation: cookies kept by name, redirects not followed.
    final class Browser: @unchecked Sendable {
        let hub: HubProcess
        var cookies: [String: String] = [:]

        init(_ hub: HubProcess) { self.hub = hub }

        func request(
            _ method: String, _ path: String, form: [(name: String, value: String)]? = nil,
            headers: [(name: String, value: String)] = []
        ) async throws -> HTTPClientResponse {
            var all = headers
            if !cookies.isEmpty {
                all.append(("Cookie", cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ")))
            }
            if form != nil { all.append(("Content-Type", "application/x-www-form-urlencoded")) }
            let response = try await hub.client.execute(
                HTTPClientRequest(
                    method: method, url: hub.baseURL + path, headers: all,
                    body: Array(FormEncoding.encode(form ?? []).utf8)))
            for (name, value) in response.headers where name.lowercased() == "set-cookie" {
                let pair = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1).map(String.init)
                if pair.count == 2 { cookies[pair[0]] = value.contains("Max-Age=0") ? nil : pair[1] }
            }
            return response
        }

        /// The `_csrf` field of the page's first form.
        static func csrf(_ page: HTTPClientResponse) -> String? {
            guard let range = page.text.range(of: #"name="_csrf" value=""#) else { return nil }
            return String(page.text[range.upperBound...].prefix { $0 != "\"" })
        }

        func logIn(_ name: String, _ password: String) async throws -> HTTPClientResponse {
            let page = try await request("GET", "/login")
            return try await request(
                "POST", "/login",
                form: [("_csrf", Self.csrf(page) ?? ""), ("name", name), ("password", password)])
        }
    }

    static func header(_ response: HTTPClientResponse, _ name: String) -> String? {
        response.headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    @Test func agentsLogInWorkWithCSRFProtectedFormsAndLogOut() async throws {
        try await withHub { hub in
            #expect(try hub.cli(["users", "add", "Bo Agent"]).status == 0)
            let short = try hub.cli(["users", "password", "Bo Agent"], input: "short\n")
            #expect(short.status == 2 && short.error.contains("at least 10 characters"))
            #expect(try hub.cli(["users", "password", "Nobody"], input: "long enough password\n").status == 1)
            let set = try hub.cli(["users", "password", "Bo Agent"], input: "bo's long password\n")
            #expect(set.status == 0, "\(set.error)")

            let stored = try await hub.postWebhook(
                "/webhooks/shop/inbound",
                body:
                    #"{"id":"w-1","from":"email:ana@example.com","name":"Ana Lima","text":"Where is my order?","thread":"o-1"}"#
            )
            let conversation = try #require(
                (try json(stored)["results"] as? [[String: Any]])?.first?["conversation_id"] as? String)

            let browser = Browser(hub)
            let away = try await browser.request("GET", "/inbox")
            #expect(away.status == 303 && Self.header(away, "Location") == "/login")
            // A login post that did not come from the login page (no nonce cookie) is refused.
            let forged = try await Browser(hub).request(
                "POST", "/login", form: [("_csrf", "x"), ("name", "Bo Agent"), ("password", "bo's long password")])
            #expect(forged.status == 403)
            #expect(try await browser.logIn("Bo Agent", "wrong password!").status == 401)

            let login = try await browser.logIn("Bo Agent", "bo's long password")
            #expect(login.status == 303 && Self.header(login, "Location") == "/inbox", "\(login.text)")
            let cookie = try #require(
                login.headers.first { $0.name.lowercased() == "set-cookie" && $0.value.hasPrefix("sb_session=") }?.value
            )
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && !cookie.contains("Secure"))
            let session = try #require(browser.cookies["sb_session"])
            #expect(!hub.log.contains(session) && !hub.log.contains("bo's long password"))

            let inbox = try await browser.request("GET", "/inbox")
            #expect(inbox.status == 200 && inbox.text.contains(#"data-conversation-id="\#(conversation)""#))
            let page = try await browser.request("GET", "/inbox/conversations/\(conversation)")
            #expect(page.status == 200 && page.text.contains("Where is my order?"))
            let csrf = try #require(Browser.csrf(page))
            // The session cookie is not an API token.
            #expect(try await hub.api("GET", "/customers", token: session).status == 401)

            // Forms: refused without the CSRF token or with another, done with it.
            let notes = "/inbox/conversations/\(conversation)/notes"
            #expect(try await browser.request("POST", notes, form: [("text", "no token")]).status == 403)
            #expect(
                try await browser.request("POST", notes, form: [("text", "bad"), ("_csrf", csrf + "0")]).status == 403)
            let noted = try await browser.request("POST", notes, form: [("text", "Refund approved"), ("_csrf", csrf)])
            #expect(noted.status == 303)
            let reply = try await browser.request(
                "POST", "/inbox/conversations/\(conversation)/reply", form: [("text", "Hi Ana, it ships today. Bo")],
                headers: [("X-CSRF-Token", csrf), ("Accept", "application/json")])
            #expect(reply.status == 200, "\(reply.text)")
            let elsewhere = try await browser.request(
                "POST", "/inbox/conversations/\(conversation)/reply", form: [("text", "Hi"), ("channel", "sms")],
                headers: [("X-CSRF-Token", csrf), ("Accept", "application/json")])
            #expect(elsewhere.status == 400 && elsewhere.text.contains("never written on channel 'sms'"))
            let detail = try json(try await hub.api("GET", "/conversations/\(conversation)"))
            let messages = try #require(detail["messages"] as? [[String: Any]])
            #expect(messages.compactMap { $0["author"] as? String }.contains("Bo Agent"))
            let timeline = try await browser.request("GET", "/inbox/conversations/\(conversation)/timeline")
            #expect(timeline.text.contains(#"class="entry note""#) && timeline.text.contains("Refund approved"))

            // Logging out ends the session for good, copies of the cookie included.
            #expect(try await browser.request("POST", "/logout", form: [("_csrf", csrf)]).status == 303)
            let copied = Browser(hub)
            copied.cookies["sb_session"] = session
            #expect(try await copied.request("GET", "/inbox").status == 303)
        }
    }

    @Test func repeatedWrongPasswordsAreThrottledPerName() async throws {
        try await withHub { hub in
            #expect(try hub.cli(["users", "add", "Eve"]).status == 0)
            #expect(try hub.cli(["users", "password", "Eve"], input: "eve's real password\n").status == 0)
            let browser = Browser(hub)
            for _ in 0..<5 { #expect(try await browser.logIn("Eve", "not her password").status == 401) }
            let blocked = try await browser.logIn("Eve", "eve's real password")
            #expect(blocked.status == 429 && Self.header(blocked, "Retry-After") != nil)
            #expect(blocked.text.contains("Too many failed logins"))
            // Names that do not exist answer as a wrong password does.
            #expect(try await browser.logIn("Nobody", "whatever it is").status == 401)
        }
    }
}
