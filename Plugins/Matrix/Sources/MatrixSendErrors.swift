import SwitchboardAdapterKit

/// Reads the homeserver's answer to a send: the new event's id, or a failure classified for the
/// dispatcher by the Matrix error codes
/// (https://spec.matrix.org/latest/client-server-api/#standard-error-response) and explained so an
/// agent can act on it.
enum MatrixSendErrors {
    static let errorsURL = "https://spec.matrix.org/latest/client-server-api/#standard-error-response"

    static func receipt(from response: HTTPClientResponse, roomID: String, userID: String) throws(SendError)
        -> SendReceipt
    {
        guard (200..<300).contains(response.status) else {
            throw sendError(MatrixAPIError(endpoint: "send", response: response), roomID: roomID, userID: userID)
        }
        guard let eventID = MatrixJSON.parse(response.body)?["event_id"]?.string, !eventID.isEmpty else {
            // Accepted, but without an id: a retry with the same transaction id returns the same event,
            // so retrying is safe and gives the id.
            throw SendError(
                .transient,
                "the homeserver accepted the message (HTTP \(response.status)) but its answer had no event_id")
        }
        return SendReceipt(externalID: eventID)
    }

    static func sendError(_ error: MatrixAPIError, roomID: String, userID: String) -> SendError {
        let status = error.status ?? 0
        let code = error.errcode ?? "HTTP \(status)"
        let said = error.message.isEmpty ? "" : " (\(error.message.prefix(200)))"
        switch (status, error.errcode) {
        case (_, "M_LIMIT_EXCEEDED"), (429, _):
            return SendError(
                .rateLimited, "the homeserver asks us to slow down (\(code))\(said) — \(errorsURL)",
                retryAfter: error.retryAfter)
        case (_, "M_UNKNOWN_TOKEN"), (_, "M_MISSING_TOKEN"), (401, _):
            return SendError(
                .unauthorized,
                "the homeserver refused the access_token of \(userID) (\(code)): log in again and update the "
                    + "channel's access_token — \(errorsURL)")
        case (_, "M_FORBIDDEN"), (403, _):
            return SendError(
                .permanent,
                "\(userID) may not post in room \(roomID) (\(code))\(said): it was removed from the room or "
                    + "lacks the power level to send; invite it back (or raise its power level) and retry — "
                    + errorsURL)
        case (_, "M_NOT_FOUND"), (404, _):
            return SendError(
                .invalidRecipient,
                "the homeserver does not know room \(roomID) (\(code))\(said); the room may have been deleted — "
                    + errorsURL)
        case (_, "M_TOO_LARGE"), (413, _):
            return SendError(.permanent, "the message is too large for the homeserver (\(code)); shorten it")
        case (408, _), (500...599, _):
            return SendError(
                .transient, "the homeserver answered \(code)\(said); it will be tried again",
                retryAfter: error.retryAfter)
        default:
            return SendError(
                .permanent, "the homeserver refused the message (HTTP \(status), \(code))\(said) — \(errorsURL)")
        }
    }
}
