import Foundation
import SwitchboardAdapterKit

/// X's error answers, read and classified for the dispatcher (sends) and the poller (reads).
///
/// X answers errors as problem JSON (`{"title", "detail", "type", "status"}`) or, on some endpoints,
/// as `{"errors": [{…}]}`; rate limits come with `x-rate-limit-reset` (epoch seconds). Sources:
/// https://docs.x.com/x-api/fundamentals/response-codes-and-errors and
/// https://docs.x.com/x-api/fundamentals/rate-limits
enum XErrors {
    static let docsURL = "https://docs.x.com/x-api/fundamentals/response-codes-and-errors"

    /// What X said about a failure, from either error format.
    struct Problem: Sendable, Hashable {
        var title: String?
        var detail: String?
        var type: String?

        /// `detail`, else `title`, else an excerpt of the body.
        var summary: String { detail ?? title ?? "no details" }
    }

    static func problem(in body: [UInt8]) -> Problem {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else {
            let text = String(decoding: body.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            return Problem(detail: text.isEmpty ? nil : text)
        }
        if object["title"] != nil || object["detail"] != nil {
            return Problem(
                title: object["title"] as? String, detail: object["detail"] as? String, type: object["type"] as? String)
        }
        if let first = (object["errors"] as? [[String: Any]])?.first {
            return Problem(
                title: first["title"] as? String, detail: (first["detail"] ?? first["message"]) as? String,
                type: first["type"] as? String)
        }
        return Problem()
    }

    /// The shortest and longest wait taken from X's headers: a reset in the past still waits a
    /// second, and a reset absurdly far ahead (or a garbled one) waits an hour, not forever.
    static let waitRange: ClosedRange<Double> = 1...3600

    /// How long X asked us to wait: `x-rate-limit-reset` minus now, else `Retry-After` (seconds),
    /// clamped to ``waitRange``. Values that are not finite numbers (`nan`, `inf`) are ignored.
    static func retryAfter(_ response: HTTPClientResponse, now: Date = Date()) -> Duration? {
        if let reset = seconds(response.header("x-rate-limit-reset")) {
            return clampedWait(reset - now.timeIntervalSince1970)
        }
        return seconds(response.header("Retry-After")).map(clampedWait)
    }

    /// A header's number, if it is a finite one.
    static func seconds(_ header: String?) -> Double? {
        guard let header, let value = Double(header.trimmingCharacters(in: .whitespaces)), value.isFinite else {
            return nil
        }
        return value
    }

    /// Whole seconds within ``waitRange``; never traps, whatever the double.
    static func clampedWait(_ seconds: Double) -> Duration {
        let bounded =
            seconds.isFinite
            ? min(max(seconds.rounded(.up), waitRange.lowerBound), waitRange.upperBound) : waitRange.upperBound
        return .seconds(Int(exactly: bounded) ?? Int(waitRange.upperBound))
    }

    /// Classifies an error answer. `action` says what was attempted ("posting the reply").
    static func classify(_ response: HTTPClientResponse, action: String, now: Date = Date()) -> SendError {
        let status = response.status
        let problem = problem(in: response.body)
        let said = "X refused \(action) (HTTP \(status)): \(problem.summary)"
        let detail = (problem.detail ?? "").lowercased()
        let type = problem.type ?? ""
        switch status {
        case 429:
            return SendError(
                .rateLimited, "X rate-limited \(action) (HTTP 429): \(problem.summary) — \(docsURL)",
                retryAfter: retryAfter(response, now: now))
        case 401:
            return SendError(
                .unauthorized,
                "X refused the access_token (HTTP 401) while \(action): it expired or was revoked; give the channel a "
                    + "fresh OAuth 2.0 user-context token — \(docsURL)")
        case 403:
            if detail.contains("cannot send messages to this user") || detail.contains("not allowed to send") {
                return SendError(
                    .invalidRecipient,
                    "\(said). The customer does not accept DMs from this account (they may need to follow it or open "
                        + "their DMs); answer publicly instead")
            }
            if type.hasSuffix("client-forbidden") || type.hasSuffix("unsupported-authentication")
                || detail.contains("oauth") || detail.contains("scope")
            {
                return SendError(
                    .unauthorized, "\(said). Check the app's access level and the token's scopes — \(docsURL)")
            }
            return SendError(.permanent, "\(said) — \(docsURL)")
        case 404, 410:
            return SendError(.invalidRecipient, "\(said): the post or user does not exist (any more)")
        case 400:
            if type.hasSuffix("resource-not-found") || detail.contains("user not found")
                || detail.contains("could not find")
            {
                return SendError(.invalidRecipient, "\(said): the post or user does not exist (any more)")
            }
            return SendError(.permanent, "\(said) — \(docsURL)")
        case 408, 500...599:
            return SendError(.transient, "\(said); X is having trouble, it will be tried again later")
        default:
            return SendError(.permanent, "\(said) — \(docsURL)")
        }
    }
}
