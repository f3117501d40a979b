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

    public let timeZone: TimeZone
    /// Open intervals per weekday, 1 = Sunday ... 7 = Saturday (as `Calendar` counts them).
    public let week: [Int: [Interval]]
    /// Local dates (`2026-12-25`) on which the team does not work.
    public let holidays: Set<String>
    /// The Gregorian calendar in ``timeZone``, made once: every day walked below asks it.
    public let calendar: Calendar

    public init(timeZone: TimeZone, week: [Int: [Interval]], holidays: Set<String> = []) {
        self.timeZone = timeZone
        self.week = week.mapValues { $0.sorted { $0.start < $1.start } }
        self.holidays = holidays
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    /// The local date of `date` in ``timeZone``, written `2026-12-25` (as holidays and report
    /// periods are).
    public func localDay(of date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
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

    /// The open intervals of the local day that contains `date`, as absolute times.
    private func openIntervals(onDayOf date: Date) -> [(start: Date, end: Date)] {
        guard let weekday = calendar.dateComponents([.weekday], from: date).weekday,
            holidays.isEmpty || !holidays.contains(localDay(of: date))
        else { return [] }
        let midnight = calendar.startOfDay(for: date)
        return (week[weekday] ?? []).compactMap { interval in
            guard let start = time(interval.start, on: midnight), let end = time(interval.end, on: midnight)
            else { return nil }
            return (start, end)
        }
    }

    /// Local wall-clock `minutes` after midnight on the day that starts at `midnight`.
    private func time(_ minutes: Int, on midnight: Date) -> Date? {
        if minutes >= 1440 { return calendar.date(byAdding: .day, value: 1, to: midnight) }
        return calendar.date(bySettingHour: minutes / 60, minute: minutes % 60, second: 0, of: midnight)
    }
}
