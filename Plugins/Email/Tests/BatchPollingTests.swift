import SwitchboardAdapterKit
import SwitchboardAdapterTesting
import Synchronization
import Testing

@testable import EmailAdapter

/// The poller hands mail to the hub in batches (``IMAPPoller/batchSize``): one call and one write
/// of positions per batch. Batching must not change what is stored, how it is threaded, or what
/// happens when something fails in the middle of a batch.
struct BatchPollingTests {
    @Test func aFolderOfManyMailsGoesToTheHubInBatches() async throws {
        let mail = FakeMail()
        let hub = FakeHub()
        let cursor = MemoryCursorStore()
        let adapter = try makeAdapter(mail: mail, hub: hub, cursor: cursor)
        let count = IMAPPoller.batchSize * 2 + 50
        for n in 1...count { mail.append(letter(from: "c\(n)@example.org", messageID: "m\(n)@example.org")) }
        let report = try await adapter.pollOnce()
        #expect(report.fetched == count && report.stored == count && report.duplicates == 0)
        #expect(hub.state.withLock { $0.deliverCalls } == 3)
        #expect(try await cursor.value(for: "imap:INBOX:last-uid") == String(count))
        #expect(hub.stored.map(\.from.value) == (1...count).map { "c\($0)@example.org" })
    }

    @Test func aReplyInTheSameBatchJoinsItsParentsThread() async throws {
        let mail = FakeMail()
        let hub = FakeHub()
        let adapter = try makeAdapter(mail: mail, hub: hub)
        // The parent answers a thread we never saw; the reply names only the parent (its client
        // dropped the root), so only the memory of the parent, from the same batch, finds the thread.
        mail.append(
            letter(messageID: "parent@example.org", inReplyTo: "root@example.org", references: ["root@example.org"]))
        mail.append(
            letter(
                subject: "Re: Order 42", messageID: "reply@example.org", inReplyTo: "parent@example.org",
                references: ["parent@example.org"], body: "Any news?"))
        let report = try await adapter.pollOnce()
        #expect(report.stored == 2 && hub.state.withLock { $0.deliverCalls } == 1)
        #expect(hub.stored[1].threadKey == hub.stored[0].threadKey)
        #expect(hub.stored[0].threadKey == ThreadResolver.threadKey(forRoot: "root@example.org"))
    }

    @Test func aRefusalInsideABatchKeepsTheMailsBeforeItAndRetriesFromIt() async throws {
        let mail = FakeMail()
        let hub = FakeHub()
        let cursor = MemoryCursorStore()
        let adapter = try makeAdapter(mail: mail, hub: hub, cursor: cursor)
        mail.append(letter(from: "a@example.org", messageID: "a@example.org"))
        mail.append(letter(from: "b@example.org", messageID: "b@example.org"))
        mail.append(letter(from: "c@example.org", messageID: "c@example.org"))
        hub.state.withLock { $0.rejectMessageID = "b@example.org" }
        await #expect(throws: PollError.self) { try await adapter.pollOnce() }
        #expect(try await cursor.value(for: "imap:INBOX:last-uid") == "1")
        // What the refused mail taught the thread memory was not kept; the mail before it was.
        #expect(try await cursor.value(for: ThreadResolver.messageKey("b@example.org")) == nil)
        #expect(try await cursor.value(for: ThreadResolver.messageKey("a@example.org")) != nil)
        let report = try await adapter.pollOnce()
        #expect(report.stored == 1 && report.duplicates == 1)
        #expect(Set(hub.stored.map(\.from.value)) == ["a@example.org", "b@example.org", "c@example.org"])
        #expect(hub.stored.count == 3)
    }

    @Test func aFetchFailureInsideABatchStoresTheMailsBeforeIt() async throws {
        let mail = FakeMail()
        let hub = FakeHub()
        let cursor = MemoryCursorStore()
        let adapter = try makeAdapter(mail: mail, hub: hub, cursor: cursor)
        mail.append(letter(from: "a@example.org", messageID: "a@example.org"))
        mail.append(letter(from: "b@example.org", messageID: "b@example.org"))
        mail.state.withLock { $0.failFetch[2] = TransportError(isRetryable: true, "connection reset") }
        await #expect(throws: TransportError.self) { try await adapter.pollOnce() }
        #expect(hub.stored.map(\.from.value) == ["a@example.org"])
        #expect(try await cursor.value(for: "imap:INBOX:last-uid") == "1")
        mail.state.withLock { $0.failFetch = [:] }
        #expect(try await adapter.pollOnce().stored == 1)
        #expect(hub.stored.map(\.from.value) == ["a@example.org", "b@example.org"])
    }
}
