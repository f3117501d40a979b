import Foundation
import SwitchboardAdapterKit
import SwitchboardCore
import SwitchboardSQLStore
import Testing

/// The inbox's conversation list (``SQLStore/conversations(matching:limit:cursor:)``), on both
/// backends: filters, latest activity first, and cursors that neither skip nor repeat.
struct InboxTests {
    /// 30 conversations, one per customer, on two channels; conversation `n` last spoke at
    /// `baseTime + n minutes`, and every third one is resolved. Returns the ids, oldest first.
    func seed(_ store: SQLStore) async throws -> [String] {
        var ids: [String] = []
        for index in 0..<30 {
            let stored = try await store.ingestOne(
                try inbound(
                    "m\(index)", from: "email:c\(index)@example.com",
                    channel: index.isMultiple(of: 2) ? "shop" : "help",
                    at: baseTime.addingTimeInterval(Double(index) * 60)))
            ids.append(stored.conversation.id)
            if index.isMultiple(of: 3) {
                _ = try await store.setStatus(conversationID: stored.conversation.id, to: .resolved, actor: "test")
            }
        }
        return ids
    }

    func all(_ store: SQLStore, _ filter: ConversationFilter, pageSize: Int) async throws -> (ids: [String], pages: Int)
    {
        var ids: [String] = []
        var cursor: String?
        var pages = 0
        repeat {
            let page = try await store.conversations(matching: filter, limit: pageSize, cursor: cursor)
            ids += page.items.map(\.id)
            cursor = page.nextCursor
            pages += 1
        } while cursor != nil && pages < 100
        return (ids, pages)
    }

    @Test func everyConversationLatestFirstInPagesWithoutGapsOrRepeats() async throws {
        try await withTemporaryStore { store in
            let ids = try await seed(store)
            let listed = try await all(store, ConversationFilter(), pageSize: 7)
            #expect(listed.ids == ids.reversed())
            #expect(listed.pages == 5)
        }
    }

    @Test func aStatusFilterListsOnlyThatStatus() async throws {
        try await withTemporaryStore { store in
            let ids = try await seed(store)
            let open = try await all(store, ConversationFilter(statuses: [.open]), pageSize: 4)
            let expected = ids.enumerated().filter { !$0.offset.isMultiple(of: 3) }.map(\.element)
            #expect(open.ids == expected.reversed())
            let both = try await all(store, ConversationFilter(statuses: [.open, .resolved]), pageSize: 4)
            #expect(both.ids == ids.reversed())
            #expect(try await all(store, ConversationFilter(statuses: [.snoozed]), pageSize: 4).ids.isEmpty)
        }
    }

    @Test func channelAndAssigneeFiltersCombineWithStatus() async throws {
        try await withTemporaryStore { store in
            let ids = try await seed(store)
            let help = try await all(store, ConversationFilter(statuses: [.resolved], channel: "help"), pageSize: 3)
            // Resolved: every third; on `help`: odd indexes. Both: 3, 9, 15, 21, 27.
            #expect(help.ids == [27, 21, 15, 9, 3].map { ids[$0] })
            #expect(try await all(store, ConversationFilter(assignee: "nobody"), pageSize: 3).ids.isEmpty)
        }
    }

    @Test func aCursorThatIsNotOursIsRefused() async throws {
        try await withTemporaryStore { store in
            _ = try await seed(store)
            _ = await expectStoreError(.invalid) {
                _ = try await store.conversations(matching: ConversationFilter(), limit: 10, cursor: "not a cursor")
            }
        }
    }
}
