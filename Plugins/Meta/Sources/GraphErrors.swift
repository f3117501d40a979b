import Foundation
import SwitchboardAdapterKit

/// Graph API error answers (`{"error":{"message","type","code","error_subcode","fbtrace_id"}}`)
/// classified for the dispatcher and explained for agents. Sources:
/// https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes,
/// https://developers.facebook.com/docs/graph-api/guides/error-handling and
/// https://developers.facebook.com/docs/messenger-platform/error-codes.
enum GraphErrors {
    /// Which product's doc page an error cites.
    enum Platform: Sendable {
        case whatsapp, messenger, instagram

        var docURL: String {
            switch self {
            case .whatsapp: "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes"
            case .messenger: "https://developers.facebook.com/docs/messenger-platform/error-codes"
            case .instagram: "https://developers.facebook.com/docs/graph-api/guides/error-handling"
            }
        }
    }

    /// Meta's "slow down" codes: app, account, page and business-number throttling, spam rate limits.
    static let throttling: Set<Int> = [4, 17, 32, 613, 80007, 130429, 131048, 131056]
    /// Meta-side faults that a later retry may get through.
    static let transient: Set<Int> = [1, 2, 131000, 131016]
    /// The recipient does not exist or cannot be reached on this channel.
    static let undeliverable: Set<Int> = [131026, 131030, 551]
    /// Messenger/Instagram subcodes of code 10 meaning "outside the 24-hour window", not a permission problem.
    static let windowSubcodes: Set<Int> = [2018278, 2534022]
    /// Messenger "No matching user found" (code 100).
    static let noMatchingUserSubcode = 2018001

    /// One `error` object.
    struct Body: Decodable {
        struct Detail: Decodable {
            var message: String?
            var type: String?
            var code: Int?
            var errorSubcode: Int?
            var fbtraceID: String?
            var errorData: ErrorData?

            enum CodingKeys: String, CodingKey {
                case message, type, code
                case errorSubcode = "error_subcode"
                case fbtraceID = "fbtrace_id"
                case errorData = "error_data"
            }
        }

        /// WhatsApp's extra explanation.
        struct ErrorData: Decodable {
            var details: String?
        }

        var error: Detail
    }

    static func sendError(
        status: Int, body: [UInt8], retryAfter: Duration?, platform: Platform, redacting token: String
    ) -> SendError {
        guard let detail = try? JSONDecoder().decode(Body.self, from: Data(body)).error else {
            let excerpt = String(String(decoding: body, as: UTF8.self).prefix(300))
                .replacingOccurrences(of: token, with: "[access token]")
            let fallback = SendError.forHTTPStatus(status, body: excerpt, retryAfter: retryAfter)
            return SendError(fallback.code, "Meta's Graph API: " + fallback.message, retryAfter: fallback.retryAfter)
        }
        return classify(status: status, detail: detail, retryAfter: retryAfter, platform: platform, token: token)
    }

    static func classify(
        status: Int, detail: Body.Detail, retryAfter: Duration?, platform: Platform, token: String
    ) -> SendError {
        let code = detail.code
        let subcode = detail.errorSubcode
        var said = detail.message ?? "no message"
        if let details = detail.errorData?.details, !details.isEmpty, details != said { said += " (\(details))" }
        said = said.replacingOccurrences(of: token, with: "[access token]")
        let ids =
            "HTTP \(status)" + (code.map { ", error \($0)" } ?? "") + (subcode.map { ", subcode \($0)" } ?? "")
            + (detail.fbtraceID.map { ", fbtrace_id \($0)" } ?? "")
        func error(_ kind: SendError.Code, _ explanation: String?, retry: Duration? = nil) -> SendError {
            let text =
                "Meta refused the message (\(ids)): " + (explanation.map { "\($0). Meta said: \(said)" } ?? said)
                + " — \(platform.docURL)"
            return SendError(kind, text, retryAfter: retry)
        }
        guard let code else {
            if status == 429 { return error(.rateLimited, nil, retry: retryAfter) }
            if status >= 500 { return error(.transient, nil, retry: retryAfter) }
            if status == 401 || status == 403 { return error(.unauthorized, "check access_token") }
            return error(.permanent, nil)
        }
        if code == 131047 || (code == 10 && subcode.map(windowSubcodes.contains) == true) {
            return error(
                .permanent,
                "more than 24 hours have passed since the customer last wrote (the 24-hour customer-service "
                    + "window): a free-form reply is not allowed now; send an approved template instead")
        }
        if (132000...132015).contains(code) {
            return error(
                .permanent,
                "the message template was refused: check the template's name, language and number of "
                    + "parameters against the approved template in WhatsApp Manager")
        }
        if throttling.contains(code) {
            return error(
                .rateLimited, "Meta is throttling this app or number; the send will be retried later",
                retry: retryAfter)
        }
        if transient.contains(code) || status >= 500 {
            return error(.transient, "a temporary fault at Meta; the send will be retried", retry: retryAfter)
        }
        if undeliverable.contains(code) || (code == 100 && subcode == noMatchingUserSubcode) {
            return error(.invalidRecipient, "the customer cannot be reached at this address on this channel")
        }
        if code == 190 || code == 102 || code == 10 || (200...299).contains(code) {
            return error(
                .unauthorized,
                "the access token was refused or lacks a permission: renew access_token or grant the missing "
                    + "permission to the system user or page")
        }
        return error(.permanent, nil)
    }
}
