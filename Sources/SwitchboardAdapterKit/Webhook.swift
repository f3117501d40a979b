import Foundation

/// An HTTP request as a webhook route sees it: framework-neutral, with the raw body bytes, so
/// signatures are checked over exactly what the channel sent.
public struct WebhookRequest: Sendable {
    public var method: String
    /// The path below the channel's mount point, e.g. `/inbound`.
    public var path: String
    /// Query parameters, decoded, in order.
    public var query: [(name: String, value: String)]
    /// Header fields in order; names compared case-insensitively by ``header(_:)``.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// The query string exactly as it arrived, without the `?` (empty when there is none): for
    /// signing rules that cover the URL (Twilio's).
    public var rawQuery: String

    public init(
        method: String, path: String, query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)] = [], body: [UInt8] = [], rawQuery: String? = nil
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.rawQuery = rawQuery ?? FormEncoding.encode(query)
    }

    /// The first value of a header, by case-insensitive name.
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name.lowercased() == lowered }?.value
    }

    /// The first value of a query parameter.
    public func queryValue(_ name: String) -> String? { query.first { $0.name == name }?.value }
}

/// What the server answers a webhook with.
public struct WebhookResponse: Sendable {
    public var status: Int
    public var contentType: String
    public var body: [UInt8]
    /// More header fields (`Set-Cookie`, CORS), in order.
    public var headers: [(name: String, value: String)]
    /// A body written as it is produced, instead of ``body``: for a route that streams (a web
    /// chat's Server-Sent Events). The server writes each chunk as it comes and ends the response
    /// when the stream finishes, the client leaves or the hub shuts down; the producer learns of
    /// the end through the stream's `onTermination`.
    public var stream: AsyncStream<[UInt8]>?

    public init(
        status: Int = 200, contentType: String = "application/json", body: [UInt8] = Array("{}".utf8),
        headers: [(name: String, value: String)] = [], stream: AsyncStream<[UInt8]>? = nil
    ) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.headers = headers
        self.stream = stream
    }

    public static let ok = WebhookResponse()
}

/// What a webhook handler found in a request: messages to ingest and status updates to apply.
/// The server stores both durably, then answers with ``response``, or, when that is `nil`, with a
/// JSON summary of what became of each message.
public struct WebhookResult: Sendable {
    public var envelopes: [InboundEnvelope]
    public var statusUpdates: [StatusUpdate]
    public var response: WebhookResponse?
    /// Items of an authentic request that could not be read, each with why, where others in the
    /// same request could: the server stores the rest, answers 2xx (a channel that batches would
    /// otherwise redeliver the whole batch, good items too, for ever) and logs each reason as a
    /// warning. When nothing in a request can be read, throw ``WebhookRequestError`` instead.
    public var skipped: [String]

    public init(
        envelopes: [InboundEnvelope] = [], statusUpdates: [StatusUpdate] = [], response: WebhookResponse? = nil,
        skipped: [String] = []
    ) {
        self.envelopes = envelopes
        self.statusUpdates = statusUpdates
        self.response = response
        self.skipped = skipped
    }

    /// Throws the first skipped reason when nothing at all could be read.
    public func requireSomethingReadable() throws(WebhookRequestError) {
        if envelopes.isEmpty, statusUpdates.isEmpty, let first = skipped.first { throw WebhookRequestError(first) }
    }
}

/// A request that failed authentication. The server answers 401 (or the given status) and stores nothing.
public struct WebhookAuthError: Error, Sendable, CustomStringConvertible {
    public var status: Int
    /// Safe to return to the caller: never contains the secret or the expected signature.
    public var message: String

    public init(status: Int = 401, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { message }
}

/// A request that was authentic but could not be understood. The server answers 400 (or the
/// given status) with the message and stores nothing.
public struct WebhookRequestError: Error, Sendable, CustomStringConvertible {
    public var status: Int
    public var message: String

    public init(status: Int = 400, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { message }
}

/// One push endpoint an adapter declares; mounted at `/webhooks/<channel-id><path>`.
///
/// The server calls ``verify`` first and ``handle`` only if it returns, so a request whose
/// signature is wrong is never parsed. `handle` throws ``WebhookRequestError`` for bad input.
public struct WebhookRoute: Sendable {
    public var method: String
    public var path: String
    /// The media types the route's body may have (`application/json`); empty takes any (a GET).
    /// The server answers 415, naming them, to an authentic request with another `Content-Type`,
    /// after `verify` and before `handle`, so a body is never read as what it is not.
    public var accepts: [String]
    public var verify: @Sendable (WebhookRequest) throws(WebhookAuthError) -> Void
    public var handle: @Sendable (WebhookRequest) async throws -> WebhookResult

    public init(
        method: String, path: String, accepts: [String] = [],
        verify: @escaping @Sendable (WebhookRequest) throws(WebhookAuthError) -> Void,
        handle: @escaping @Sendable (WebhookRequest) async throws -> WebhookResult
    ) {
        self.method = method
        self.path = path
        self.accepts = accepts
        self.verify = verify
        self.handle = handle
    }

    /// Why `request`'s `Content-Type` is not one the route accepts, or `nil` when it is.
    public func contentTypeRefusal(_ request: WebhookRequest) -> WebhookRequestError? {
        guard !accepts.isEmpty else { return nil }
        let header = request.header("Content-Type") ?? ""
        let mediaType = header.split(separator: ";", maxSplits: 1).first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }
        if let mediaType, accepts.contains(mediaType) { return nil }
        return WebhookRequestError(
            status: 415,
            "this route takes \(accepts.joined(separator: " or ")); the request's Content-Type was "
                + (header.isEmpty ? "missing" : "'\(String(header.prefix(100)))'"))
    }
}
