import Foundation
import SwitchboardAdapterKit
import Testing

@testable import SwitchboardCore

/// Business hours, SLA states and report numbers for a scripted history with a fixed clock, each
/// checked against values worked out by hand (in the comments).
///
/// Hours: Europe/Paris (UTC+1 in December), Monday to Friday 09:00-17:00. 2026-12-07 is a Monday.
struct ServiceLevelTests {
    static let paris = TimeZone(identifier: "Europe/Paris")!
    static let hours = BusinessHours(
        timeZone: paris,
        week: Dictionary(uniqueKeysWithValues: (2...6).map { ($0, [BusinessHours.Interval(start: 540, end: 1020)]) }),
        holidays: ["2026-12-25"])
    static let standard = SLAPolicy(name: "standard", firstResponse: 3600, nextResponse: 4 * 3600, resolution: 8 * 3600)

    /// A local Paris time on a December 2026 day.
    static func at(_ day: Int, _ hour: Int, _ minute: Int = 0, _ second: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = paris
        return calendar.date(
            from: DateComponents(year: 2026, month: 12, day: day, hour: hour, minute: minute, second: second))!
    }

    // MARK: Business hours

    @Test func workingSecondsSkipNightsWeekendsAndHolidays() {
        let hours = Self.hours
        // Within one day.
        #expect(hours.seconds(from: Self.at(7, 10), to: Self.at(7, 10, 30)) == 1800)
        // Friday 16:30 to Monday 09:45: 30 minutes + 45 minutes.
        #expect(hours.seconds(from: Self.at(11, 16, 30), to: Self.at(14, 9, 45)) == 4500)
        // Saturday to Sunday: nothing.
        #expect(hours.seconds(from: Self.at(12, 10), to: Self.at(13, 23)) == 0)
        // Thursday 24th 16:00 to Monday 28th 10:00, Christmas Friday closed: 1 h + 1 h.
        #expect(hours.seconds(from: Self.at(24, 16), to: Self.at(28, 10)) == 7200)
        #expect(
            hours.isOpen(at: Self.at(7, 9)) && !hours.isOpen(at: Self.at(7, 17)) && !hours.isOpen(at: Self.at(12, 12)))
    }

    @Test func deadlinesRollOverClosedHours() {
        let hours = Self.hours
        // An hour after Saturday 10:00 is Monday 10:00.
        #expect(hours.deadline(from: Self.at(12, 10), adding: 3600) == Self.at(14, 10))
        // Eight hours after Friday 16:30: 30 minutes on Friday, 7 h 30 on Monday.
        #expect(hours.deadline(from: Self.at(11, 16, 30), adding: 8 * 3600) == Self.at(14, 16, 30))
        // Exactly at closing time is still that day.
        #expect(hours.deadline(from: Self.at(7, 16), adding: 3600) == Self.at(7, 17))
        // Christmas is skipped: Thursday 24th 16:30 plus 1 h is Monday 28th 09:30.
        #expect(hours.deadline(from: Self.at(24, 16, 30), adding: 3600) == Self.at(28, 9, 30))
    }

    @Test func aDayWhenTheClocksChangeHasItsRealLength() {
        // Paris moves to summer time on Sunday 2026-03-29: that day has 23 hours.
        let always = BusinessHours(
            timeZone: Self.paris,
            week: Dictionary(uniqueKeysWithValues: (1...7).map { ($0, [BusinessHours.Interval(start: 0, end: 1440)]) }))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Self.paris
        let start = calendar.date(from: DateComponents(year: 2026, month: 3, day: 29))!
        let end = calendar.date(from: DateComponents(year: 2026, month: 3, day: 30))!
        #expect(always.seconds(from: start, to: end) == 23 * 3600)
    }

    // MARK: The scripted history

    /// Five conversations, with `now` = Monday 14th 12:00:
    /// - A (email) opened Mon 7th 10:00; answered 10:30; customer again 11:00; answered 13:00;
    ///   resolved 15:00. FRT 1800 s, resolution 18000 s, next response 2 h (target 4 h): no breach.
    /// - B (sms) opened Fri 11th 16:30; acknowledged automatically at 16:30:05 (not an answer);
    ///   answered Mon 14th 09:45 (FRT 4500 s > 1 h: breached); resolved 11:30 (Friday 30 min +
    ///   Monday 2 h 30 = 10800 s); the customer writes again at 11:55, which reopens it.
    /// - C (sms) opened Sat 12th 10:00, never answered: due Mon 10:00, breached at noon.
    /// - D (email) opened Tue 8th 09:00, answered 09:20, never resolved: resolution due Tue 17:00, breached.
    /// - E (email) opened Mon 14th 11:10, unanswered: due 12:10, 10 minutes of 60 left: at risk.
    static func history() -> [ActivityEntry] {
        var lines: [ActivityEntry] = []
        func add(
            _ kind: ActivityEntry.Kind, _ id: String, _ channel: String, _ at: Date, auto: Bool = false,
            _ value: String? = nil
        ) {
            lines.append(
                ActivityEntry(
                    sequence: Int64(lines.count + 1), at: at, kind: kind, conversationID: id, customerID: "cus_\(id)",
                    channel: ChannelID(channel), isAutomatic: auto, value: value))
        }
        add(.conversationOpened, "A", "email", at(7, 10))
        add(.messageIn, "A", "email", at(7, 10))
        add(.conversationOpened, "D", "email", at(8, 9))
        add(.messageIn, "D", "email", at(8, 9))
        add(.messageOut, "A", "email", at(7, 10, 30))
        add(.messageIn, "A", "email", at(7, 11))
        add(.messageOut, "A", "email", at(7, 13))
        add(.status, "A", "email", at(7, 15), "resolved")
        add(.messageOut, "D", "email", at(8, 9, 20))
        add(.conversationOpened, "B", "sms", at(11, 16, 30))
        add(.messageIn, "B", "sms", at(11, 16, 30))
        add(.messageOut, "B", "sms", at(11, 16, 30, 5), auto: true)
        add(.conversationOpened, "C", "sms", at(12, 10))
        add(.messageIn, "C", "sms", at(12, 10))
        add(.messageOut, "B", "sms", at(14, 9, 45))
        add(.conversationOpened, "E", "email", at(14, 11, 10))
        add(.messageIn, "E", "email", at(14, 11, 10))
        add(.status, "B", "sms", at(14, 11, 30), "resolved")
        add(.status, "B", "sms", at(14, 11, 55), "open")
        add(.messageIn, "B", "sms", at(14, 11, 55))
        return lines
    }

    static let now = at(14, 12)

    @Test func slaStatesMatchTheHandComputedOnes() throws {
        let facts = Dictionary(
            uniqueKeysWithValues: ConversationFacts.collect(Self.history()).map { ($0.conversationID, $0) })
        func status(_ id: String) throws -> SLAStatus {
            SLAStatus.evaluate(try #require(facts[id]), policy: Self.standard, hours: Self.hours, now: Self.now)
        }
        func states(_ id: String) throws -> [SLAStatus.Target: SLAStatus.State] {
            Dictionary(uniqueKeysWithValues: try status(id).checks.map { ($0.target, $0.state) })
        }
        #expect(try states("A") == [.firstResponse: .met, .nextResponse: .met, .resolution: .met])
        // B's customer wrote again at 11:55 after the 09:45 answer: 5 minutes of 4 h used.
        #expect(try states("B") == [.firstResponse: .breached, .nextResponse: .pending, .resolution: .met])
        #expect(try status("B").checks.first?.due == Self.at(14, 9, 30))
        #expect(try states("C") == [.firstResponse: .breached, .resolution: .pending])
        #expect(try status("C").checks.first?.due == Self.at(14, 10))
        #expect(try states("D") == [.firstResponse: .met, .resolution: .breached])
        #expect(try states("E") == [.firstResponse: .atRisk, .resolution: .pending])
        #expect(try status("E").state == .atRisk)
        #expect(try status("B").state == .breached)
    }

    @Test func reportNumbersMatchTheHandComputedOnes() throws {
        let builder = ReportBuilder(hours: Self.hours, policies: [Self.standard])
        let messages = Self.history().filter { $0.kind == .messageIn || $0.kind == .messageOut }
        let rows = builder.rows(opened: Self.history(), messages: messages, grouping: .all, now: Self.now)
        #expect(rows.map(\.channel) == ["email", "sms", "all"])
        let all = try #require(rows.last)
        #expect(all.conversations == 5)
        #expect(all.messagesIn == 7 && all.messagesOut == 5 && all.automaticOut == 1)
        // First responses: A 1800, B 4500 (business hours: Friday 30 min + Monday 45 min), D 1200.
        #expect(all.firstResponses == 3)
        #expect(all.firstResponseMeanSeconds == 2500)
        #expect(all.firstResponseMedianSeconds == 1800)
        // Resolved: A after 5 h (18000), B after Friday 30 min + Monday 2 h 30 (10800).
        #expect(all.resolved == 2)
        // Seconds between dates carry floating-point dust: compare to the millisecond.
        #expect(all.resolutionMeanSeconds.map { ($0 * 1000).rounded() } == 14_400_000)
        #expect(all.resolutionRate == 0.4)
        #expect(all.reopenRate == 0.5)
        #expect(all.slaBreaches == 3)

        let email = rows[0]
        #expect(email.conversations == 3 && email.firstResponseMeanSeconds == 1500 && email.resolutionRate == 0.333333)
        #expect(email.reopenRate == 0 && email.slaBreaches == 1)
        let sms = rows[1]
        #expect(sms.conversations == 2 && sms.firstResponseMeanSeconds == 4500 && sms.resolutionRate == 0.5)
        #expect(sms.reopenRate == 1 && sms.slaBreaches == 2 && sms.automaticOut == 1)
    }

    @Test func aPolicyCountingEveryHourUsesTheCalendar() throws {
        let calendarSMS = SLAPolicy(
            name: "sms-24-7", channels: ["sms"], firstResponse: 3 * 86400, businessHoursOnly: false)
        let builder = ReportBuilder(hours: Self.hours, policies: [calendarSMS, Self.standard])
        let rows = builder.rows(opened: Self.history(), messages: [], grouping: .all, now: Self.now)
        let sms = try #require(rows.first { $0.channel == "sms" })
        // B: Friday 16:30 to Monday 09:45 is 2 days 17 h 15 min = 234900 s, inside 3 days.
        #expect(sms.firstResponseMeanSeconds == 234_900)
        // C: Saturday 10:00 + 3 days is Tuesday 10:00; at Monday noon it is pending. B is met.
        #expect(sms.slaBreaches == 0)
    }

    @Test func rowsGroupByLocalDayAndWeek() {
        let builder = ReportBuilder(hours: Self.hours, policies: [Self.standard])
        let daily = builder.rows(opened: Self.history(), messages: [], grouping: .day, now: Self.now)
        #expect(
            daily.filter { $0.channel == "all" }.map { "\($0.period):\($0.conversations)" }
                == ["2026-12-07:1", "2026-12-08:1", "2026-12-11:1", "2026-12-12:1", "2026-12-14:1"])
        let weekly = builder.rows(opened: Self.history(), messages: [], grouping: .week, now: Self.now)
        #expect(
            weekly.filter { $0.channel == "all" }.map { "\($0.period):\($0.conversations)" }
                == ["2026-12-07:4", "2026-12-14:1"])
        // 00:30 on the 8th in Paris is the 7th in UTC, and counts on the 8th.
        #expect(builder.period(of: Self.at(8, 0, 30), .day) == "2026-12-08")
    }

    @Test func csvQuotesAndLeavesMissingValuesEmpty() {
        let row = ReportRow(
            period: "all", channel: "a,b", conversations: 1, messagesIn: 1, messagesOut: 0, automaticOut: 0,
            firstResponses: 0, firstResponseMeanSeconds: nil, firstResponseMedianSeconds: nil, resolved: 0,
            resolutionMeanSeconds: nil, resolutionRate: 0, reopenRate: nil, slaBreaches: 0)
        let csv = ReportRow.csv([row]).split(separator: "\n")
        #expect(csv[0].hasPrefix("period,channel,conversations,messages_in"))
        // positive_in, negative_in and ratings 0; no rating mean.
        #expect(csv[1] == "all,\"a,b\",1,1,0,0,0,,,0,,0,,0,0,0,0,")
    }
}
