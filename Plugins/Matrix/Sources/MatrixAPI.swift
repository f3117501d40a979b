import Foundation
import SwitchboardAdapterKit

/// The client-server API calls the adapter makes (https://spec.matrix.org/latest/client-server-api/),
/// each with the access token in an `Authorization: Bearer` header (never in a URL, so it cannot
/// reach an access log or an error message), and ids percent-encoded in paths.
struct MatrixAPI: Sendable {
    let configuration: MatrixConfiguration
    let http: any HTTPClient

    /// `GET /_matrix/client/v3/sync`: https://spec.matrix.org/latest/client-server-api/#get_matrixclientv3sync
    func sync(since: String?, timelineLimit: Int, timeout: Duration) async throws(MatrixAPIError) -> MatrixJSON {
        let filter = Self.syncFilter(timelineLimit: timelineLimit)
        var query = [("timeout", "\(timeout.components.seconds * 1000)"), ("filter", filter)]
        if let since { query.append(("since", since)) }
        return try await call("GET", "/sync", query: query, timeout: timeout + .seconds(30))
    }

    /// The sync filter (https://spec.matrix.org/latest/client-server-api/#filtering): only what the
    /// adapter reads. Members are lazy-loaded (the state holds the member events of the timeline's
    /// senders, for display names, and Synapse then sends the room `summary` with
    /// `m.joined_member_count`); typing, receipts, presence and account data are left out.
    static func syncFilter(timelineLimit: Int) -> String {
        #"{"room":{"state":{"lazy_load_members":true},"timeline":{"limit":\#(timelineLimit)},"#
            + #""ephemeral":{"not_types":["*"]},"account_data":{"not_types":["*"]}},"#
            + #""presence":{"not_types":["*"]},"account_data":{"not_types":["*"]}}"#
    }

    /// `GET /_matrix/client/v3/rooms/{roomId}/messages?dir=f`, forwards (oldest first) from `from` (a
    /// sync's `since` or a page's `end`) up to `to` (the timeline's `prev_batch`):
    /// https://spec.matrix.org/latest/client-server-api/#get_matrixclientv3roomsroomidmessages
    func messages(roomID: String, from: String, to: String, limit: Int) async throws(MatrixAPIError) -> MatrixJSON {
        let query = [("dir", "f"), ("from", from), ("to", to), ("limit", "\(limit)")]
        return try await call("GET", "/rooms/\(Self.encode(roomID))/messages", query: query)
    }

    /// `POST /_matrix/client/v3/join/{roomIdOrAlias}`:
    /// https://spec.matrix.org/latest/client-server-api/#post_matrixclientv3joinroomidoralias
    func join(roomID: String) async throws(MatrixAPIError) {
        _ = try await call("POST", "/join/\(Self.encode(roomID))", body: Array("{}".utf8))
    }

    /// `GET /_matrix/client/v3/rooms/{roomId}/joined_members`: how many members have joined.
    /// https://spec.matrix.org/latest/client-server-api/#get_matrixclientv3roomsroomidjoined_members
    func joinedMemberCount(roomID: String) async throws(MatrixAPIError) -> Int {
        try await call("GET", "/rooms/\(Self.encode(roomID))/joined_members")["joined"]?.object.count ?? 0
    }

    /// `PUT /_matrix/client/v3/rooms/{roomId}/send/m.room.message/{txnId}`: the homeserver answers a
    /// repeated transaction id (same access token) with the first event's id instead of posting twice.
    /// https://spec.matrix.org/latest/client-server-api/#put_matrixclientv3roomsroomidsendeventtypetxnid
    func sendRequest(roomID: String, transactionID: String, content: MatrixJSON) -> HTTPClientRequest {
        request(
            "PUT", "/rooms/\(Self.encode(roomID))/send/m.room.message/\(Self.encode(transactionID))",
            body: content.bytes, timeout: .seconds(30))
    }

    func request(
        _ method: String, _ path: String, query: [(String, String)] = [], body: [UInt8] = [],
        timeout: Duration = .seconds(30)
    ) -> HTTPClientRequest {
        var url = configuration.homeserverURL + "/_matrix/client/v3" + path
        if !query.isEmpty { url += "?" + URLText.query(query.map { (name: $0.0, value: $0.1) }) }
        var headers: [(name: String, value: String)] = [
            ("Authorization", "Bearer \(configuration.accessToken)"), ("Accept", "application/json"),
        ]
        if method != "GET" { headers.append(("Content-Type", "application/json")) }
        return HTTPClientRequest(method: method, url: url, headers: headers, body: body, timeout: timeout)
    }

    private func call(
        _ method: String, _ path: String, query: [(String, String)] = [], body: [UInt8] = [],
        timeout: Duration = .seconds(30)
    ) async throws(MatrixAPIError) -> MatrixJSON {
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request(method, path, query: query, body: body, timeout: timeout))
        } catch {
            throw MatrixAPIError(endpoint: path, transport: error)
        }
        guard (200..<300).contains(response.status) else { throw MatrixAPIError(endpoint: path, response: response) }
        guard let json = MatrixJSON.parse(response.body), case .object = json else {
            throw MatrixAPIError(endpoint: path, status: response.status, message: "the answer is not a JSON object")
        }
        return json
    }

    /// Room ids (`!abc:x`, or room v12's `!opaque` with `/` and `+` possible), event ids, tokens and
    /// transaction ids in a path or query: RFC 3986's unreserved characters, the rest percent-encoded.
    static func encode(_ text: String) -> String { URLText.percentEncoded(text) }
}

/// A failed client-server API call: the HTTP status and the Matrix error code
/// (https://spec.matrix.org/latest/client-server-api/#standard-error-response), or the transport
/// failure. Its description never holds the access token.
struct MatrixAPIError: Error, Sendable, CustomStringConvertible {
    /// The path called (`/sync`), for messages.
    var endpoint: String
    /// The HTTP status, nil when no answer came.
    var status: Int?
    /// The Matrix `errcode` (`M_FORBIDDEN`), when the body had one.
    var errcode: String?
    /// The homeserver's `error` text, or the transport's message.
    var message: String
    /// What `retry_after_ms` (or `Retry-After`) asked for, kept within 0…10 minutes.
    var retryAfter: Duration?

    init(endpoint: String, status: Int?, errcode: String? = nil, message: String, retryAfter: Duration? = nil) {
        self.endpoint = endpoint
        self.status = status
        self.errcode = errcode
        self.message = message
        self.retryAfter = Self.clamped(retryAfter)
    }

    init(endpoint: String, transport: TransportError) {
        self.init(endpoint: endpoint, status: nil, message: transport.message)
    }

    init(endpoint: String, response: HTTPClientResponse) {
        let body = MatrixJSON.parse(response.body)
        let milliseconds = body?["retry_after_ms"]?.int ?? body?["error"]?["retry_after_ms"]?.int
        self.init(
            endpoint: endpoint, status: response.status, errcode: body?["errcode"]?.string,
            message: body?["error"]?.string ?? String(response.text.prefix(300)),
            retryAfter: milliseconds.map { .milliseconds($0) } ?? response.retryAfter)
    }

    /// The longest wait a homeserver's `retry_after_ms` may impose: a larger (or broken) value would
    /// stall the channel for hours.
    static let maxRetryAfter = Duration.seconds(600)

    /// `wait` kept within 0…``maxRetryAfter``.
    static func clamped(_ wait: Duration?) -> Duration? {
        wait.map { min(max($0, .zero), maxRetryAfter) }
    }

    /// The access token was refused (401 `M_UNKNOWN_TOKEN` or `M_MISSING_TOKEN`): retrying cannot help.
    var isCredentialError: Bool { status == 401 || errcode == "M_UNKNOWN_TOKEN" || errcode == "M_MISSING_TOKEN" }

    var description: String {
        guard let status else { return "\(endpoint): \(message)" }
        return "\(endpoint) answered HTTP \(status)" + (errcode.map { " \($0)" } ?? "") + ": \(message.prefix(300))"
    }
}

/// The homeserver refused the channel's access token: the poller stops and the hub shows this.
struct MatrixCredentialError: Error, Sendable, CustomStringConvertible {
    var userID: String
    var errcode: String?

    var description: String {
        "the homeserver refused the access_token of \(userID) (\(errcode ?? "HTTP 401")): it was logged out or is "
            + "wrong; log in again (POST /_matrix/client/v3/login) and put the new token in the channel's "
            + "access_token — https://spec.matrix.org/latest/client-server-api/#using-access-tokens"
    }
}
