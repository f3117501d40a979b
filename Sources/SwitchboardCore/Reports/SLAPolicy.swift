import Foundation
import SwitchboardAdapterKit

/// A promise to customers: answer first within this long, answer each follow-up within that long,
/// resolve within so long, counted in business hours (or around the clock). The first policy whose
/// channels and tags match a conversation is the one that applies.
public struct SLAPolicy: Sendable, Hashable {
    public var name: String
    /// Channel instances it covers; empty means all.
    public var channels: [ChannelID]
    /// Tags it covers (any one is enough); empty means all.
    public var tags: [String]
    public var firstResponse: TimeInterval?
    public var nextResponse: TimeInterval?
    public var resolution: TimeInterval?
    /// Count only business hours (true) or every hour (false).
    public var businessHoursOnly: Bool

    public init(
        name: String, channels: [ChannelID] = [], tags: [String] = [], firstResponse: TimeInterval? = nil,
        nextResponse: TimeInterval? = nil, resolution: TimeInterval? = nil, businessHoursOnly: Bool = true
    ) {
        self.name = name
        self.channels = channels
        self.tags = tags
        self.firstResponse = firstResponse
        self.nextResponse = nextResponse
        self.resolution = resolution
        self.businessHoursOnly = businessHoursOnly
    }

    /// Whether the policy covers a conversation on `channel` with `tags`.
    public func covers(channel: ChannelID, tags: [String]) -> Bool {
        (channels.isEmpty || channels.contains(channel))
            && (self.tags.isEmpty || self.tags.contains(where: tags.contains))
    }

    /// What its targets are counted in: `hours`, or every hour.
    public func clock(_ hours: BusinessHours) -> BusinessHours { businessHoursOnly ? hours : .always }

    /// The first of `policies` that covers the conversation.
    public static func matching(_ policies: [SLAPolicy], channel: ChannelID, tags: [String]) -> SLAPolicy? {
        policies.first { $0.covers(channel: channel, tags: tags) }
    }
}

/// How a conversation stands against its policy at one moment.
public struct SLAStatus: Sendable, Hashable, Codable {
    /// One target's state.
    public enum State: String, Sendable, Hashable, Codable, Comparable {
        case met, pending
        /// Unanswered, and less than a quarter of the target is left.
        case atRisk = "at_risk"
        case breached

        var rank: Int {
            switch self {
            case .met: 0
            case .pending: 1
            case .atRisk: 2
            case .breached: 3
            }
        }

        public static func < (lhs: State, rhs: State) -> Bool { lhs.rank < rhs.rank }
    }

    /// The three targets a policy can set.
    public enum Target: String, Sendable, Hashable, Codable {
        case firstResponse = "first_response"
        case nextResponse = "next_response"
        case resolution
    }

    /// One target: when it was (or is) due and where it stands.
    public struct Check: Sendable, Hashable, Codable {
        public var target: Target
        public var due: Date?
        public var state: State
    }

    public var policy: String
    public var checks: [Check]
    /// The worst of the checks (met when there are none).
    public var state: State { checks.map(\.state).max() ?? .met }

    /// The share of a target that must be left for an unanswered wait not to be "at risk".
    public static let riskShare = 0.25

    /// Evaluates `facts` against `policy` at `now`, counting time in `hours` when the policy says so.
    public static func evaluate(
        _ facts: ConversationFacts, policy: SLAPolicy, hours: BusinessHours, now: Date
    ) -> SLAStatus {
        let clock = policy.clock(hours)
        var checks: [Check] = []
        if let target = policy.firstResponse {
            checks.append(
                check(.firstResponse, from: facts.openedAt, doneAt: facts.firstResponseAt, target: target, clock, now))
        }
        if let target = policy.nextResponse {
            // Every later wait counts: one answered late is a breach even after it was answered.
            let waits = facts.laterWaits.map {
                check(.nextResponse, from: $0.from, doneAt: $0.answeredAt, target: target, clock, now)
            }
            if let worst = waits.max(by: { ($0.state, $0.due ?? .distantPast) < ($1.state, $1.due ?? .distantPast) }) {
                checks.append(worst)
            }
        }
        if let target = policy.resolution {
            checks.append(
                check(.resolution, from: facts.openedAt, doneAt: facts.firstResolvedAt, target: target, clock, now))
        }
        return SLAStatus(policy: policy.name, checks: checks)
    }

    private static func check(
        _ target: Target, from start: Date, doneAt: Date?, target seconds: TimeInterval, _ clock: BusinessHours,
        _ now: Date
    ) -> Check {
        let due = clock.deadline(from: start, adding: seconds)
        if let doneAt {
            return Check(target: target, due: due, state: due.map { doneAt <= $0 } ?? true ? .met : .breached)
        }
        guard let due else { return Check(target: target, due: nil, state: .pending) }
        if now > due { return Check(target: target, due: due, state: .breached) }
        let left = clock.seconds(from: now, to: due)
        return Check(target: target, due: due, state: left < seconds * riskShare ? .atRisk : .pending)
    }
}
