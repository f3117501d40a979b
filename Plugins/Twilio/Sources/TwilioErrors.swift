import SwitchboardAdapterKit

/// Twilio's error codes, classified for the dispatcher (retry or not) and explained for agents.
/// Codes: https://www.twilio.com/docs/api/errors (each code has its page, e.g. `/errors/21610`).
enum TwilioErrors {
    /// What a code means, in words an agent can act on, for the codes support teams meet.
    static let descriptions: [Int: String] = [
        20003: "authentication failed: check account_sid and auth_token (or the API key)",
        20404: "the account or resource was not found: check account_sid",
        20429: "too many requests",
        14107: "the account's SMS rate limit was exceeded",
        21211: "the 'To' number is not a valid phone number",
        21408: "sending to this region is not enabled in the Twilio console (Geo permissions)",
        21606: "the 'From' number is not a Twilio number of this account that can send SMS",
        21610: "the customer replied STOP to this sender; Twilio blocks every message until they reply START",
        21611: "the sender's queue of unsent messages is full",
        21612: "Twilio cannot route a message from this sender to this number",
        21614: "the 'To' number is not a mobile number",
        21617: "the text is longer than 1,600 characters",
        30001: "the message queue overflowed",
        30003: "the handset is unreachable (switched off or out of coverage)",
        30004: "the message was blocked by the carrier or the customer",
        30005: "the number is unknown or no longer exists",
        30006: "the number is a landline or cannot receive SMS",
        30007: "the carrier filtered the message as spam",
        30008: "unknown delivery error",
        63016: "outside WhatsApp's 24-hour window: only an approved template message may be sent now",
    ]

    /// Classifies an error answer from the Messages API.
    static func sendError(status: Int, code: Int?, message: String, retryAfter: Duration?) -> SendError {
        let described = code.flatMap { descriptions[$0] }
        let text =
            "Twilio refused the message (HTTP \(status)\(code.map { ", error \($0)" } ?? "")): "
            + (described ?? message) + (code.map { " — https://www.twilio.com/docs/api/errors/\($0)" } ?? "")
        switch code {
        case 20429, 14107, 21611, 30001: return SendError(.rateLimited, text, retryAfter: retryAfter)
        case 20003, 20404: return SendError(.unauthorized, text)
        case 21211, 21614, 30005, 30006: return SendError(.invalidRecipient, text)
        case 21610, 21408, 21606, 21612, 21617, 63016, 30004, 30007: return SendError(.permanent, text)
        default:
            if status == 429 { return SendError(.rateLimited, text, retryAfter: retryAfter) }
            if status >= 500 || status == 408 { return SendError(.transient, text, retryAfter: retryAfter) }
            if status == 401 || status == 403 { return SendError(.unauthorized, text) }
            return SendError(.permanent, text)
        }
    }

    /// The reason shown for an `undelivered` or `failed` status callback.
    static func reason(state: String, code: String?) -> String {
        guard let code, let number = Int(code) else { return "Twilio reported the message \(state)" }
        let described = descriptions[number].map { ": \($0)" } ?? ""
        return "Twilio reported the message \(state) (error \(number)\(described))"
    }
}
