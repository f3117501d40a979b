import Foundation

/// What a message's time can sensibly be: 1970 up to (not including) 2200. A channel's timestamp
/// outside it (or no number at all: `nan`, `inf`, `1e300`) is garbage, and a `Date` made of it
/// traps where it is used later. The store refuses such a time; adapters check with this first and
/// fall back to when the message was received, with a parse warning, so nothing is refused for it.
public enum MessageTime {
    /// 1970-01-01 up to (not including) 2200-01-01, in seconds since 1970.
    public static let plausibleSeconds: Range<Double> = 0..<7_258_118_400

    /// Whether `date` is a plausible message time.
    public static func isPlausible(_ date: Date) -> Bool {
        let seconds = date.timeIntervalSince1970
        return seconds.isFinite && plausibleSeconds.contains(seconds)
    }

    /// The date `seconds` after 1970, or nil when that is no plausible time.
    public static func date(seconds: Double) -> Date? {
        guard seconds.isFinite, plausibleSeconds.contains(seconds) else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }
}
