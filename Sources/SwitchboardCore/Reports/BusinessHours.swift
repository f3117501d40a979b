import Foundation

/// When the team works: open intervals per weekday in one time zone, and holidays. SLA targets and
/// report times are counted in these hours only, so a mail that arrives on Friday evening is not
/// "late" on Monday at nine.
public struct BusinessHours: Sendable, Hashable {
    /// An open interval of one day, in minutes after local midnight (`end` may be 1440).
    public struct Interval: Sendable, Hashable {
        public var start: Int
        public var end: Int

        public init(start: Int, end: Int) {
            self.start = start
            self.end = end
        }
    }

    public var timeZone: TimeZone
    /// Open intervals per weekday, 1 = Sunday ... 7 = Saturday (as `Calendar` counts them).
    public var week: [Int: [Interval]]
    /// Local dates (`2026-12-25`) on which the team does not work.
    public var holidays: Set<String>

    public init(timeZone: TimeZone, week: [Int: [Interval]], holidays: Set<String> = []) {
        self.timeZone = timeZone
        self.week = week.mapValues { $0.sorted { $0.start < $1.start } }
        self.holidays = holidays
    }

    /// Every hour of every day: what SLAs count in when no business hours are configured.
    public static let always = BusinessHours(
        timeZone: TimeZone(identifier: "UTC") ?? .current,
        week: Dictionary(uniqueKeysWithValues: (1...7).map { ($0, [Interval(start: 0, end: 1440)]) }))

    /// Whether the team is working at `date`.
    public func isOpen(at date: Date) -> Bool {
        openIntervals(onDayOf: date).contains { $0.start <= date && date < $0.end }
    }

    /// Working seconds between `from` and `to` (0 when `to` is not after `from`).
    public func seconds(from: Date, to: Date) -> TimeInterval {
        guard to > from else { return 0 }
        if self == .always { return to.timeIntervalSince(from) }
        var total: TimeInterval = 0
        var day = calendar.startOfDay(for: from)
        while day < to {
            for interval in openIntervals(onDayOf: day) {
                let start = max(interval.start, from)
                let end = min(interval.end, to)
                if end > start { total += end.timeIntervalSince(start) }
            }
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { break }
            day = next
        }
        return total
    }

    /// The moment `seconds` working seconds after `start`; nil when the schedule has no open hour
    /// in the next ten years (a configuration the config check refuses).
    public func deadline(from start: Date, adding seconds: TimeInterval) -> Date? {
        if self == .always { return start.addingTimeInterval(seconds) }
        var remaining = seconds
        var day = calendar.startOfDay(for: start)
        for _ in 0..<3_660 {
            for interval in openIntervals(onDayOf: day) where interval.end > start {
                let from = max(interval.start, start)
                let available = interval.end.timeIntervalSince(from)
                if remaining <= available { return from.addingTimeInterval(remaining) }
                remaining -= available
            }
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { return nil }
            day = next
        }
        return nil
    }

    private var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    /// The open intervals of the local day that contains `date`, as absolute times.
    private func openIntervals(onDayOf date: Date) -> [(start: Date, end: Date)] {
        let calendar = calendar
        let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: date)
        guard let year = parts.year, let month = parts.month, let dayOfMonth = parts.day, let weekday = parts.weekday
        else { return [] }
        if holidays.contains(String(format: "%04d-%02d-%02d", year, month, dayOfMonth)) { return [] }
        let midnight = calendar.startOfDay(for: date)
        return (week[weekday] ?? []).compactMap { interval in
            guard let start = time(interval.start, on: midnight, calendar),
                let end = time(interval.end, on: midnight, calendar)
            else { return nil }
            return (start, end)
        }
    }

    /// Local wall-clock `minutes` after midnight on the day that starts at `midnight`.
    private func time(_ minutes: Int, on midnight: Date, _ calendar: Calendar) -> Date? {
        if minutes >= 1440 { return calendar.date(byAdding: .day, value: 1, to: midnight) }
        return calendar.date(bySettingHour: minutes / 60, minute: minutes % 60, second: 0, of: midnight)
    }
}
