/// Why a send failed, and whether trying again can help.
///
/// Every adapter classifies its failures into one of these codes; the dispatcher retries
/// ``Code/transient`` and ``Code/rateLimited`` with backoff (honouring ``retryAfter``) and
/// dead-letters the rest, visibly.
///
/// ```swift
/// do { receipt = try await adapter.send(message) }
/// catch SendError.rateLimited { … }
/// ```
public struct SendError: Error, Sendable, CustomStringConvertible {
    /// The class of failure. A struct around a private enum, so codes can be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        enum Value: String, Sendable { case transient, rateLimited, permanent, unauthorized, invalidRecipient }
        let value: Value

        /// A network fault or a 5xx: trying again later may succeed.
        public static let transient = Code(value: .transient)
        /// The channel asked us to slow down; see ``SendError/retryAfter``.
        public static let rateLimited = Code(value: .rateLimited)
        /// The channel refused the message for good (too long, blocked, opted out …).
        public static let permanent = Code(value: .permanent)
        /// Our credentials were refused: fix the channel's settings.
        public static let unauthorized = Code(value: .unauthorized)
        /// The customer's address does not exist on the channel.
        public static let invalidRecipient = Code(value: .invalidRecipient)

        /// Whether the dispatcher should try again.
        public var isRetryable: Bool { self == .transient || self == .rateLimited }
        public var description: String { value.rawValue }
    }

    public var code: Code
    /// What went wrong and what would fix it, fit to show an agent.
    public var message: String
    /// How long the channel asked us to wait, if it said.
    public var retryAfter: Duration?
    /// The underlying error, if any. Never contains secrets.
    public var cause: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, retryAfter: Duration? = nil, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
        self.cause = cause
    }

    public var description: String { "\(code): \(message)" }

    public static let transient = Code.transient
    public static let rateLimited = Code.rateLimited
    public static let permanent = Code.permanent
    public static let unauthorized = Code.unauthorized
    public static let invalidRecipient = Code.invalidRecipient

    /// Classifies an HTTP status returned by a channel API. Adapters refine this with the channel's
    /// own error codes where it has them.
    public static func forHTTPStatus(_ status: Int, body: String, retryAfter: Duration? = nil) -> SendError {
        let excerpt = String(body.prefix(300))
        switch status {
        case 429:
            return SendError(
                .rateLimited, "the channel answered 429 Too Many Requests: \(excerpt)", retryAfter: retryAfter)
        case 401, 403:
            return SendError(
                .unauthorized, "the channel refused our credentials (HTTP \(status)); check the channel's settings")
        case 404, 410: return SendError(.invalidRecipient, "the channel answered HTTP \(status): \(excerpt)")
        case 408, 500...599:
            return SendError(.transient, "the channel answered HTTP \(status): \(excerpt)", retryAfter: retryAfter)
        default: return SendError(.permanent, "the channel answered HTTP \(status): \(excerpt)")
        }
    }
}

extension SendError.Code {
    /// Lets callers write `catch SendError.permanent`.
    public static func ~= (code: SendError.Code, error: any Error) -> Bool {
        (error as? SendError)?.code == code
    }
}
