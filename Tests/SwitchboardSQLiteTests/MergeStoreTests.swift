import Foundation
import SwitchboardAdapterKit
import SwitchboardCore
import SwitchboardSQLite
import Testing

struct MergeStoreTests {
    @Test func mergeJoinsTimelinesAndUnmergeGivesEverythingBack() async throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let email = try await fixture.stored(try envelope("e1", from: "email:ana@example.com", minute: 0)).conversation
            .customerID
        let phone = try await fixture.stored(try envelope("p1", from: "tel:+14155550100", minute: 1)).conversation
            .customerID
        _ = try await fixture.stored(try envelope("e2", from: "email:ana@example.com", minute: 2))
        #expect(email != phone)

        let merge = try await store.merge(phone, into: email, actor: "bo", reason: "same person")
        #expect(
            try await fixture.texts(email) == ["text of e2", "text of p1", "text of e1"], "one timeline, newest first")
        #expect(try await fixture.texts(phone).isEmpty)
        let tombstone = try #require(try await store.profile(id: phone))
        #expect(tombstone.customer.mergedInto == email)
        #expect(tombstone.identities.isEmpty)
        #expect(try await store.profile(id: email)?.identities.count == 2)
        #expect(try await store.customers(limit: 50, cursor: nil).items.map(\.id) == [email])
        #expect(try await store.customer(for: try Address(parsing: "tel:+14155550100"))?.id == email)

        // While merged, the phone writes again: it lands in the merged profile...
        let later = try await fixture.stored(try envelope("p2", from: "tel:+14155550100", minute: 3))
        #expect(later.conversation.customerID == email)

        // ...and goes back with the phone on un-merge, with its first message.
        let undone = try await store.unmerge(merge.id, actor: "cy")
        #expect(undone.unmergedBy == "cy")
        #expect(try await fixture.texts(email) == ["text of e2", "text of e1"])
        #expect(try await fixture.texts(phone) == ["text of p2", "text of p1"])
        #expect(try await store.profile(id: phone)?.customer.mergedInto == nil)
        #expect(try await store.profile(id: phone)?.identities.map(\.address.description) == ["tel:+14155550100"])
        #expect(try await store.customers(limit: 50, cursor: nil).items.count == 2)

        let history = try await store.merges(customerID: email)
        #expect(history.count == 1)
        #expect(history.first?.actor == "bo" && history.first?.reason == "same person")
        #expect(history.first?.unmergedAt != nil)
        let events = try await store.timeline(customerID: email, limit: 50, cursor: nil).items.compactMap {
            entry -> String? in
            if case .event(let event) = entry { event.kind } else { nil }
        }
        #expect(events == ["unmerge", "merge"])
    }

    @Test func mergesThatMakeNoSenseAreRefusedAndChangeNothing() async throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let a = try await fixture.stored(try envelope("a", from: "email:a@example.com")).conversation.customerID
        let b = try await fixture.stored(try envelope("b", from: "email:b@example.com")).conversation.customerID
        let c = try await fixture.stored(try envelope("c", from: "email:c@example.com")).conversation.customerID

        await #expect(throws: StoreError.self) { _ = try await store.merge(a, into: a, actor: "bo", reason: "x") }
        await #expect(throws: StoreError.self) {
            _ = try await store.merge(a, into: "cus_missing", actor: "bo", reason: "x")
        }
        let merge = try await store.merge(b, into: a, actor: "bo", reason: "x")
        do {
            _ = try await store.merge(c, into: b, actor: "bo", reason: "into a tombstone")
            Issue.record("merged into a tombstone")
        } catch let error as StoreError {
            #expect(error.code == .conflict)
            #expect(error.message.contains("use \(a) instead"))
        }
        _ = try await store.unmerge(merge.id, actor: "bo")
        do {
            _ = try await store.unmerge(merge.id, actor: "bo")
            Issue.record("undid a merge twice")
        } catch let error as StoreError {
            #expect(error.code == .conflict)
        }
        await #expect(throws: StoreError.self) { _ = try await store.unmerge("mrg_missing", actor: "bo") }
        #expect(try await store.merges(customerID: nil).count == 1)
        #expect(try await fixture.texts(c) == ["text of c"])
    }

    @Test func chainedMergesUnwindInAnyOrder() async throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let a = try await fixture.stored(try envelope("a", from: "email:a@example.com", minute: 0)).conversation
            .customerID
        let b = try await fixture.stored(try envelope("b", from: "tel:+14155550101", minute: 1)).conversation.customerID
        let c = try await fixture.stored(try envelope("c", from: "webchat:v3", minute: 2)).conversation.customerID
        let first = try await store.merge(b, into: a, actor: "bo", reason: "1")
        _ = try await store.merge(c, into: a, actor: "bo", reason: "2")
        #expect(try await fixture.texts(a) == ["text of c", "text of b", "text of a"])
        _ = try await store.unmerge(first.id, actor: "bo")
        #expect(try await fixture.texts(a) == ["text of c", "text of a"])
        #expect(try await fixture.texts(b) == ["text of b"])
    }
}

struct TimelineStoreTests {
    @Test func pagesCoverEveryEntryOnceNewestFirst() async throws {
        let fixture = try StoreFixture()
        var customer = ""
        for index in 0..<25 {
            customer = try await fixture.stored(try envelope("t\(index)", from: "email:ana@example.com", minute: index))
                .conversation.customerID
        }
        var seen: [String] = []
        var cursor: String?
        var pages = 0
        repeat {
            let page = try await fixture.store.timeline(customerID: customer, limit: 10, cursor: cursor)
            seen += page.items.compactMap { if case .message(let message) = $0 { message.text } else { nil } }
            cursor = page.nextCursor
            pages += 1
        } while cursor != nil && pages < 10
        #expect(pages == 3)
        #expect(seen == (0..<25).reversed().map { "text of t\($0)" })
    }

    @Test func aCursorThatIsNotOursIsRefused() async throws {
        let fixture = try StoreFixture()
        do {
            _ = try await fixture.store.timeline(customerID: "cus_x", limit: 10, cursor: "garbage")
            Issue.record("accepted a made-up cursor")
        } catch let error as StoreError {
            #expect(error.code == .invalid)
        }
    }
}
