import CCurl
import SwitchboardAdapterKit

/// Turns a failed mail transfer into a ``TransportError`` that says what went wrong and whether a
/// retry can help. Every message is built from the server's base URL, never a full URL, and
/// passes through ``CurlSupport/redact(_:secrets:)`` with the password.
enum MailFailure {
    static func imap(_ outcome: MailOutcome, call: MailCall, action: String) -> TransportError? {
        guard outcome.code != CURLE_OK else { return nil }
        let server = call.endpoint.base
        let said = outcome.serverLine.map { " (the server said: \($0))" } ?? ""
        let error: TransportError
        switch outcome.code {
        case CURLE_LOGIN_DENIED where outcome.errorText.contains("Select failed"):
            error = TransportError(
                isRetryable: false, "\(action) at \(server) failed: the server could not open the folder\(said)")
        case CURLE_LOGIN_DENIED
        where outcome.serverLine.map { $0.contains("[UNAVAILABLE]") || $0.contains("[INUSE]") } ?? false:
            error = TransportError(
                isRetryable: true, "\(action) at \(server) failed: the server refused the login for now\(said)")
        case CURLE_LOGIN_DENIED:
            error = loginDenied(server: server, username: call.username, said: said)
        case CURLE_REMOTE_FILE_NOT_FOUND where outcome.errorText.contains("UIDVALIDITY"):
            error = TransportError(
                isRetryable: false,
                "\(action) at \(server) failed: the folder was renumbered (its UIDVALIDITY changed); "
                    + "read its STATUS again and start over from the new UIDVALIDITY")
        case CURLE_REMOTE_FILE_NOT_FOUND:
            error = TransportError(
                isRetryable: false, "\(action) at \(server) failed: there is no such message (expunged?)\(said)",
                isItemUnavailable: true)
        case CURLE_QUOTE_ERROR:
            error = TransportError(isRetryable: false, "\(action) at \(server) failed: the server refused it\(said)")
        default:
            error = common(outcome, call: call, action: action, said: said)
        }
        return redacted(error, call)
    }

    static func smtp(_ outcome: MailOutcome, call: MailCall) -> TransportError? {
        guard outcome.code != CURLE_OK else { return nil }
        let server = call.endpoint.base
        let said = outcome.serverLine.map { " (the server said: \($0))" } ?? ""
        let reply = outcome.responseCode
        let action = "sending mail through \(server)"
        var error: TransportError
        if outcome.code == CURLE_LOGIN_DENIED {
            error = loginDenied(server: server, username: call.username, said: said)
            if reply >= 400 { error.replyCode = reply }
        } else if (400..<600).contains(reply), outcome.code != CURLE_OPERATION_TIMEDOUT {
            let stage: String
            if reply == 530 {
                stage = "requires a login (set username and password)"
            } else if outcome.errorText.hasPrefix("MAIL") {
                stage = "refused the sender \(call.mailFrom ?? "")"
            } else if outcome.errorText.hasPrefix("RCPT") || reply == 550 || reply == 551 || reply == 553 {
                // aiosmtpd-style relays refuse an unknown recipient only at the end of DATA.
                stage = "refused the recipient (\(call.recipients.joined(separator: ", ")))"
            } else {
                stage = "refused the message"
            }
            if reply < 500 {
                error = TransportError(
                    isRetryable: true, "\(action) failed: the server \(stage) for now, reply \(reply)\(said)",
                    replyCode: reply)
            } else {
                error = TransportError(
                    isRetryable: false, "\(action) failed: the server \(stage), reply \(reply)\(said)",
                    replyCode: reply)
            }
        } else {
            var judged = common(outcome, call: call, action: action, said: said)
            if reply >= 400 { judged.replyCode = reply }
            error = judged
        }
        return redacted(error, call)
    }

    private static func loginDenied(server: String, username: String?, said: String) -> TransportError {
        TransportError(
            isRetryable: false,
            "\(server) refused the login\(username.map { " of \($0)" } ?? ""): "
                + "check the username and password for \(server)\(said)",
            isLoginDenied: true)
    }

    /// What IMAP and SMTP share: TLS, connection and size failures.
    private static func common(_ outcome: MailOutcome, call: MailCall, action: String, said: String)
        -> TransportError
    {
        let server = call.endpoint.base
        let detail = outcome.errorText.isEmpty ? CurlSupport.describe(outcome.code) : outcome.errorText
        switch outcome.code {
        case CURLE_WRITE_ERROR where outcome.overflowed:
            return TransportError(
                isRetryable: false,
                "\(action) at \(server) failed: the reply is larger than the limit of "
                    + "\(bytes(call.responseLimit)); it was not read", isItemUnavailable: true)
        case CURLE_PEER_FAILED_VERIFICATION:
            return TransportError(
                isRetryable: false,
                "\(action) failed: the TLS certificate of \(server) could not be verified (\(detail)); "
                    + "if the server uses a private CA, give its certificate as caFile")
        case CURLE_SSL_CACERT_BADFILE:
            return TransportError(
                isRetryable: false, "\(action) failed: the caFile \(call.caFile ?? "") could not be read (\(detail))")
        case CURLE_USE_SSL_FAILED:
            return TransportError(
                isRetryable: false,
                "\(action) failed: \(server) does not offer STARTTLS, and tls: starttls does not fall back "
                    + "to clear text\(said)")
        case CURLE_SSL_CONNECT_ERROR:
            return TransportError(
                isRetryable: false,
                "\(action) failed: the TLS handshake with \(server) failed (\(detail)); check that the port "
                    + "speaks TLS from the start for tls: implicit, or plain text then STARTTLS for tls: starttls")
        case CURLE_COULDNT_CONNECT, CURLE_OPERATION_TIMEDOUT, CURLE_COULDNT_RESOLVE_HOST, CURLE_SEND_ERROR,
            CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE:
            return TransportError(isRetryable: true, "\(action) failed: \(detail)\(said)")
        default:
            return TransportError(
                isRetryable: false, "\(action) at \(server) failed: \(detail) (libcurl \(outcome.code.rawValue))\(said)"
            )
        }
    }

    private static func bytes(_ count: Int) -> String {
        count >= 1_048_576 && count % 1_048_576 == 0 ? "\(count / 1_048_576) MB" : "\(count) bytes"
    }

    private static func redacted(_ error: TransportError, _ call: MailCall) -> TransportError {
        var error = error
        error.message = CurlSupport.redact(error.message, secrets: [call.password])
        return error
    }
}
