import Foundation
import SwitchboardAdapterKit

/// The numbers a support team is judged by, for one channel (or all) over one period: volume in
/// and out, first-response and resolution times in business hours, resolution and reopen rates,
/// and SLA breaches. Computed by ``ReportBuilder`` from the event log.
public struct ReportRow: Sendable, Hashable, Codable {
    /// The period's first day (local date in the business hours' time zone), or `all`.
    public var period: String
    /// The channel instance, or `all`.
    public var channel: String
    public var conversations: Int
    public var messagesIn: Int
    public var messagesOut: Int
    /// Automatic messages sent (acknowledgements); part of ``messagesOut``, never an answer.
    public var automaticOut: Int
    /// Conversations answered by a person, and the mean and median time to that first answer.
    public var firstResponses: Int
    public var firstResponseMeanSeconds: Double?
    public var firstResponseMedianSeconds: Double?
    public var resolved: Int
    public var resolutionMeanSeconds: Double?
    /// Resolved conversations among those opened (0 to 1; nil with none opened).
    public var resolutionRate: Double?
    /// Conversations reopened after being resolved, among the resolved.
    public var reopenRate: Double?
    /// Conversations that broke at least one SLA target.
    public var slaBreaches: Int
    /// Inbound messages the ``SentimentScorer`` found positive, and negative (the rest are neutral).
    public var positiveIn: Int = 0
    public var negativeIn: Int = 0
    /// Satisfaction ratings given, and their mean (1 to 5).
    public var ratings: Int = 0
    public var ratingMean: Double?

    enum CodingKeys: String, CodingKey {
        case period, channel, conversations
        case messagesIn = "messages_in"
        case messagesOut = "messages_out"
        case automaticOut = "automatic_out"
        case firstResponses = "first_responses"
        case firstResponseMeanSeconds = "first_response_mean_seconds"
        case firstResponseMedianSeconds = "first_response_median_seconds"
        case resolved
        case resolutionMeanSeconds = "resolution_mean_seconds"
        case resolutionRate = "resolution_rate"
        case reopenRate = "reopen_rate"
        case slaBreaches = "sla_breaches"
        case positiveIn = "positive_in"
        case negativeIn = "negative_in"
        case ratings
        case ratingMean = "rating_mean"
    }

    /// The CSV header and one line per row, for `switchboard report --csv`.
    public static func csv(_ rows: [ReportRow]) -> String {
        var lines = [CodingKeys.allNames.joined(separator: ",")]
        for row in rows {
            let fields: [String] = [
                row.period, row.channel, "\(row.conversations)", "\(row.messagesIn)", "\(row.messagesOut)",
                "\(row.automaticOut)", "\(row.firstResponses)", format(row.firstResponseMeanSeconds),
                format(row.firstResponseMedianSeconds), "\(row.resolved)", format(row.resolutionMeanSeconds),
                format(row.resolutionRate), format(row.reopenRate), "\(row.slaBreaches)", "\(row.positiveIn)",
                "\(row.negativeIn)", "\(row.ratings)", format(row.ratingMean),
            ]
            lines.append(fields.map(quoted).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Six decimals at most, and an empty field for "no value".
    public static func format(_ value: Double?) -> String {
        guard let value else { return "" }
        let rounded = sixDecimals(value)
        return rounded == rounded.rounded() ? String(Int64(rounded)) : String(rounded)
    }

    static func sixDecimals(_ value: Double) -> Double { (value * 1_000_000).rounded() / 1_000_000 }

    private static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension ReportRow.CodingKeys: CaseIterable {
    static var allNames: [String] { allCases.map(\.stringValue) }
}

/// Builds report rows from the event log, with a fixed "now" so that tests and reruns agree.
public struct ReportBuilder: Sendable {
    /// How rows are grouped in time.
    public enum Grouping: String, Sendable, CaseIterable {
        case day, week, all
    }

    public var hours: BusinessHours
    public var policies: [SLAPolicy]

    public init(hours: BusinessHours, policies: [SLAPolicy]) {
        self.hours = hours
        self.policies = policies
    }

    /// One row per period and channel, then one per period for all channels, in order.
    /// - Parameters:
    ///   - opened: the lines of conversations opened in the period (``ActivityLogReader``).
    ///   - messages: the message lines written in the period.
    public func rows(
        opened: [ActivityEntry], messages: [ActivityEntry], grouping: Grouping, now: Date
    ) -> [ReportRow] {
        var groups: [Key: Tally] = [:]
        for fact in ConversationFacts.collect(opened) {
            let period = period(of: fact.openedAt, grouping)
            // Measured once, counted in its channel's row and in the row for all channels.
            let measured = measure(fact, now: now)
            for key in [Key(period: period, channel: fact.channel.rawValue), Key(period: period, channel: "all")] {
                groups[key, default: Tally()].add(measured)
            }
        }
        for entry in messages where [.messageIn, .messageOut, .rating].contains(entry.kind) {
            let period = period(of: entry.at, grouping)
            let channel = entry.channel?.rawValue ?? "unknown"
            for key in [Key(period: period, channel: channel), Key(period: period, channel: "all")] {
                groups[key, default: Tally()].count(entry)
            }
        }
        return groups.keys.sorted().compactMap { key in groups[key].map { $0.row(key) } }
    }

    /// The local date that starts `date`'s period (Monday for weeks), or `all`.
    public func period(of date: Date, _ grouping: Grouping) -> String {
        switch grouping {
        case .all: return "all"
        case .day: return hours.localDay(of: date)
        case .week:
            var calendar = hours.calendar
            calendar.firstWeekday = 2  // weeks start on Monday (ISO 8601)
            calendar.minimumDaysInFirstWeek = 4
            return hours.localDay(of: calendar.dateInterval(of: .weekOfYear, for: date)?.start ?? date)
        }
    }

    /// What one conversation adds to a row, as of `now`.
    struct Measured {
        var firstResponseSeconds: Double?
        var resolutionSeconds: Double?
        var reopened: Bool
        var breached: Bool
    }

    func measure(_ fact: ConversationFacts, now: Date) -> Measured {
        let policy = SLAPolicy.matching(policies, channel: fact.channel, tags: fact.tags)
        let clock = policy?.clock(hours) ?? hours
        let seconds = { (end: Date?) -> Double? in
            guard let end, end <= now else { return nil }
            return Tally.millisecondPrecision(clock.seconds(from: fact.openedAt, to: end))
        }
        let resolution = seconds(fact.firstResolvedAt)
        return Measured(
            firstResponseSeconds: seconds(fact.firstResponseAt), resolutionSeconds: resolution,
            reopened: resolution != nil && fact.wasReopened,
            breached: policy.map { SLAStatus.evaluate(fact, policy: $0, hours: hours, now: now).state == .breached }
                ?? false)
    }

    struct Key: Hashable, Comparable {
        var period: String
        var channel: String

        static func < (lhs: Key, rhs: Key) -> Bool {
            // Within a period the channels in order, and "all" last.
            if lhs.period != rhs.period { return lhs.period < rhs.period }
            if (lhs.channel == "all") != (rhs.channel == "all") { return rhs.channel == "all" }
            return lhs.channel < rhs.channel
        }
    }

    struct Tally {
        var conversations = 0
        var messagesIn = 0
        var messagesOut = 0
        var automaticOut = 0
        var firstResponseTimes: [Double] = []
        var resolutionTimes: [Double] = []
        var reopened = 0
        var breaches = 0
        var positiveIn = 0
        var negativeIn = 0
        var scores: [Double] = []

        mutating func add(_ measured: Measured) {
            conversations += 1
            if let seconds = measured.firstResponseSeconds { firstResponseTimes.append(seconds) }
            if let seconds = measured.resolutionSeconds { resolutionTimes.append(seconds) }
            if measured.reopened { reopened += 1 }
            if measured.breached { breaches += 1 }
        }

        mutating func count(_ entry: ActivityEntry) {
            if entry.kind == .rating {
                if let score = entry.value.flatMap(Double.init) { scores.append(score) }
            } else if entry.kind == .messageIn {
                messagesIn += 1
                if entry.value == Sentiment.positive.rawValue { positiveIn += 1 }
                if entry.value == Sentiment.negative.rawValue { negativeIn += 1 }
            } else {
                messagesOut += 1
                if entry.isAutomatic { automaticOut += 1 }
            }
        }

        func row(_ key: Key) -> ReportRow {
            ReportRow(
                period: key.period, channel: key.channel, conversations: conversations, messagesIn: messagesIn,
                messagesOut: messagesOut, automaticOut: automaticOut, firstResponses: firstResponseTimes.count,
                firstResponseMeanSeconds: Self.mean(firstResponseTimes),
                firstResponseMedianSeconds: Self.median(firstResponseTimes), resolved: resolutionTimes.count,
                resolutionMeanSeconds: Self.mean(resolutionTimes),
                resolutionRate: Self.rate(resolutionTimes.count, of: conversations),
                reopenRate: Self.rate(reopened, of: resolutionTimes.count),
                slaBreaches: breaches, positiveIn: positiveIn, negativeIn: negativeIn, ratings: scores.count,
                ratingMean: scores.isEmpty ? nil : ReportRow.sixDecimals(scores.reduce(0, +) / Double(scores.count)))
        }

        /// The log keeps milliseconds: anything finer is floating-point dust from date arithmetic.
        static func millisecondPrecision(_ seconds: Double) -> Double { (seconds * 1000).rounded() / 1000 }

        static func mean(_ values: [Double]) -> Double? {
            values.isEmpty ? nil : millisecondPrecision(values.reduce(0, +) / Double(values.count))
        }

        /// A share from 0 to 1 to six decimals, as the CSV writes it, so the API and the CSV agree.
        static func rate(_ part: Int, of whole: Int) -> Double? {
            whole == 0 ? nil : ReportRow.sixDecimals(Double(part) / Double(whole))
        }

        static func median(_ values: [Double]) -> Double? {
            guard !values.isEmpty else { return nil }
            let sorted = values.sorted()
            let middle = sorted.count / 2
            return sorted.count % 2 == 1
                ? sorted[middle] : millisecondPrecision((sorted[middle - 1] + sorted[middle]) / 2)
        }
    }
}
