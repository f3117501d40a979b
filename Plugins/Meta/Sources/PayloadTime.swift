import Foundation
import SwitchboardAdapterKit

/// Turns a timestamp from a Meta payload (seconds or milliseconds since 1970) into a `Date` only
/// when it is a plausible time (``MessageTime``); otherwise the caller falls back to when the hub
/// received the message and notes why.
enum PayloadTime {
    /// The date `seconds` after 1970, or nil when that is no plausible time.
    static func date(seconds: Double) -> Date? { MessageTime.date(seconds: seconds) }

    /// The warning for an envelope whose payload time was replaced by the reception time.
    static func warning(_ field: String, _ value: String) -> String {
        "the payload's '\(field)' (\(value)) is not a plausible time; the time the hub received it is shown"
    }
}
