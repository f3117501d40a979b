import Foundation
import SwitchboardAdapterKit

/// A mail server's `serverURL` checked against its TLS mode, before libcurl sees it: the scheme
/// matches the mode (`imaps`/`smtps` for implicit TLS, `imap`/`smtp` otherwise), there are no
/// credentials, path or query in it, and plain text is allowed only to a loopback host.
struct MailEndpoint: Sendable, Hashable {
    enum Service: Sendable {
        case imap, smtp

        var plainScheme: String { self == .imap ? "imap" : "smtp" }
        var tlsScheme: String { self == .imap ? "imaps" : "smtps" }
        var name: String { self == .imap ? "IMAP" : "SMTP" }
    }

    let service: Service
    /// `imap`, `imaps`, `smtp` or `smtps`.
    let scheme: String
    /// The host, without IPv6 brackets.
    let host: String
    let port: Int?

    /// `scheme://host[:port]`, no trailing slash: the base of every URL, and how messages name
    /// the server (it holds no secret).
    var base: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(hostPart)\(port.map { ":\($0)" } ?? "")"
    }

    init(_ serverURL: String, service: Service, tls: MailTLS) throws(TransportError) {
        let trimmed = serverURL.trimmingCharacters(in: .whitespaces)
        guard let components = URLComponents(string: trimmed), let rawScheme = components.scheme else {
            throw TransportError(
                isRetryable: false,
                "the \(service.name) server URL is not a URL like \(service.plainScheme)://host:port")
        }
        let scheme = rawScheme.lowercased()
        guard components.user == nil, components.password == nil else {
            // Do not echo the URL: it holds a secret.
            throw TransportError(
                isRetryable: false,
                "the \(service.name) server URL must not contain a user name or password; "
                    + "set username and password instead")
        }
        guard scheme == service.plainScheme || scheme == service.tlsScheme else {
            throw TransportError(
                isRetryable: false,
                "the \(service.name) server URL \(trimmed) must start with \(service.plainScheme):// "
                    + "or \(service.tlsScheme)://")
        }
        var host = components.host ?? ""
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else {
            throw TransportError(isRetryable: false, "the \(service.name) server URL \(trimmed) has no host")
        }
        guard components.path.isEmpty || components.path == "/", components.query == nil,
            components.fragment == nil
        else {
            throw TransportError(
                isRetryable: false,
                "the \(service.name) server URL \(trimmed) must be only \(scheme)://host:port, without a path")
        }
        self.service = service
        self.scheme = scheme
        self.host = host
        self.port = components.port
        switch tls {
        case .implicit where scheme != service.tlsScheme:
            throw TransportError(
                isRetryable: false,
                "tls: implicit needs a \(service.tlsScheme):// server URL, not \(base) "
                    + "(or use tls: starttls for a server that upgrades a plain connection)")
        case .startTLS where scheme != service.plainScheme, .none where scheme != service.plainScheme:
            throw TransportError(
                isRetryable: false,
                "tls: \(tls.rawValue) needs a \(service.plainScheme):// server URL, not \(base) "
                    + "(\(service.tlsScheme):// is tls: implicit)")
        case .none where !Self.isLoopback(host):
            throw TransportError(
                isRetryable: false,
                "refusing to send a password and mail in clear text to \(base): tls: none is allowed only "
                    + "for a server on this machine (127.0.0.1, ::1, localhost); use tls: starttls or implicit")
        default:
            break
        }
    }

    /// 127.0.0.0/8, ::1 and localhost. libcurl resolves `localhost` to loopback itself, whatever
    /// the resolver says.
    static func isLoopback(_ host: String) -> Bool {
        let lowered = host.lowercased()
        if lowered == "localhost" || lowered == "::1" || lowered == "0:0:0:0:0:0:0:1" { return true }
        let octets = lowered.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets.allSatisfy({ UInt8($0) != nil }) else { return false }
        return octets[0] == "127"
    }
}
