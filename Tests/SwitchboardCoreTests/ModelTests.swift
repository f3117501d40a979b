import Foundation
import SwitchboardAdapterKit
import Testing

@testable import SwitchboardCore

struct TimelineCursorTests {
    @Test(arguments: [
        (Int64(0), "a"),
        (Int64(1_795_428_000_123), "msg_01JABCDEFGHJKMNPQRSTVWXYZ0"),
        (Int64(-5), "evt_x"),
        (Int64.max, "id.with.dots"),  // only the first dot separates
        (Int64(42), "ünïcode/+="),
    ])
    func tokensRoundTrip(millis: Int64, id: String) throws {
        let cursor = TimelineCursor(millis: millis, id: id)
        let token = cursor.token
        #expect(!token.contains("+") && !token.contains("/") && !token.contains("="), "URL-safe: \(token)")
        let parsed = try #require(TimelineCursor(token: token))
        #expect(parsed == cursor)
    }

    static func base64url(_ text: String) -> String {
        Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    @Test(arguments: [
        "", "!!!", "not a cursor", "%%%%",
        base64url("no dot here"),  // no separator
        base64url("123."),  // no id
        base64url("abc.msg_1"),  // millis not a number
        base64url(".msg_1"),  // no millis
        base64url("99999999999999999999.msg_1"),  // millis overflow Int64
    ])
    func garbageIsRejected(token: String) {
        #expect(TimelineCursor(token: token) == nil)
    }

    @Test func aCursorAfterAnEntryUsesItsTimeInWholeMillisecondsAndItsID() {
        let event = SystemEvent(
            id: "evt_1", customerID: "c", conversationID: nil, kind: "merge", actor: "a", detail: "d",
            at: Date(timeIntervalSince1970: 12.3456))
        let cursor = TimelineCursor(after: .event(event))
        #expect(cursor.millis == 12_345)
        #expect(cursor.id == "evt_1")
    }
}

struct SortableIDTests {
    static let crockford = Set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    @Test(arguments: ["msg_", "cus_", "", "x"])
    func lengthIsPrefixPlus26InCrockfordBase32(prefix: String) {
        let id = SortableID.make(prefix, at: Date(timeIntervalSince1970: 1_700_000_000))
        #expect(id.count == prefix.count + 26)
        #expect(id.hasPrefix(prefix))
        #expect(id.dropFirst(prefix.count).allSatisfy { Self.crockford.contains($0) }, "\(id)")
    }

    @Test func idsSortByTimeEvenOneMillisecondApart() {
        var generator = SortableID.FastGenerator()
        let base = 1_700_000_000.0
        let ids = (0..<500).map { step in
            SortableID.make("msg_", at: Date(timeIntervalSince1970: base + Double(step) / 1000), using: &generator)
        }
        #expect(ids.sorted() == ids)
        #expect(Set(ids).count == ids.count)
    }

    @Test func theFirstTenCharactersEncodeTheMillisecond() {
        // 1_700_000_000_000 ms = 0x18BCFE56800, written as 10 base-32 digits.
        let id = SortableID.make("", at: Date(timeIntervalSince1970: 1_700_000_000))
        #expect(id.prefix(10) == "01HF7YAT00")
        let epoch = SortableID.make("", at: Date(timeIntervalSince1970: 0))
        #expect(epoch.prefix(10) == "0000000000")
        let beforeEpoch = SortableID.make("", at: Date(timeIntervalSince1970: -10))
        #expect(beforeEpoch.prefix(10) == "0000000000", "times before 1970 clamp to zero")
    }

    @Test func systemRandomIDsDoNotCollide() {
        let at = Date(timeIntervalSince1970: 5)
        let ids = (0..<2_000).map { _ in SortableID.make("cus_", at: at) }
        #expect(Set(ids).count == ids.count)
    }
}

struct TimelineEntryCodingTests {
    static let message = Message(
        id: "msg_1", conversationID: "con_1", customerID: "cus_1", channel: "shop", direction: .outbound,
        visibility: .private, author: "bob", subject: "Re: hi", text: "hello", html: nil,
        attachments: [Attachment(filename: "a.txt", contentType: "text/plain", size: 3, url: nil)], externalID: "x1",
        inReplyTo: "e0", sentAt: Date(timeIntervalSince1970: 100), receivedAt: Date(timeIntervalSince1970: 101),
        isAutomatic: false, deliveryStatus: "sent",
        statusHistory: [StatusEntry(status: "queued", at: Date(timeIntervalSince1970: 100))])

    static let event = SystemEvent(
        id: "evt_1", customerID: "cus_1", conversationID: nil, kind: "merge", actor: "agent", detail: "merged",
        at: Date(timeIntervalSince1970: 200))

    @Test func entriesRoundTripWithATypeTag() throws {
        for entry in [TimelineEntry.message(Self.message), .event(Self.event)] {
            let data = try JSONEncoder().encode(entry)
            let object = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect(object["type"] as? String == (entry.id == "msg_1" ? "message" : "event"))
            #expect(try JSONDecoder().decode(TimelineEntry.self, from: data) == entry)
        }
    }

    @Test func entriesExposeTheirTimeAndID() {
        #expect(TimelineEntry.message(Self.message).at == Date(timeIntervalSince1970: 100))
        #expect(TimelineEntry.event(Self.event).at == Date(timeIntervalSince1970: 200))
        #expect(TimelineEntry.event(Self.event).id == "evt_1")
    }

    @Test func anUnknownEntryTypeIsADecodingError() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(TimelineEntry.self, from: Data(#"{"type":"note","note":{}}"#.utf8))
        }
    }

    @Test func theAPIFormUsesSnakeCaseAndISO8601WithMilliseconds() throws {
        let customer = Customer(
            id: "cus_1", displayName: "Ana", firstSeen: Date(timeIntervalSince1970: 1.5),
            lastSeen: Date(timeIntervalSince1970: 2))
        let json = String(decoding: try JSONCoding.encoder().encode(customer), as: UTF8.self)
        #expect(json.contains(#""display_name":"Ana""#))
        #expect(json.contains(#""first_seen":"1970-01-01T00:00:01.500Z""#), "\(json)")
        #expect(!json.contains("merged_into"), "nil fields are left out")
    }
}

struct ErrorClassificationTests {
    @Test(arguments: [
        (429, SendError.Code.rateLimited), (401, .unauthorized), (403, .unauthorized), (404, .invalidRecipient),
        (410, .invalidRecipient), (408, .transient), (500, .transient), (502, .transient), (503, .transient),
        (599, .transient), (400, .permanent), (413, .permanent), (422, .permanent),
    ])
    func httpStatusesAreClassified(status: Int, code: SendError.Code) {
        let error = SendError.forHTTPStatus(status, body: "body", retryAfter: .seconds(9))
        #expect(error.code == code)
        #expect(error.code.isRetryable == (code == .transient || code == .rateLimited))
        if code == .rateLimited || code == .transient { #expect(error.retryAfter == .seconds(9)) }
    }

    @Test func theBodyExcerptIsShort() {
        let error = SendError.forHTTPStatus(400, body: String(repeating: "x", count: 5_000))
        #expect(error.message.count < 400)
    }

    @Test func sendErrorsMatchByCodeInCatchClauses() {
        do {
            throw SendError(.rateLimited, "slow down", retryAfter: .seconds(3))
        } catch SendError.rateLimited {
        } catch {
            Issue.record("a rate-limited error did not match its code")
        }
        #expect(!(SendError.permanent ~= SendError(.transient, "x")))
    }

    @Test func storeErrorsMatchByCode() {
        let error: any Error = StoreError(.conflict, "already undone")
        #expect(StoreError.conflict ~= error)
        #expect(!(StoreError.notFound ~= error))
        #expect(!(StoreError.invalid ~= SendError(.permanent, "x")))
        #expect(StoreError(.invalid, "m").description == "m")
    }

    @Test(arguments: ["queued", "sent", "delivered", "read", "failed"])
    func deliveryStatusNamesRoundTrip(name: String) throws {
        let status = try #require(DeliveryStatus(name: name, reason: "boom"))
        #expect(status.name == name)
        #expect(status.reason == (name == "failed" ? "boom" : nil))
    }

    @Test func unknownDeliveryStatusNamesAreRejected() {
        #expect(DeliveryStatus(name: "bounced") == nil)
        #expect(DeliveryStatus(name: "failed")?.reason?.isEmpty == false)
    }

    @Test func hmacMatchesPublishedVectors() {
        // RFC 2202 test case 2 (HMAC-SHA1), key "Jefe".
        let mac = HMACSignature.sha1(secret: "Jefe", body: Array("what do ya want for nothing?".utf8))
        #expect(mac.map { String(format: "%02x", $0) }.joined() == "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")
    }

    @Test func constantTimeEqualsComparesWholeStrings() {
        #expect(HMACSignature.constantTimeEquals("abc", "abc"))
        #expect(!HMACSignature.constantTimeEquals("abc", "abd"))
        #expect(!HMACSignature.constantTimeEquals("abc", "abcd"))
        #expect(!HMACSignature.constantTimeEquals("", "a"))
        #expect(HMACSignature.constantTimeEquals("", ""))
    }
}

struct OptOutPolicyTests {
    let policy = OptOutPolicy(optOutKeywords: ["stop", "unsubscribe", "arret"], channels: ["sms"])

    @Test func keywordsAloneCaseInsensitiveWithTrailingPunctuation() {
        #expect(policy.action(for: "STOP", on: "sms") == .optOut(keyword: "STOP"))
        #expect(policy.action(for: " stop!\n", on: "sms") == .optOut(keyword: "STOP"))
        #expect(policy.action(for: "Arret.", on: "sms") == .optOut(keyword: "ARRET"))
        #expect(policy.action(for: "Start", on: "sms") == .optIn(keyword: "START"))
        #expect(policy.action(for: "stop sending me promos", on: "sms") == nil)
        #expect(policy.action(for: "STOP", on: "email") == nil)
        #expect(policy.action(for: "", on: "sms") == nil)
    }
}
