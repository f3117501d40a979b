import Foundation

/// Reads and writes RFC 5322 dates (`Tue, 3 Apr 2012 16:23:59 +0400`).
///
/// Reading accepts what mail really carries: obsolete zone names (`GMT`, `EST`, military
/// letters, which RFC 5322 §4.3 says to treat as `-0000`), two- and three-digit years, missing
/// seconds or weekday, comments, full month names, `asctime` order and AM/PM. The calendar
/// arithmetic is done here (proleptic Gregorian, days from 1970) rather than through `Calendar`,
/// so it is exact, allocation-free and the same on every platform.
enum MailDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let zones: [String: Int] = [
        "ut": 0, "utc": 0, "gmt": 0, "z": 0, "est": -5 * 60, "edt": -4 * 60, "cst": -6 * 60, "cdt": -5 * 60,
        "mst": -7 * 60, "mdt": -6 * 60, "pst": -8 * 60, "pdt": -7 * 60, "bst": 60, "cet": 60, "cest": 120,
        "met": 60, "mest": 120, "eet": 120, "eest": 180, "jst": 9 * 60, "ist": 330, "hkt": 480, "kst": 540,
        "msk": 180, "wet": 0, "west": 60, "aest": 600, "aedt": 660,
    ]

    /// Parses a date header; nil when no day, month, year and time can be found or they are out of range.
    static func parse(_ raw: String) -> Date? {
        var cleaned = String.UnicodeScalarView()
        var depth = 0
        for scalar in raw.unicodeScalars.prefix(256) {
            if scalar == "(" { depth += 1; continue }
            if scalar == ")" { depth = max(0, depth - 1); continue }
            if depth > 0 { continue }
            cleaned.append(scalar == "," ? " " : scalar)
        }
        var day: Int?, month: Int?, year: Int?
        var hour = 0, minute = 0, second = 0
        var offsetMinutes = 0
        var pm: Bool?
        for token in String(cleaned).split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }) {
            var token = token.asciiLowercasedSubstring
            if token.hasSuffix(".") { token.removeLast() }
            guard let first = token.unicodeScalars.first else { continue }
            if token.contains(":") && first.properties.numericType != nil {
                // The time, possibly with a zone glued on: 15:04:05+0000.
                var timePart = token
                if let sign = token.firstIndex(where: { $0 == "+" || $0 == "-" }) {
                    timePart = String(token[..<sign])
                    if let offset = parseOffset(String(token[sign...])) { offsetMinutes = offset }
                }
                let fields = timePart.split(separator: ":").map { Int($0) }
                guard fields.count >= 2, fields.count <= 3, let h = fields[0], let m = fields[1] else { return nil }
                hour = h
                minute = m
                second = fields.count == 3 ? (fields[2] ?? 0) : 0
            } else if first == "+" || first == "-" {
                if let offset = parseOffset(token) { offsetMinutes = offset }
            } else if let number = Int(token) {
                if day == nil, token.count <= 2, (1...31).contains(number) {
                    day = number
                } else if year == nil {
                    year = token.count == 4 || number >= 1000 ? number : (number < 50 ? 2000 + number : 1900 + number)
                }
            } else if let index = months.firstIndex(where: { token.hasPrefix($0) }), month == nil, token.count >= 3 {
                month = index + 1
            } else if token == "am" || token == "pm" {
                pm = token == "pm"
            } else if let zone = zones[token] {
                offsetMinutes = zone
            } else if token.hasPrefix("gmt") || token.hasPrefix("utc"),
                let offset = parseOffset(String(token.dropFirst(3)))
            {
                offsetMinutes = offset
            }
        }
        guard let day, let month, let year else { return nil }
        if let pm {
            if hour == 12 { hour = pm ? 12 : 0 } else if pm { hour += 12 }
        }
        guard (1...daysInMonth(month, year: year)).contains(day), (0...23).contains(hour),
            (0...59).contains(minute), (0...60).contains(second), (1...9999).contains(year)
        else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + min(second, 59) - offsetMinutes * 60
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// `+hhmm`, `-hhmm`, `+hh:mm` or `+h` as minutes east of UTC.
    private static func parseOffset(_ token: String) -> Int? {
        guard let sign = token.first, sign == "+" || sign == "-" else { return nil }
        let digits = token.dropFirst().filter { $0 != ":" }
        guard !digits.isEmpty, digits.count <= 4, let value = Int(digits) else { return nil }
        let minutes = digits.count <= 2 ? value * 60 : value / 100 * 60 + value % 100
        guard minutes < 24 * 60 else { return nil }
        return sign == "-" ? -minutes : minutes
    }

    private static func daysInMonth(_ month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Formats `date` in UTC as RFC 5322 requires: `Tue, 03 Apr 2012 12:23:59 +0000`.
    static func format(_ date: Date) -> String {
        let total = Int(date.timeIntervalSince1970.rounded(.down))
        let days = Int((Double(total) / 86_400).rounded(.down))
        let secondsOfDay = total - days * 86_400
        let (year, month, day) = civilFromDays(days)
        let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
        let weekday = weekdays[((days % 7) + 7) % 7]
        let monthName = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][month - 1]
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(weekday), \(two(day)) \(monthName) \(year) \(two(secondsOfDay / 3600)):"
            + "\(two(secondsOfDay / 60 % 60)):\(two(secondsOfDay % 60)) +0000"
    }
}

extension Substring {
    fileprivate var asciiLowercasedSubstring: String { String(self).asciiLowercased }
}
