import Foundation
import SwitchboardAdapterKit
import Testing

@testable import SwitchboardCore

/// The identity, threading and retry rules as tables, including their boundaries.
struct IdentityRuleTableTests {
    static func identity(_ address: String, _ customer: String, verified: Bool) throws -> Identity {
        Identity(
            address: try Address(parsing: address), customerID: customer, originalCustomerID: customer,
            firstSeenChannel: "shop", verified: verified, provenance: "test", createdAt: Date(timeIntervalSince1970: 0))
    }

    let linked = IdentityPolicy(linkWhatsAppToPhone: true)
    let unlinked = IdentityPolicy(linkWhatsAppToPhone: false)

    @Test func whatsappAndTelLinkByDefault() throws {
        #expect(IdentityPolicy().linkWhatsAppToPhone)
        #expect(!IdentityPolicy().autoMergeOnStrongIdentifier)
        let whatsapp = try Address(kind: .whatsapp, value: "+44 20 7946 0958")
        #expect(IdentityResolver.equivalents(of: whatsapp, policy: .init()).map(\.description) == ["tel:+442079460958"])
    }

    @Test(arguments: ["email:ana@example.com", "telegram:42", "matrix:@a:b.org", "webchat:v1", "x:1", "shop:tel"])
    func otherKindsHaveNoEquivalents(address: String) throws {
        #expect(IdentityResolver.equivalents(of: try Address(parsing: address), policy: linked).isEmpty)
    }

    @Test func noEquivalentsWhenLinkingIsOff() throws {
        #expect(
            IdentityResolver.equivalents(of: try Address(parsing: "whatsapp:+14155550100"), policy: unlinked).isEmpty)
        #expect(IdentityResolver.equivalents(of: try Address(parsing: "tel:+14155550100"), policy: unlinked).isEmpty)
    }

    @Test func mergesOnlyWithAutoMergeAndNoConflict() throws {
        let learned = try Address(parsing: "tel:+14155550100")
        let current = [try Self.identity("email:ana@example.com", "c1", verified: true)]
        let other = [try Self.identity("tel:+14155550100", "c2", verified: true)]
        let auto = IdentityPolicy(autoMergeOnStrongIdentifier: true)
        #expect(IdentityResolver.decide(learned: learned, current: current, other: other, policy: auto) == .merge)
        let manual = IdentityResolver.decide(learned: learned, current: current, other: other, policy: .init())
        guard case .suggest(let reason) = manual else {
            Issue.record("merged although the policy does not allow it")
            return
        }
        #expect(reason.contains("tel:+14155550100"))
    }

    @Test func twoDifferentVerifiedEmailsConflictEvenWithAutoMerge() throws {
        let learned = try Address(parsing: "tel:+14155550100")
        let current = [try Self.identity("email:ana@example.com", "c1", verified: true)]
        let other = [
            try Self.identity("tel:+14155550100", "c2", verified: true),
            try Self.identity("email:bea@example.com", "c2", verified: true),
        ]
        let decision = IdentityResolver.decide(
            learned: learned, current: current, other: other, policy: .init(autoMergeOnStrongIdentifier: true))
        guard case .suggest(let reason) = decision else {
            Issue.record("auto-merged two profiles with different verified emails")
            return
        }
        #expect(reason.contains("email:ana@example.com") && reason.contains("email:bea@example.com"))
        let pair = try #require(IdentityResolver.conflict(between: current, and: other))
        #expect(pair.0.description == "email:ana@example.com")
        #expect(pair.1.description == "email:bea@example.com")
        // The rule is symmetric.
        #expect(IdentityResolver.conflict(between: other, and: current) != nil)
    }

    @Test func differentVerifiedPhonesConflictToo() throws {
        let current = [try Self.identity("tel:+14155550100", "c1", verified: true)]
        let other = [try Self.identity("tel:+14155550199", "c2", verified: true)]
        #expect(IdentityResolver.conflict(between: current, and: other) != nil)
    }

    @Test(arguments: [
        // (current, other): none of these is a conflict.
        ("email:ana@example.com", true, "email:bea@example.com", false),  // other unverified
        ("email:ana@example.com", false, "email:bea@example.com", true),  // current unverified
        ("email:ana@example.com", true, "email:ana@example.com", true),  // the same address
        ("email:ana@example.com", true, "tel:+14155550100", true),  // different kinds
        ("webchat:v1", true, "webchat:v2", true),  // not strong identifiers
        ("whatsapp:+14155550100", true, "whatsapp:+14155550199", true),  // not strong identifiers
    ])
    func notConflicts(current: String, currentVerified: Bool, other: String, otherVerified: Bool) throws {
        let lhs = [try Self.identity(current, "c1", verified: currentVerified)]
        let rhs = [try Self.identity(other, "c2", verified: otherVerified)]
        #expect(IdentityResolver.conflict(between: lhs, and: rhs) == nil)
        #expect(
            IdentityResolver.decide(
                learned: try Address(parsing: "email:zoe@example.com"), current: lhs, other: rhs,
                policy: .init(autoMergeOnStrongIdentifier: true)) == .merge)
    }
}

struct ThreadingBoundaryTests {
    let now = Date(timeIntervalSince1970: 1_700_000_000)

    func conversation(_ status: Conversation.Status, resolvedSecondsAgo: Double?, id: String = "con_9")
        throws -> Conversation
    {
        Conversation(
            id: id, customerID: "cus_1", channel: "shop", customerAddress: try Address(parsing: "tel:+14155550100"),
            threadKey: "k", subject: nil, status: status, createdAt: now.addingTimeInterval(-1_000_000),
            lastMessageAt: now.addingTimeInterval(-500_000),
            resolvedAt: resolvedSecondsAgo.map { now.addingTimeInterval(-$0) })
    }

    @Test func nothingToJoinOpens() {
        #expect(Threading.decide(latest: nil, at: now, reopenWindow: .seconds(86_400)) == .open)
        #expect(Threading.decide(latest: nil, at: now, reopenWindow: .zero) == .open)
    }

    @Test(arguments: [Conversation.Status.open, .pending, .snoozed])
    func unresolvedAppendsWhateverTheWindow(status: Conversation.Status) throws {
        let latest = try conversation(status, resolvedSecondsAgo: nil, id: "con_x")
        #expect(Threading.decide(latest: latest, at: now, reopenWindow: .zero) == .append(conversationID: "con_x"))
        #expect(
            Threading.decide(latest: latest, at: now.addingTimeInterval(1e9), reopenWindow: .seconds(1))
                == .append(conversationID: "con_x"))
    }

    /// (seconds since resolution, window in milliseconds, reopens?)
    static let windowCases: [(Double, Int64, Bool)] = [
        (0.0, 0, true),
        (0.001, 0, false),
        (1.5, 1_500, true),  // exactly at the window: reopens
        (1.501, 1_500, false),  // just outside
        (3_600.0, 3_600_000, true),
        (3_601.0, 3_600_000, false),
        (7 * 86_400.0, 7 * 86_400_000, true),
        (7 * 86_400.0 + 1, 7 * 86_400_000, false),
        (-60.0, 1_000, true),  // sent before it was resolved (a late delivery)
    ]

    @Test(arguments: windowCases)
    func resolvedReopensWithinTheWindowOnly(secondsSince: Double, windowMillis: Int64, reopens: Bool) throws {
        let latest = try conversation(.resolved, resolvedSecondsAgo: 0)
        let decision = Threading.decide(
            latest: latest, at: now.addingTimeInterval(secondsSince), reopenWindow: .milliseconds(windowMillis))
        #expect(decision == (reopens ? .reopen(conversationID: "con_9") : .open))
    }

    @Test func subSecondPartsOfTheWindowCount() throws {
        let latest = try conversation(.resolved, resolvedSecondsAgo: 2.25)
        #expect(
            Threading.decide(latest: latest, at: now, reopenWindow: .seconds(2) + .milliseconds(250))
                == .reopen(conversationID: "con_9"))
        #expect(Threading.decide(latest: latest, at: now, reopenWindow: .seconds(2) + .milliseconds(249)) == .open)
    }
}

struct RetryPolicyTableTests {
    let now = Date(timeIntervalSince1970: 1_000)

    func wait(
        _ policy: RetryPolicy, _ error: SendError, attempts: Int, jitter: Double = 1.0
    ) -> Double? {
        policy.nextAttempt(after: error, attempts: attempts, now: now, jitter: jitter)?.timeIntervalSince(now)
    }

    @Test func exponentialFromTheBaseWithFullJitter() {
        let policy = RetryPolicy(maxAttempts: 20, baseDelay: .seconds(1), maxDelay: .seconds(1000))
        let waits = (1...8).map { wait(policy, SendError(.transient, "503"), attempts: $0) }
        #expect(waits == [1, 2, 4, 8, 16, 32, 64, 128])
    }

    @Test func capsAtTheMaximumDelay() {
        let policy = RetryPolicy(maxAttempts: 10_000, baseDelay: .seconds(2), maxDelay: .seconds(300))
        #expect(wait(policy, SendError(.transient, "x"), attempts: 8) == 256)
        #expect(wait(policy, SendError(.transient, "x"), attempts: 9) == 300)
        #expect(wait(policy, SendError(.transient, "x"), attempts: 9_999) == 300, "no overflow for huge counts")
    }

    @Test func subSecondDelays() {
        let policy = RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(250), maxDelay: .seconds(60))
        #expect(wait(policy, SendError(.transient, "x"), attempts: 1) == 0.25)
        #expect(wait(policy, SendError(.transient, "x"), attempts: 3) == 1.0)
    }

    @Test func jitterScalesTheWaitAndIsClamped() {
        let policy = RetryPolicy(maxAttempts: 5, baseDelay: .seconds(8), maxDelay: .seconds(60))
        #expect(wait(policy, SendError(.transient, "x"), attempts: 1, jitter: 0.5) == 4)
        #expect(wait(policy, SendError(.transient, "x"), attempts: 1, jitter: 0.75) == 6)
        #expect(wait(policy, SendError(.transient, "x"), attempts: 1, jitter: 2.0) == 8, "jitter above 1 is 1")
        #expect(wait(policy, SendError(.transient, "x"), attempts: 1, jitter: -1.0) == 0, "jitter below 0 is 0")
    }

    @Test func retryAfterIsAFloorNotACeiling() {
        let policy = RetryPolicy(maxAttempts: 5, baseDelay: .seconds(2), maxDelay: .seconds(10))
        let slowDown = SendError(.rateLimited, "429", retryAfter: .seconds(45))
        #expect(wait(policy, slowDown, attempts: 1, jitter: 0.5) == 45, "above max_delay, still honoured")
        let short = SendError(.rateLimited, "429", retryAfter: .milliseconds(500))
        #expect(wait(policy, short, attempts: 2) == 4, "a shorter Retry-After does not shorten the backoff")
        #expect(wait(policy, SendError(.transient, "503", retryAfter: .seconds(7)), attempts: 1) == 7)
        #expect(wait(policy, slowDown, attempts: 5) == 45, "429s have their own budget, not max_attempts")
        let patient = RetryPolicy(maxAttempts: 5, maxRateLimited: 3)
        #expect(wait(patient, slowDown, attempts: 3) == nil, "max_rate_limited ends a storm that never stops")
        #expect(wait(patient, SendError(.transient, "503"), attempts: 4) != nil, "and leaves max_attempts alone")
    }

    @Test func rateLimitedWithoutRetryAfterBacksOffLikeTransient() {
        let policy = RetryPolicy(maxAttempts: 5, baseDelay: .seconds(3), maxDelay: .seconds(100))
        #expect(wait(policy, SendError(.rateLimited, "429"), attempts: 2) == 6)
    }

    @Test func givesUpAfterMaxAttempts() {
        let policy = RetryPolicy(maxAttempts: 3, baseDelay: .seconds(1), maxDelay: .seconds(10))
        #expect(wait(policy, SendError(.transient, "x"), attempts: 2) == 2)
        #expect(wait(policy, SendError(.transient, "x"), attempts: 3) == nil)
        #expect(wait(policy, SendError(.transient, "x"), attempts: 4) == nil)
        let once = RetryPolicy(maxAttempts: 1)
        #expect(wait(once, SendError(.transient, "x"), attempts: 1) == nil, "one attempt in all: no retry")
    }

    @Test(arguments: [SendError.Code.permanent, .unauthorized, .invalidRecipient])
    func permanentFailuresAreNeverRetriedEvenWithRetryAfter(code: SendError.Code) {
        let policy = RetryPolicy()
        #expect(!code.isRetryable)
        #expect(wait(policy, SendError(code, "no", retryAfter: .seconds(5)), attempts: 1) == nil)
        #expect(wait(policy, SendError(code, "no"), attempts: 0) == nil)
    }

    @Test func defaultsMatchTheSampleConfig() {
        let policy = RetryPolicy()
        #expect(policy.maxAttempts == 8)
        #expect(policy.baseDelay == .seconds(2))
        #expect(policy.maxDelay == .seconds(300))
    }
}
