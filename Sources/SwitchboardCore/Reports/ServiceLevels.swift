import Foundation

/// The days a report covers: local dates, and the absolute interval they make.
public struct ReportDays: Sendable, Hashable {
    public var first: String
    public var last: String
    public var start: Date
    public var end: Date
}

/// The team's business hours and SLA policies, applied to the event log: report rows for a
/// period, and where conversations stand against their targets. The API, the web inbox and
/// `switchboard report` all ask this one type, so they show the same numbers.
public struct ServiceLevels: Sendable {
    public var hours: BusinessHours
    public var policies: [SLAPolicy]

    public init(hours: BusinessHours = .always, policies: [SLAPolicy] = []) {
        self.hours = hours
        self.policies = policies
    }

    /// The local days `from` through `to` (both included, `2026-12-01`) as a half-open interval
    /// of absolute times in the business hours' time zone; nil when either is not a date or `to`
    /// is before `from`.
    public func interval(fromDay from: String, toDay to: String) -> (start: Date, end: Date)? {
        let calendar = hours.calendar
        func day(_ text: String) -> Date? {
            let parts = text.split(separator: "-").compactMap { Int($0) }
            guard parts.count == 3, text.count == 10 else { return nil }
            let components = DateComponents(year: parts[0], month: parts[1], day: parts[2])
            guard let date = calendar.date(from: components),
                calendar.dateComponents([.year, .month, .day], from: date) == components
            else { return nil }
            return date
        }
        guard let start = day(from), let last = day(to), last >= start,
            let end = calendar.date(byAdding: .day, value: 1, to: last)
        else { return nil }
        return (start, end)
    }

    /// A report's days: `to` defaults to today, `from` to six days before `to`; nil when either
    /// is not a date (`YYYY-MM-DD`) or `to` is before `from`.
    public func days(from: String?, to: String?, now: Date = Date()) -> ReportDays? {
        let lastDay = to ?? day(of: now)
        guard let last = interval(fromDay: lastDay, toDay: lastDay) else { return nil }
        // Noon, six days earlier: a day that is 23 or 25 hours long cannot move it to another date.
        let firstDay = from ?? day(of: last.start.addingTimeInterval(-6 * 86_400 + 12 * 3_600))
        guard let range = interval(fromDay: firstDay, toDay: lastDay) else { return nil }
        return ReportDays(first: firstDay, last: lastDay, start: range.start, end: range.end)
    }

    /// The local date of `date` (`2026-12-01`), in the business hours' time zone.
    public func day(of date: Date) -> String {
        hours.localDay(of: date)
    }

    /// Report rows for the conversations opened, and the messages written, in `[start, end)`.
    public func report(
        _ reader: any ActivityLogReader, start: Date, end: Date, grouping: ReportBuilder.Grouping, now: Date = Date()
    ) async throws -> [ReportRow] {
        try await reports(reader, start: start, end: end, groupings: [grouping], now: now)[grouping] ?? []
    }

    /// The rows for several groupings of the same days, from one read of the log.
    public func reports(
        _ reader: any ActivityLogReader, start: Date, end: Date, groupings: [ReportBuilder.Grouping],
        now: Date = Date()
    ) async throws -> [ReportBuilder.Grouping: [ReportRow]] {
        let opened = try await reader.activity(ofConversationsOpenedFrom: start, to: end)
        let messages = try await reader.messageActivity(from: start, to: end)
        let builder = ReportBuilder(hours: hours, policies: policies)
        var result: [ReportBuilder.Grouping: [ReportRow]] = [:]
        for grouping in groupings {
            result[grouping] = builder.rows(opened: opened, messages: messages, grouping: grouping, now: min(now, end))
        }
        return result
    }

    /// Where each of `conversations` stands against the policy that covers it, at `now`;
    /// conversations no policy covers, or opened before the event log began, are left out.
    public func status(
        of conversations: [Conversation], _ reader: any ActivityLogReader, now: Date = Date()
    ) async throws -> [String: SLAStatus] {
        guard !policies.isEmpty, !conversations.isEmpty else { return [:] }
        let entries = try await reader.activity(ofConversations: conversations.map(\.id))
        var statuses: [String: SLAStatus] = [:]
        let live = Dictionary(conversations.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for var facts in ConversationFacts.collect(entries) {
            // The live tags decide the policy (the log has them too, but an agent sees these).
            if let conversation = live[facts.conversationID] { facts.tags = conversation.tags }
            guard let policy = SLAPolicy.matching(policies, channel: facts.channel, tags: facts.tags) else { continue }
            statuses[facts.conversationID] = SLAStatus.evaluate(facts, policy: policy, hours: hours, now: now)
        }
        return statuses
    }
}
