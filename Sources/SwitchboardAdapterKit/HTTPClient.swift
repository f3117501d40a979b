/// Outbound HTTP as adapters see it. The hub passes its libcurl client; tests pass a fake.
public protocol HTTPClient: Sendable {
    func execute(_ request: HTTPClientRequest) async throws(TransportError) -> HTTPClientResponse
}

/// One HTTP request.
public struct HTTPClientRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Whole-transfer time limit.
    public var timeout: Duration

    public init(
        method: String = "GET", url: String, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
        timeout: Duration = .seconds(30)
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// One HTTP response.
public struct HTTPClientResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name.lowercased() == lowered }?.value
    }

    public var text: String { String(decoding: body, as: UTF8.self) }

    /// `Retry-After` in seconds, if the server sent one.
    public var retryAfter: Duration? {
        guard let value = header("Retry-After"), let seconds = Int(value.trimmingWhitespace()), seconds >= 0 else {
            return nil
        }
        return .seconds(seconds)
    }
}

/// A transfer that did not produce an HTTP response (or a mail transfer that failed).
public struct TransportError: Error, Sendable, CustomStringConvertible {
    /// Whether a retry may succeed (connection refused, timeout) or not (bad URL, TLS verification).
    public var isRetryable: Bool
    public var message: String
    /// The server's last reply code where the protocol has one (an SMTP `550`, an HTTP status).
    public var replyCode: Int?
    /// The server refused our credentials: fix the settings, do not retry.
    public var isLoginDenied: Bool
    /// This one item will never be given (a message over the size limit, or gone), while the
    /// server itself works: a poller records it and moves on instead of stopping there.
    public var isItemUnavailable: Bool

    public init(
        isRetryable: Bool, _ message: String, replyCode: Int? = nil, isLoginDenied: Bool = false,
        isItemUnavailable: Bool = false
    ) {
        self.isRetryable = isRetryable
        self.message = message
        self.replyCode = replyCode
        self.isLoginDenied = isLoginDenied
        self.isItemUnavailable = isItemUnavailable
    }

    public var description: String { message }

    /// The matching send error, for adapters.
    public var asSendError: SendError {
        if isLoginDenied { return SendError(.unauthorized, message, cause: self) }
        return SendError(isRetryable ? .transient : .permanent, message, cause: self)
    }
}
