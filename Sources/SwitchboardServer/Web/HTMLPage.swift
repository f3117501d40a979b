import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Server-rendered HTML for the web inbox: escaping, and the page every screen sits in (skip
/// link, header with the signed-in user and logout, the CSRF token in a meta tag for the script).
enum HTMLPage {
    /// Text and attribute values, escaped for HTML.
    static func escape(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            default: output.append(character)
            }
        }
        return output
    }

    static let dateFormat: Date.FormatStyle = {
        var style = Date.FormatStyle(date: .abbreviated, time: .shortened).locale(Locale(identifier: "en_GB"))
        style.timeZone = TimeZone(identifier: "UTC") ?? .gmt
        return style
    }()

    /// A moment as people read it, in UTC, inside `<time>` with the machine-readable value.
    static func time(_ date: Date) -> String {
        let iso = date.formatted(.iso8601)
        return "<time datetime=\"\(iso)\">\(escape(date.formatted(dateFormat))) UTC</time>"
    }

    /// A whole page. `user` and `csrf` are absent on the login page.
    static func render(title: String, user: (name: String, role: String)?, csrf: String?, body: String) -> String {
        var header = "<a class=\"brand\" href=\"/inbox\">Switchboard</a>"
        if let user {
            header += """
                <nav aria-label="Sections"><a href="/inbox">Inbox</a> <a href="/inbox/reports">Reports</a></nav>
                <nav aria-label="Account"><span class="who">\(escape(user.name)) (\(escape(user.role)))</span>
                <form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="\(escape(csrf ?? ""))">
                <button type="submit" class="link">Log out</button></form></nav>
                """
        }
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            \(csrf.map { "<meta name=\"csrf-token\" content=\"\(escape($0))\">" } ?? "")
            <title>\(escape(title)) · Switchboard</title>
            <link rel="stylesheet" href="/inbox/assets/inbox.css">
            <script src="/inbox/assets/inbox.js" defer></script>
            </head>
            <body>
            <a class="skip" href="#main">Skip to content</a>
            <header class="top">\(header)</header>
            <main id="main" tabindex="-1">
            \(body)
            </main>
            </body>
            </html>
            """
    }

    static func response(_ html: String, status: HTTPResponse.Status = .ok, cookies: [String] = []) -> Response {
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"]
        // Pages are never framed and run only the hub's own script.
        for (name, value) in [
            ("X-Frame-Options", "DENY"),
            (
                "Content-Security-Policy",
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'"
            ),
        ] {
            if let name = HTTPField.Name(name) { headers.append(HTTPField(name: name, value: value)) }
        }
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static func redirect(to location: String, cookies: [String] = []) -> Response {
        var headers: HTTPFields = [.location: location, .cacheControl: "no-store"]
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: .seeOther, headers: headers)
    }
}
