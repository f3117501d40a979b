import Foundation
import SwitchboardAdapterKit
import Testing

@testable import SwitchboardCore

func identity(_ address: String, customer: String, verified: Bool = true) throws -> Identity {
    Identity(
        address: try Address(parsing: address), customerID: customer, originalCustomerID: customer,
        firstSeenChannel: nil, verified: verified, provenance: "test", createdAt: Date(timeIntervalSince1970: 0))
}

struct IdentityResolverTests {
    @Test func whatsappAndPhoneAreEquivalentOnlyWhenTheConfigSaysSo() throws {
        let whatsapp = try Address(parsing: "whatsapp:+14155550100")
        let tel = try Address(parsing: "tel:+14155550100")
        #expect(IdentityResolver.equivalents(of: whatsapp, policy: .init(linkWhatsAppToPhone: true)) == [tel])
        #expect(IdentityResolver.equivalents(of: tel, policy: .init(linkWhatsAppToPhone: true)) == [whatsapp])
        #expect(IdentityResolver.equivalents(of: tel, policy: .init(linkWhatsAppToPhone: false)).isEmpty)
        #expect(IdentityResolver.equivalents(of: try Address(parsing: "email:a@example.com"), policy: .init()).isEmpty)
    }

    @Test func aLearnedIdentifierSuggestsByDefaultAndMergesWhenAllowed() throws {
        let learned = try Address(parsing: "email:ana@example.com")
        let current = [try identity("webchat:v1", customer: "c1", verified: false)]
        let other = [try identity("email:ana@example.com", customer: "c2")]
        guard
            case .suggest(let reason) = IdentityResolver.decide(
                learned: learned, current: current, other: other, policy: .init())
        else {
            Issue.record("merged without permission")
            return
        }
        #expect(reason.contains("email:ana@example.com"))
        #expect(
            IdentityResolver.decide(
                learned: learned, current: current, other: other, policy: .init(autoMergeOnStrongIdentifier: true))
                == .merge)
    }

    @Test func conflictingVerifiedIdentifiersAreNeverMergedAutomatically() throws {
        let learned = try Address(parsing: "tel:+14155550100")
        let current = [try identity("email:ana@example.com", customer: "c1")]
        let other = [
            try identity("email:bea@example.com", customer: "c2"), try identity("tel:+14155550100", customer: "c2"),
        ]
        let decision = IdentityResolver.decide(
            learned: learned, current: current, other: other, policy: .init(autoMergeOnStrongIdentifier: true))
        guard case .suggest(let reason) = decision else {
            Issue.record("merged two profiles with different verified emails")
            return
        }
        #expect(reason.contains("conflicting"))
        // Unverified addresses do not conflict.
        let unverified = [try identity("email:bea@example.com", customer: "c2", verified: false)]
        #expect(IdentityResolver.conflict(between: current, and: unverified) == nil)
    }
}

struct ThreadingTests {
    let now = Date(timeIntervalSince1970: 1_000_000)

    func conversation(_ status: Conversation.Status, resolvedAt: Date? = nil) throws -> Conversation {
        Conversation(
            id: "con_1", customerID: "cus_1", channel: "shop",
            customerAddress: try Address(parsing: "email:a@example.com"),
            threadKey: "t", subject: nil, status: status, createdAt: now.addingTimeInterval(-86_400 * 30),
            lastMessageAt: now.addingTimeInterval(-86_400 * 10), resolvedAt: resolvedAt)
    }

    @Test func noConversationOpensOne() {
        #expect(Threading.decide(latest: nil, at: now, reopenWindow: .seconds(60)) == .open)
    }

    @Test(arguments: [Conversation.Status.open, .pending, .snoozed])
    func unresolvedConversationsTakeTheMessage(status: Conversation.Status) throws {
        #expect(
            Threading.decide(latest: try conversation(status), at: now, reopenWindow: .seconds(1))
                == .append(conversationID: "con_1"))
    }

    @Test func aResolvedConversationReopensInsideTheWindowOnly() throws {
        let resolved = try conversation(.resolved, resolvedAt: now.addingTimeInterval(-3600))
        #expect(
            Threading.decide(latest: resolved, at: now, reopenWindow: .seconds(7200))
                == .reopen(conversationID: "con_1"))
        #expect(
            Threading.decide(latest: resolved, at: now, reopenWindow: .seconds(3600))
                == .reopen(conversationID: "con_1"), "the boundary is inside")
        #expect(Threading.decide(latest: resolved, at: now, reopenWindow: .seconds(3599)) == .open)
    }

    @Test func withoutAResolutionTimeTheLastMessageCounts() throws {
        let resolved = try conversation(.resolved)  // last message 10 days ago
        #expect(
            Threading.decide(latest: resolved, at: now, reopenWindow: .seconds(86_400 * 11))
                == .reopen(conversationID: "con_1"))
        #expect(Threading.decide(latest: resolved, at: now, reopenWindow: .seconds(86_400 * 9)) == .open)
    }
}

struct RetryPolicyTests {
    let policy = RetryPolicy(maxAttempts: 5, baseDelay: .seconds(2), maxDelay: .seconds(10))
    let now = Date(timeIntervalSince1970: 0)

    func delay(_ error: SendError, attempts: Int) -> Double? {
        policy.nextAttempt(after: error, attempts: attempts, now: now, jitter: 1.0)?.timeIntervalSince(now)
    }

    @Test func transientFailuresBackOffExponentiallyUpToTheCeiling() {
        let error = SendError(.transient, "503")
        #expect([1, 2, 3, 4].map { delay(error, attempts: $0) } == [2, 4, 8, 10])
        #expect(delay(error, attempts: 5) == nil, "dead-lettered after max attempts")
    }

    @Test func jitterShortensTheWait() {
        let wait = policy.nextAttempt(after: SendError(.transient, "x"), attempts: 3, now: now, jitter: 0.5)
        #expect(wait?.timeIntervalSince(now) == 4)
    }

    @Test func retryAfterIsAMinimum() {
        #expect(delay(SendError(.rateLimited, "429", retryAfter: .seconds(30)), attempts: 1) == 30)
        #expect(delay(SendError(.rateLimited, "429", retryAfter: .seconds(1)), attempts: 3) == 8)
    }

    @Test(arguments: [SendError.Code.permanent, .unauthorized, .invalidRecipient])
    func failuresThatCannotSucceedAreNotRetried(code: SendError.Code) {
        #expect(delay(SendError(code, "no"), attempts: 1) == nil)
    }

    @Test func sendErrorsMatchByCode() {
        do {
            throw SendError(.rateLimited, "slow down")
        } catch SendError.rateLimited {
        } catch {
            Issue.record("did not match by code")
        }
    }
}

struct IdentifierTests {
    @Test func timelineCursorsRoundTripAndRejectGarbage() {
        let cursor = TimelineCursor(millis: 1_795_428_000_123, id: "msg_01ABC")
        #expect(TimelineCursor(token: cursor.token) == cursor)
        #expect(!cursor.token.contains("="))
        #expect(TimelineCursor(token: "not a cursor") == nil)
        #expect(TimelineCursor(token: "") == nil)
    }

    @Test func sortableIDsSortByTimeAndDoNotCollide() {
        let early = SortableID.make("msg_", at: Date(timeIntervalSince1970: 1_000))
        let late = SortableID.make("msg_", at: Date(timeIntervalSince1970: 2_000))
        #expect(early < late)
        #expect(early.count == 4 + 26)
        var generator = SortableID.FastGenerator()
        let many = (0..<10_000).map { _ in SortableID.make("x", at: Date(timeIntervalSince1970: 5), using: &generator) }
        #expect(Set(many).count == many.count)
    }
}
