import Foundation
import SwitchboardAdapterKit
import SwitchboardCore

/// `business_hours:` — when the team works, in one time zone:
///
/// ```yaml
/// business_hours:
///   time_zone: Europe/Paris
///   days: { mon: "09:00-17:00", tue: "09:00-12:00, 13:00-17:00" }   # days not named are closed
///   holidays: [2026-12-25]
/// ```
struct BusinessHoursSection: Decodable {
    var hours: BusinessHours

    enum CodingKeys: String, CodingKey {
        case timeZone = "time_zone"
        case days, holidays
    }

    static let dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let zoneName = try container.decode(String.self, forKey: .timeZone)
        guard let zone = TimeZone(identifier: zoneName) else {
            throw DecodingError.dataCorruptedError(
                forKey: .timeZone, in: container,
                debugDescription: "'\(zoneName)' is not a time zone; write an IANA name such as Europe/Paris or UTC")
        }
        let days = try container.decode([String: String].self, forKey: .days)
        var week: [Int: [BusinessHours.Interval]] = [:]
        for (name, text) in days.sorted(by: { $0.key < $1.key }) {
            guard let index = Self.dayNames.firstIndex(of: name) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .days, in: container,
                    debugDescription: "'\(name)' is not a day; days are \(Self.dayNames.joined(separator: ", "))")
            }
            guard let intervals = Self.intervals(text) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .days, in: container,
                    debugDescription:
                        "\(name): '\(text)' is not a list of hours; write \"09:00-17:00\" or \"09:00-12:00, 13:00-17:00\""
                )
            }
            week[index + 1] = intervals
        }
        guard week.values.contains(where: { !$0.isEmpty }) else {
            throw DecodingError.dataCorruptedError(
                forKey: .days, in: container, debugDescription: "name at least one day with open hours")
        }
        let holidays = try container.decodeIfPresent([String].self, forKey: .holidays) ?? []
        for day in holidays where !Self.isDate(day) {
            throw DecodingError.dataCorruptedError(
                forKey: .holidays, in: container, debugDescription: "'\(day)' is not a date; write 2026-12-25")
        }
        hours = BusinessHours(timeZone: zone, week: week, holidays: Set(holidays))
    }

    /// `"09:00-12:00, 13:00-17:00"` as intervals, or nil; intervals must be in order and not overlap.
    static func intervals(_ text: String) -> [BusinessHours.Interval]? {
        var result: [BusinessHours.Interval] = []
        for part in text.split(separator: ",") {
            let bounds = part.split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces) }
            guard bounds.count == 2, let start = minutes(bounds[0]), let end = minutes(bounds[1]), start < end,
                result.last.map({ $0.end <= start }) ?? true
            else { return nil }
            result.append(BusinessHours.Interval(start: start, end: end))
        }
        return result.isEmpty ? nil : result
    }

    /// `HH:MM` (00:00 to 24:00) as minutes after midnight.
    static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hours = Int(parts[0]),
            let minutes = Int(parts[1]), (0...24).contains(hours), (0...59).contains(minutes),
            hours * 60 + minutes <= 1440
        else { return nil }
        return hours * 60 + minutes
    }

    /// A real calendar date written `YYYY-MM-DD` (not 2026-02-30).
    static func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) }), let year = Int(parts[0]), let month = Int(parts[1]),
            let day = Int(parts[2])
        else { return false }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt  // no day starts in a clock change there
        let components = DateComponents(year: year, month: month, day: day)
        guard let date = calendar.date(from: components) else { return false }
        let back = calendar.dateComponents([.year, .month, .day], from: date)
        return back.year == year && back.month == month && back.day == day
    }
}

/// One entry of `sla:` — the targets for conversations on some channels or with some tags:
///
/// ```yaml
/// sla:
///   - name: social
///     channels: [whatsapp, messenger]    # empty or absent: every channel
///     tags: [vip]                        # any one of them; empty or absent: any conversation
///     first_response: 1h
///     next_response: 4h
///     resolution: 24h
///     business_hours: true               # count business hours only (the default)
/// ```
struct SLAEntry: Decodable {
    var policy: SLAPolicy

    enum CodingKeys: String, CodingKey {
        case name, channels, tags
        case firstResponse = "first_response"
        case nextResponse = "next_response"
        case resolution
        case businessHours = "business_hours"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let name = try ConfigName.decode(.name, in: container, what: "an SLA name")
        let first = try container.decodeIfPresent(ConfigDuration.self, forKey: .firstResponse)
        let next = try container.decodeIfPresent(ConfigDuration.self, forKey: .nextResponse)
        let resolution = try container.decodeIfPresent(ConfigDuration.self, forKey: .resolution)
        guard first != nil || next != nil || resolution != nil else {
            throw DecodingError.dataCorruptedError(
                forKey: .name, in: container,
                debugDescription: "SLA '\(name)' sets no target; give first_response, next_response or resolution")
        }
        for (key, value) in [(CodingKeys.firstResponse, first), (.nextResponse, next), (.resolution, resolution)]
        where value?.duration == .zero {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container, debugDescription: "a target must be longer than 0s")
        }
        let channels: [String] = try container.decodeIfPresent([String].self, forKey: .channels) ?? []
        let tags: [String] = try container.decodeIfPresent([String].self, forKey: .tags) ?? []
        let businessHoursOnly: Bool = try container.decodeIfPresent(Bool.self, forKey: .businessHours) ?? true
        policy = SLAPolicy(
            name: name, channels: channels.map { ChannelID($0) }, tags: tags,
            firstResponse: first?.duration.timeInterval, nextResponse: next?.duration.timeInterval,
            resolution: resolution?.duration.timeInterval, businessHoursOnly: businessHoursOnly)
    }
}
