import Foundation
import SwitchboardAdapterKit

/// One Bot API call and its answer, the only place that builds a Bot API URL.
///
/// Calls are `POST <api_base_url>/bot<token>/<method>` with a JSON body, answered
/// `{"ok":true,"result":…}` or `{"ok":false,"error_code":…,"description":…,"parameters":{…}}`
/// (https://core.telegram.org/bots/api#making-requests). The URL carries the bot token, so neither
/// the URL nor any text that might echo it (a proxy's error page, a transport message) leaves this
/// type without the token cut out (``redact(_:)``).
struct TelegramAPI: Sendable {
    let baseURL: String
    let token: String
    let http: any HTTPClient

    /// Calls `method` with `body` as JSON and returns the `result` as JSON bytes.
    func call(_ method: String, body: some Encodable, timeout: Duration) async throws(TelegramAPIError) -> [UInt8] {
        let bytes: [UInt8]
        do {
            bytes = try JSONBody.encode(body)
        } catch {
            throw TelegramAPIError(method: method, code: nil, "could not encode the request: \(error)")
        }
        let request = HTTPClientRequest(
            method: "POST", url: "\(baseURL)/bot\(token)/\(method)",
            headers: JSONBody.headers, body: bytes, timeout: timeout)
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request)
        } catch {
            var failure = TelegramAPIError(method: method, code: nil, redact(error.message))
            failure.isRetryableTransport = error.isRetryable
            throw failure
        }
        return try answer(method, response)
    }

    /// The `result` of a successful answer, or the error Telegram described.
    func answer(_ method: String, _ response: HTTPClientResponse) throws(TelegramAPIError) -> [UInt8] {
        let object =
            (try? JSONSerialization.jsonObject(with: Data(response.body), options: [.fragmentsAllowed]))
            as? [String: Any]
        if (200..<300).contains(response.status), object?["ok"] as? Bool == true, let result = object?["result"],
            let bytes = try? JSONSerialization.data(withJSONObject: result, options: [.fragmentsAllowed])
        {
            return Array(bytes)
        }
        let code = (object?["error_code"] as? NSNumber)?.intValue ?? response.status
        var description = object?["description"] as? String
        if description == nil {
            let excerpt = String(response.text.prefix(200)).trimmingCharacters(in: .whitespacesAndNewlines)
            description =
                (200..<300).contains(response.status)
                ? "the answer was not Bot API JSON"
                : "HTTP \(response.status)" + (excerpt.isEmpty ? "" : ": \(excerpt)")
        }
        var failure = TelegramAPIError(method: method, code: code, redact(description ?? ""))
        let parameters = object?["parameters"] as? [String: Any]
        if let seconds = (parameters?["retry_after"] as? NSNumber)?.intValue, seconds >= 0 {
            failure.retryAfter = .seconds(seconds)
        } else {
            failure.retryAfter = response.retryAfter
        }
        failure.migrateToChatID = (parameters?["migrate_to_chat_id"] as? NSNumber)?.int64Value
        throw failure
    }

    /// `text` with every occurrence of the bot token replaced by `<bot_token>`.
    func redact(_ text: String) -> String {
        token.isEmpty ? text : text.replacingOccurrences(of: token, with: "<bot_token>")
    }

    /// The JSON of each element of an array result (getUpdates'), or nil when it is no array.
    static func elements(ofArray json: [UInt8]) -> [[UInt8]]? {
        guard let array = try? JSONSerialization.jsonObject(with: Data(json)) as? [Any] else { return nil }
        return array.map { element in
            (try? JSONSerialization.data(withJSONObject: element, options: [.fragmentsAllowed])).map(Array.init) ?? []
        }
    }
}

/// A Bot API call that failed: Telegram's `error_code` (or the HTTP status) and `description`, or
/// a transfer that got no answer (`code` nil). Never contains the bot token.
struct TelegramAPIError: Error, Sendable, CustomStringConvertible {
    /// The Bot API method called (`getUpdates`, `sendMessage`, `setWebhook`).
    var method: String
    /// `error_code` of the answer (an HTTP status), nil when no answer came.
    var code: Int?
    /// Telegram's `description` (`Forbidden: bot was blocked by the user`) or the transport's message.
    var message: String
    /// `parameters.retry_after` (or a `Retry-After` header) of a 429.
    var retryAfter: Duration?
    /// `parameters.migrate_to_chat_id`: the group became this supergroup.
    var migrateToChatID: Int64?
    /// No answer came and trying again may help (connection refused, timeout).
    var isRetryableTransport = false

    init(method: String, code: Int?, _ message: String) {
        self.method = method
        self.code = code
        self.message = message
    }

    var description: String {
        code.map { "\(method) failed with error \($0): \(message)" } ?? "\(method) got no answer: \(message)"
    }
}
