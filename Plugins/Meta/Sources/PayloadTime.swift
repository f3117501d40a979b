import Foundation

/// Turns a timestamp from a Meta payload (seconds or milliseconds since 1970) into a `Date` only
/// when it is a plausible time: a finite number between 1970 and 2200. Anything else (`nan`,
/// `inf`, `1e300`) would make a `Date` that traps where it is used later, so the caller falls
/// back to when the hub received the message and notes why.
enum PayloadTime {
    /// 1970-01-01 up to (not including) 2200-01-01, in seconds since 1970.
    static let plausibleSeconds: Range<Double> = 0..<7_258_118_400

    /// The date `seconds` after 1970, or nil when that is no plausible time.
    static func date(seconds: Double) -> Date? {
        guard seconds.isFinite, plausibleSeconds.contains(seconds) else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }

    /// The warning for an envelope whose payload time was replaced by the reception time.
    static func warning(_ field: String, _ value: String) -> String {
        "the payload's '\(field)' (\(value)) is not a plausible time; the time the hub received it is shown"
    }
}
