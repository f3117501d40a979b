import Foundation
import SwitchboardAdapterKit
import SwitchboardCore
import SwitchboardSQLStore
import SwitchboardSQLite
import Testing

struct TimelinePaginationTests {
    /// Ingests `count` messages from one sender, `spacing` seconds apart (0: all at the same time).
    func seed(_ store: SQLStore, count: Int, spacing: Double) async throws -> (customer: String, ids: [String]) {
        var ids: [String] = []
        var customer = ""
        for index in 0..<count {
            let result = try await store.ingestOne(
                try inbound(
                    "e\(index)", from: "email:ana@example.com", thread: "t\(index % 3)",
                    at: baseTime.addingTimeInterval(Double(index) * spacing)))
            ids.append(result.message.id)
            customer = result.conversation.customerID
        }
        return (customer, ids)
    }

    func pages(_ store: SQLStore, customer: String, size: Int) async throws -> [[TimelineEntry]] {
        var pages: [[TimelineEntry]] = []
        var cursor: String?
        repeat {
            let page = try await store.timeline(customerID: customer, limit: size, cursor: cursor)
            pages.append(page.items)
            cursor = page.nextCursor
            if pages.count > 100 {
                Issue.record("the cursor never ends")
                break
            }
        } while cursor != nil
        return pages
    }

    @Test func pagesOfTenCoverTwentyFiveMessagesWithoutGapsOrDuplicates() async throws {
        try await withTemporaryStore { store in
            let (customer, _) = try await seed(store, count: 25, spacing: 60)
            let pages = try await pages(store, customer: customer, size: 10)
            #expect(pages.map(\.count) == [10, 10, 5])
            let externalIDs = pages.flatMap { $0 }.compactMap { entry -> String? in
                if case .message(let message) = entry { message.externalID } else { nil }
            }
            #expect(externalIDs == (0..<25).reversed().map { "e\($0)" }, "newest first, each once")
            let times = pages.flatMap { $0 }.map(\.at)
            #expect(times == times.sorted(by: >))
        }
    }

    @Test func messagesWithTheSameTimestampArePagedByID() async throws {
        try await withTemporaryStore { store in
            let (customer, ids) = try await seed(store, count: 25, spacing: 0)
            let pages = try await pages(store, customer: customer, size: 10)
            #expect(pages.map(\.count) == [10, 10, 5])
            let seen = pages.flatMap { $0 }.map(\.id)
            #expect(Set(seen).count == 25)
            #expect(seen == ids.sorted(by: >))
        }
    }

    @Test(arguments: [1, 3, 7, 24, 25, 26, 500])
    func everyPageSizeSeesEveryMessageOnce(size: Int) async throws {
        try await withTemporaryStore { store in
            let (customer, ids) = try await seed(store, count: 25, spacing: 1)
            let pages = try await pages(store, customer: customer, size: size)
            #expect(pages.dropLast().allSatisfy { $0.count == size })
            #expect(pages.flatMap { $0 }.map(\.id) == ids.reversed())
        }
    }

    @Test func eventsAndMessagesArePagedTogether() async throws {
        try await withTemporaryStore { store in
            let (customer, _) = try await seed(store, count: 12, spacing: 60)
            let other = try await store.ingestOne(try inbound("x1", from: "tel:+14155550100", channel: "sms"))
            _ = try await store.merge(other.conversation.customerID, into: customer, actor: "bob", reason: "r")
            let pages = try await pages(store, customer: customer, size: 4)
            let all = pages.flatMap { $0 }
            #expect(all.count == 14)
            #expect(Set(all.map(\.id)).count == 14)
            #expect(all.filter { if case .event = $0 { true } else { false } }.count == 1)
            #expect(all.map(\.at) == all.map(\.at).sorted(by: >))
        }
    }

    @Test(arguments: ["not-a-cursor!", "bm9kb3Q", ""])
    func aBadCursorIsInvalid(cursor: String) async throws {
        try await withTemporaryStore { store in
            let (customer, _) = try await seed(store, count: 2, spacing: 1)
            let message = await expectStoreError(.invalid) {
                _ = try await store.timeline(customerID: customer, limit: 10, cursor: cursor)
            }
            #expect(message?.contains("cursor") == true)
        }
    }

    @Test func limitsAreClamped() async throws {
        try await withTemporaryStore { store in
            let (customer, _) = try await seed(store, count: 3, spacing: 1)
            let page = try await store.timeline(customerID: customer, limit: 0, cursor: nil)
            #expect(page.items.count == 1 && page.nextCursor != nil)
            #expect(try await store.timeline(customerID: customer, limit: -5, cursor: nil).items.count == 1)
        }
    }

    @Test func anUnknownCustomerHasAnEmptyTimeline() async throws {
        try await withTemporaryStore { store in
            let page = try await store.timeline(customerID: "cus_nobody", limit: 10, cursor: nil)
            #expect(page.items.isEmpty && page.nextCursor == nil)
        }
    }

    @Test func customersArePagedToo() async throws {
        try await withTemporaryStore { store in
            for index in 0..<7 {
                _ = try await store.ingestOne(try inbound("e\(index)", from: "webchat:v\(index)"))
            }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try await store.customers(limit: 3, cursor: cursor)
                seen += page.items.map(\.id)
                cursor = page.nextCursor
            } while cursor != nil && seen.count < 100
            #expect(seen.count == 7 && Set(seen).count == 7)
            #expect(seen == seen.sorted(by: >), "newest first")
        }
    }
}
