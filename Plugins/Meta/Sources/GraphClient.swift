import Foundation
import SwitchboardAdapterKit

/// One JSON POST to the Graph API and the reading of its answer, shared by the three channels:
/// the token goes in `Authorization: Bearer` (never in the URL), failures are classified by
/// ``GraphErrors``, and the answer's id field becomes the receipt.
struct GraphClient: Sendable {
    let settings: MetaAppSettings
    let http: any HTTPClient
    /// Which channel's error codes and doc pages to cite.
    let platform: GraphErrors.Platform

    /// POSTs `body` to `{graph}/{version}/{path}` and returns the answer's `idField` (a top-level
    /// key, or `messages[0].id` when the key is `messages`).
    func post(_ path: String, body: some Encodable, idField: String) async throws(SendError) -> SendReceipt {
        let bytes: [UInt8]
        do {
            bytes = try JSONBody.encode(body)
        } catch {
            throw SendError(.permanent, "the message could not be written as JSON: \(error)")
        }
        let request = HTTPClientRequest(
            method: "POST", url: settings.graphURL(path),
            headers: [("Authorization", "Bearer \(settings.accessToken)")] + JSONBody.headers,
            body: bytes, timeout: .seconds(20))
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request)
        } catch {
            let sendError = error.asSendError
            throw SendError(sendError.code, redact(sendError.message), cause: sendError.cause)
        }
        guard (200..<300).contains(response.status) else {
            throw GraphErrors.sendError(
                status: response.status, body: response.body, retryAfter: response.retryAfter, platform: platform,
                redacting: settings.accessToken)
        }
        guard let id = Self.receiptID(response.body, field: idField) else {
            // Accepted, but without an id its status reports cannot be matched; retrying would send it twice.
            throw SendError(
                .permanent,
                "Meta accepted the message (HTTP \(response.status)) but its answer had no '\(idField)'; "
                    + "it may have been delivered: check the conversation before sending again")
        }
        return SendReceipt(externalID: id)
    }

    /// `messages[0].id` (WhatsApp) or a top-level string such as `message_id` or `id`.
    static func receiptID(_ body: [UInt8], field: String) -> String? {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else { return nil }
        if field == "messages" {
            let first = (object["messages"] as? [[String: Any]])?.first
            return (first?["id"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        }
        return (object[field] as? String).flatMap { $0.isEmpty ? nil : $0 }
    }

    private func redact(_ text: String) -> String {
        text.replacingOccurrences(of: settings.accessToken, with: "[access token]")
    }
}
