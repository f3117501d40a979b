import Foundation
import SwitchboardAdapterKit
import SwitchboardAdapterTesting
import Synchronization
import Testing

@testable import EmailAdapter

struct PollingTests {
    @Test func eachMailIsImportedOnceAcrossPolls() async throws {
        let mail = FakeMail()
        let hub = FakeHub()
        let adapter = try makeAdapter(mail: mail, hub: hub)
        mail.append(letter(messageID: "a@example.org"))
        mail.append(letter(from: "bob@example.org", subject: "Refund", messageID: "b@example.org"))
        let first = try await adapter.pollOnce()
        #expect(first.stored == 2)
        let second = try await adapter.pollOnce()
        #expect(second.fetched == 0)
        mail.append(letter(from: "carol@example.org", subject: "Hi", messageID: "c@example.org"))
        let third = try await adapter.pollOnce()
        #expect(third.fetched == 1 && third.stored == 1)
        #expect(hub.stored.map(\.from.value) == ["ana@example.org", "bob@example.org", "carol@example.org"])
    }

    @Test func aRestartedAdapterContinuesWhereTheLastStopped() async throws {
        let mail = FakeMail()
        let hub = FakeHub()
        let cursor = MemoryCursorStore()
        mail.append(letter(messageID: "a@example.org"))
        _ = try await makeAdapter(mail: mail, hub: hub, cursor: cursor).pollOnce()
        // Mail that arrives while the hub is down.
        mail.append(letter(from: "bob@example.org", messageID: "b@example.org"))
        let report = try await makeAdapter(mail: mail, hub: hub, cursor: cursor).pollOnce()
        #expect(report.fetched == 1 && report.stored == 1)
        #expect(hub.stored.count == 2)
    }

    @Test func aFailedDeliveryDoesNotAdvanceThePosition() async throws {
        let mail = FakeMail()
        let hub = FakeHub()
        let adapter = try makeAdapter(mail: mail, hub: hub)
        mail.append(letter(messageID: "a@example.org"))
        hub.state.withLock { $0.failNextDeliver = true }
        await #expect(throws: (any Error).self) { try await adapter.pollOnce() }
        #expect(hub.stored.isEmpty)
        let report = try await adapter.pollOnce()
        #expect(report.stored == 1)
    }

    @Test func aRenumberedFolderIsReadAgainWithoutDuplicates() async throws {
        let mail = FakeMail()
        let hub = FakeHub()
        let adapter = try makeAdapter(mail: mail, hub: hub)
        mail.append(letter(messageID: "a@example.org"))
        mail.append(letter(from: "bob@example.org", messageID: "b@example.org"))
        _ = try await adapter.pollOnce()
        mail.renumber()
        mail.append(letter(from: "carol@example.org", messageID: "c@example.org"))
        let report = try await adapter.pollOnce()
        #expect(report.fetched == 3 && report.duplicates == 2 && report.stored == 1)
        #expect(hub.stored.count == 3)
    }

    @Test func aMailTheServerWillNotGiveIsRecordedNotSkippedSilently() async throws {
        let mail = FakeMail()
        let hub = FakeHub()
        let adapter = try makeAdapter(mail: mail, hub: hub)
        mail.append(letter(messageID: "a@example.org"))
        mail.append(letter(from: "bob@example.org", messageID: "b@example.org"))
        mail.state.withLock {
            $0.failFetch[1] = TransportError(isRetryable: false, "the message is over 64 MB", isItemUnavailable: true)
        }
        let report = try await adapter.pollOnce()
        #expect(report.stored == 2)
        let placeholder = try #require(hub.stored.first)
        #expect(placeholder.text.contains("could not be fetched") && placeholder.text.contains("64 MB"))
        #expect(!placeholder.parseWarnings.isEmpty)
        #expect(hub.stored[1].from.value == "bob@example.org")
    }

    @Test func aFailureOfTheServerIsNotMistakenForAnUnavailableMail() async throws {
        let mail = FakeMail()
        let hub = FakeHub()
        let adapter = try makeAdapter(mail: mail, hub: hub)
        mail.append(letter(messageID: "a@example.org"))
        mail.state.withLock { $0.failFetch[1] = TransportError(isRetryable: false, "TLS handshake failed") }
        await #expect(throws: TransportError.self) { try await adapter.pollOnce() }
        #expect(hub.stored.isEmpty)
        mail.state.withLock { $0.failFetch = [:] }
        #expect(try await adapter.pollOnce().stored == 1)
        #expect(hub.stored.first?.text == "Hello, where is it?")
    }

    @Test func aMailTheHubRefusesStopsTheFolderInsteadOfBeingSkipped() async throws {
        let mail = FakeMail()
        let hub = FakeHub()
        let adapter = try makeAdapter(mail: mail, hub: hub)
        mail.append(letter(messageID: "a@example.org"))
        hub.state.withLock { $0.rejectNext = "disk is read-only" }
        await #expect(throws: (any Error).self) { try await adapter.pollOnce() }
        #expect(try await adapter.pollOnce().stored == 1)
    }

    @Test func aMailThatAlwaysTimesOutIsRecordedAfterAFewPolls() async throws {
        let mail = FakeMail()
        let hub = FakeHub()
        let adapter = try makeAdapter(mail: mail, hub: hub)
        mail.append(letter(messageID: "huge@example.org"))
        mail.append(letter(from: "bob@example.org", messageID: "b@example.org"))
        mail.state.withLock { $0.failFetch[1] = TransportError(isRetryable: true, "timed out after 60 s") }
        for _ in 1..<IMAPPoller.maxFetchAttempts {
            await #expect(throws: TransportError.self) { try await adapter.pollOnce() }
        }
        #expect(hub.stored.isEmpty)
        #expect(try await adapter.pollOnce().stored == 2)
        #expect(hub.stored[0].text.contains("timed out") && hub.stored[0].text.contains("could not be fetched"))
        #expect(hub.stored[1].from.value == "bob@example.org")
    }

    @Test func aTransientFetchFailureStopsThePollAndRetriesLater() async throws {
        let mail = FakeMail()
        let hub = FakeHub()
        let adapter = try makeAdapter(mail: mail, hub: hub)
        mail.append(letter(messageID: "a@example.org"))
        mail.state.withLock { $0.failFetch[1] = TransportError(isRetryable: true, "connection reset") }
        await #expect(throws: TransportError.self) { try await adapter.pollOnce() }
        mail.state.withLock { $0.failFetch = [:] }
        #expect(try await adapter.pollOnce().stored == 1)
    }
}

struct DedupTests {
    @Test func theSameMessageIDWithAnotherBodyIsAnotherMessage() async throws {
        let mail = FakeMail()
        let hub = FakeHub()
        mail.append(letter(messageID: "same@example.org", body: "first text"))
        mail.append(letter(messageID: "same@example.org", body: "second text"))
        mail.append(letter(messageID: "same@example.org", body: "first text"))
        let report = try await makeAdapter(mail: mail, hub: hub).pollOnce()
        #expect(report.stored == 2 && report.duplicates == 1)
    }

    @Test func aMailWithoutMessageIDGetsADeterministicId() async throws {
        let mail = FakeMail()
        let hub = FakeHub()
        mail.append(letter(messageID: nil, body: "no id here"))
        mail.append(letter(messageID: nil, body: "no id here"))
        mail.append(letter(messageID: nil, body: "another text"))
        let report = try await makeAdapter(mail: mail, hub: hub).pollOnce()
        #expect(report.stored == 2 && report.duplicates == 1)
        #expect(hub.stored[0].parseWarnings.contains { $0.contains("no Message-ID") })
    }

    @Test func traceHeadersDoNotChangeTheIdentityOfAMail() {
        let original = letter(messageID: "x@example.org")
        let delivered = "Return-Path: <ana@example.org>\r\nDelivered-To: sales@example.test\r\n" + original
        #expect(InboundMail.bodyHash(Array(original.utf8)) == InboundMail.bodyHash(Array(delivered.utf8)))
        let lf = original.replacingOccurrences(of: "\r\n", with: "\n")
        #expect(InboundMail.bodyHash(Array(original.utf8)) == InboundMail.bodyHash(Array(lf.utf8)))
    }

    @Test func oneMailToTwoInboxesHasOneGlobalID() async throws {
        let first = FakeMail()
        let second = FakeMail()
        let hub = FakeHub()
        first.append(letter(messageID: "both@example.org"))
        second.append("Delivered-To: sales@example.test\r\n" + letter(messageID: "both@example.org"))
        _ = try await makeAdapter(mail: first, hub: hub, channel: "support").pollOnce()
        let report = try await makeAdapter(mail: second, hub: hub, channel: "sales").pollOnce()
        #expect(report.duplicates == 1)
        #expect(hub.stored.count == 1)
    }
}

struct MalformedMailTests {
    @Test func brokenMailIsStoredWithWarningsAndTheNextMailToo() async throws {
        let mail = FakeMail()
        let hub = FakeHub()
        let blobs = InMemoryBlobStore()
        let big = [UInt8](repeating: 0x5A, count: 25 * 1024 * 1024)
        let truncated = """
            From: Ana <ana@example.org>\r
            Subject: Broken\r
            Message-ID: <broken@example.org>\r
            Content-Type: multipart/mixed; boundary="zz"\r
            \r
            --zz\r
            Content-Type: text/plain; charset=x-unknown-charset\r
            \r
            Text survives.\r
            --zz\r
            Content-Type: application/octet-stream; name="data.bin"\r
            Content-Transfer-Encoding: base64\r
            \r
            \(Data(big).base64EncodedString(options: .lineLength76Characters))\r
            --zz\r
            Content-Type: image/png; name="broken.png"\r
            Content-Transfer-Encoding: base64\r
            \r
            iVBORw0KGgo***not base64***\r

            """
        mail.append(truncated)
        mail.append(letter(from: "bob@example.org", messageID: "fine@example.org", body: "All fine."))
        let adapter = try makeAdapter(mail: mail, hub: hub, blobs: blobs)
        let report = try await adapter.pollOnce()
        #expect(report.stored == 2)
        let broken = try #require(hub.stored.first)
        #expect(broken.text.contains("Text survives."))
        #expect(!broken.parseWarnings.isEmpty)
        let attachment = try #require(broken.attachments.first { $0.filename == "data.bin" })
        #expect(attachment.size == big.count)
        #expect(try await blobs.get(try #require(attachment.url)) == big)
        #expect(broken.raw?.bytes.count == truncated.utf8.count)
        #expect(hub.stored[1].text == "All fine.")
    }
}
