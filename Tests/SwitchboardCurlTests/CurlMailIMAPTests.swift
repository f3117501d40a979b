import Foundation
import SwitchboardAdapterKit
import Testing

@testable import SwitchboardCurl

/// CurlMailClient against a real Dovecot (scripts/peers/mail.sh): each test has its own folder.
@Suite struct CurlMailIMAPTests {
    let client = CurlMailClient()

    /// Delivers `count` messages into a new folder of alice's; their Message-IDs, in UID order.
    func folderWithMessages(_ count: Int, folder: String = MailPeers.uniqueFolder()) async throws -> (
        folder: String, ids: [String]
    ) {
        var ids: [String] = []
        for index in 0..<count {
            let id = MailPeers.uniqueMessageID()
            try await MailPeers.deliver(
                MailPeers.message(messageID: id, subject: "Message \(index)"), to: "alice", folder: folder)
            ids.append(id)
        }
        return (folder, ids)
    }

    @Test func statusGivesUIDValidityAndUIDNext() async throws {
        try await MailPeers.start()
        let (folder, _) = try await folderWithMessages(1)
        let status = try await client.status(of: MailPeers.mailbox("alice", folder: folder))
        #expect(status.messages == 1)
        #expect(status.uidNext == 2)
        #expect(status.uidValidity > 0)
    }

    @Test func searchFindsNewMessagesAndNotTheHighestUIDBelowFrom() async throws {
        try await MailPeers.start()
        let (folder, _) = try await folderWithMessages(3)
        let mailbox = MailPeers.mailbox("alice", folder: folder)
        let status = try await client.status(of: mailbox)
        #expect(status.uidNext == 4)
        #expect(try await client.searchUIDs(in: mailbox, from: 0) == [1, 2, 3])
        #expect(try await client.searchUIDs(in: mailbox, from: 2) == [2, 3])
        // The server answers `UID SEARCH UID 4:*` with UID 3 (`*` is the highest UID in use).
        #expect(try await client.searchUIDs(in: mailbox, from: status.uidNext) == [])
        #expect(try await client.searchUIDs(in: mailbox, from: 1000) == [])
    }

    /// libcurl keeps a response line whole only if it fits its receive buffer; with a 1 KB buffer,
    /// one `UID SEARCH UID 1:*` line for 400 mails (about 1.5 KB) would lose its middle. The
    /// search asks in windows that fit, so every UID comes back.
    @Test func searchFindsEveryUIDWhenOneReplyLineWouldNotFitLibcurlsBuffer() async throws {
        try await MailPeers.start()
        let folder = MailPeers.uniqueFolder()
        let count = 400
        try await MailPeers.deliverAll(
            (0..<count).map { MailPeers.message(messageID: MailPeers.uniqueMessageID(), subject: "Message \($0)") },
            to: "alice", folder: folder)
        let small = CurlMailClient(messageLimit: CurlMailClient.maxMessageBytes, imapBufferSize: 1024)
        #expect(small.searchWindow < UInt32(count / 4))
        let mailbox = MailPeers.mailbox("alice", folder: folder)
        #expect(try await small.searchUIDs(in: mailbox, from: 1) == Array(1...UInt32(count)))
        #expect(try await small.searchUIDs(in: mailbox, from: 250) == Array(250...UInt32(count)))
        #expect(try await client.searchUIDs(in: mailbox, from: 1) == Array(1...UInt32(count)))
    }

    @Test func fetchReturnsTheDeliveredBytes() async throws {
        try await MailPeers.start()
        let folder = MailPeers.uniqueFolder()
        let id = MailPeers.uniqueMessageID()
        let delivered = MailPeers.message(messageID: id, body: "Line one.\r\nLine two: déjà vu.\r\n")
        try await MailPeers.deliver(delivered, to: "alice", folder: folder)
        let mailbox = MailPeers.mailbox("alice", folder: folder)
        let status = try await client.status(of: mailbox)
        let fetched = try await client.fetch(from: mailbox, uid: 1, uidValidity: status.uidValidity)
        // Dovecot adds Return-Path, Delivered-To and Received above the message; the rest is as sent.
        #expect(fetched.count > delivered.count)
        #expect(Array(fetched.suffix(delivered.count)) == delivered)
    }

    @Test func fetchWithAnOldUIDValidityFailsNotRetryable() async throws {
        try await MailPeers.start()
        let (folder, _) = try await folderWithMessages(1)
        let mailbox = MailPeers.mailbox("alice", folder: folder)
        let status = try await client.status(of: mailbox)
        let error = try await transportError {
            _ = try await client.fetch(from: mailbox, uid: 1, uidValidity: status.uidValidity &+ 1)
        }
        #expect(!error.isRetryable)
        #expect(!error.isLoginDenied)
        #expect(error.message.contains("renumbered"))
        // The handle that failed is not reused in a bad state: the right UIDVALIDITY still works.
        let fetched = try await client.fetch(from: mailbox, uid: 1, uidValidity: status.uidValidity)
        #expect(!fetched.isEmpty)
    }

    @Test func fetchOfAMissingUIDFailsNotRetryable() async throws {
        try await MailPeers.start()
        let (folder, _) = try await folderWithMessages(1)
        let mailbox = MailPeers.mailbox("alice", folder: folder)
        let status = try await client.status(of: mailbox)
        let error = try await transportError {
            _ = try await client.fetch(from: mailbox, uid: 7, uidValidity: status.uidValidity)
        }
        #expect(!error.isRetryable)
        #expect(error.message.contains("no such message"))
    }

    @Test func aMessageOverTheSizeLimitFailsNotRetryable() async throws {
        try await MailPeers.start()
        let (folder, _) = try await folderWithMessages(1)
        let mailbox = MailPeers.mailbox("alice", folder: folder)
        let small = CurlMailClient(messageLimit: 100)
        let status = try await small.status(of: mailbox)
        let error = try await transportError {
            _ = try await small.fetch(from: mailbox, uid: 1, uidValidity: status.uidValidity)
        }
        #expect(!error.isRetryable)
        #expect(error.message.contains("larger than the limit of 100 bytes"))
        #expect(CurlMailClient.maxMessageBytes == 64 * 1024 * 1024)
    }

    @Test func aMissingFolderFailsNotRetryable() async throws {
        try await MailPeers.start()
        let mailbox = MailPeers.mailbox("alice", folder: MailPeers.uniqueFolder("missing"))
        let statusError = try await transportError { _ = try await client.status(of: mailbox) }
        #expect(!statusError.isRetryable && !statusError.isLoginDenied)
        let searchError = try await transportError { _ = try await client.searchUIDs(in: mailbox, from: 1) }
        #expect(!searchError.isRetryable && !searchError.isLoginDenied)
        #expect(searchError.message.contains("Mailbox doesn't exist"))
        let fetchError = try await transportError { _ = try await client.fetch(from: mailbox, uid: 1, uidValidity: 1) }
        #expect(!fetchError.isRetryable && !fetchError.isLoginDenied)
        #expect(fetchError.message.contains("could not open the folder"))
    }

    @Test func aWrongPasswordIsLoginDenied() async throws {
        try await MailPeers.start()
        let password = "wrong-\(UUID().uuidString)"
        let mailbox = MailPeers.mailbox("alice", folder: "INBOX", password: password)
        for call in [
            { _ = try await client.status(of: mailbox) },
            { _ = try await client.searchUIDs(in: mailbox, from: 1) },
            { _ = try await client.fetch(from: mailbox, uid: 1, uidValidity: 1) },
        ] as [@Sendable () async throws -> Void] {
            let error = try await transportError(call)
            #expect(error.isLoginDenied)
            #expect(!error.isRetryable)
            #expect(error.message.contains("check the username and password for imap://127.0.0.1:23143"))
            #expect(!error.message.contains(password))
        }
    }

    @Test func imapsWithTheCAFileWorks() async throws {
        try await MailPeers.start()
        let (folder, _) = try await folderWithMessages(2)
        let mailbox = MailPeers.mailbox("alice", folder: folder, tls: .implicit, caFile: MailPeers.caFile)
        let status = try await client.status(of: mailbox)
        #expect(status.messages == 2)
        #expect(try await client.searchUIDs(in: mailbox, from: 1) == [1, 2])
        #expect(!(try await client.fetch(from: mailbox, uid: 2, uidValidity: status.uidValidity)).isEmpty)
    }

    @Test func imapsWithoutTheCAFileFailsVerification() async throws {
        try await MailPeers.start()
        let mailbox = MailPeers.mailbox("alice", folder: "INBOX", tls: .implicit)
        let error = try await transportError { _ = try await client.status(of: mailbox) }
        #expect(!error.isRetryable)
        #expect(!error.isLoginDenied)
        #expect(error.message.contains("could not be verified"))
        #expect(!error.message.contains(MailPeers.password("alice")))
    }

    @Test func startTLSWorks() async throws {
        try await MailPeers.start()
        let (folder, _) = try await folderWithMessages(1)
        let mailbox = MailPeers.mailbox("alice", folder: folder, tls: .startTLS, caFile: MailPeers.caFile)
        let status = try await client.status(of: mailbox)
        #expect(status.messages == 1)
        #expect(try await client.searchUIDs(in: mailbox, from: 1) == [1])
        #expect(!(try await client.fetch(from: mailbox, uid: 1, uidValidity: status.uidValidity)).isEmpty)
        // Without the CA, STARTTLS fails verification too (it does not fall back to clear text).
        let unverified = MailPeers.mailbox("alice", folder: folder, tls: .startTLS)
        let error = try await transportError { _ = try await client.status(of: unverified) }
        #expect(!error.isRetryable)
    }

    @Test func foldersWithSpacesAndNonASCIINamesWork() async throws {
        try await MailPeers.start()
        let folder = "Ünïcode & spaces \"quoted\" 日本 \(UUID().uuidString.prefix(6))"
        let id = MailPeers.uniqueMessageID()
        let delivered = MailPeers.message(messageID: id)
        try await MailPeers.deliver(delivered, to: "alice", folder: folder)
        let mailbox = MailPeers.mailbox("alice", folder: folder)
        let status = try await client.status(of: mailbox)
        #expect(status.messages == 1)
        #expect(try await client.searchUIDs(in: mailbox, from: 1) == [1])
        let fetched = try await client.fetch(from: mailbox, uid: 1, uidValidity: status.uidValidity)
        #expect(Array(fetched.suffix(delivered.count)) == delivered)
    }

    /// One poll (STATUS, SEARCH, FETCH × 3) logs in at most twice, and a reused connection still
    /// sees mail that arrived after its folder was selected.
    @Test func loginsAreReusedAndSeeNewMail() async throws {
        try await MailPeers.start()
        let client = CurlMailClient()
        let (folder, _) = try await folderWithMessages(3)
        let mailbox = MailPeers.mailbox("alice", folder: folder)
        let status = try await client.status(of: mailbox)
        let uids = try await client.searchUIDs(in: mailbox, from: 1)
        for uid in uids { _ = try await client.fetch(from: mailbox, uid: uid, uidValidity: status.uidValidity) }
        #expect(uids == [1, 2, 3])
        #expect(client.connectionsOpened == 2)

        try await MailPeers.deliver(
            MailPeers.message(messageID: MailPeers.uniqueMessageID()), to: "alice", folder: folder)
        let later = try await client.status(of: mailbox)
        #expect(later.uidNext == 5)
        #expect(try await client.searchUIDs(in: mailbox, from: 4) == [4])
        #expect(!(try await client.fetch(from: mailbox, uid: 4, uidValidity: later.uidValidity)).isEmpty)
        #expect(client.connectionsOpened == 2)
    }

    @Test func plainTextToANonLoopbackHostIsRefused() async throws {
        let mailbox = IMAPMailbox(
            serverURL: "imap://192.0.2.1:143", username: "alice@example.test", password: "secret-pw-1", tls: .none)
        let error = try await transportError { _ = try await client.status(of: mailbox) }
        #expect(!error.isRetryable)
        #expect(error.message.contains("tls: none is allowed only"))
        #expect(!error.message.contains("secret-pw-1"))
    }

    @Test func credentialsInTheServerURLAreRefusedWithoutEchoingThem() async throws {
        let mailbox = IMAPMailbox(
            serverURL: "imap://alice:url-secret-9@127.0.0.1:23143", username: "alice@example.test",
            password: "alicepass", tls: .none)
        let error = try await transportError { _ = try await client.status(of: mailbox) }
        #expect(!error.isRetryable)
        #expect(!error.message.contains("url-secret-9"))
        #expect(!error.message.contains("alicepass"))
    }

    @Test func aClosedPortIsRetryable() async throws {
        let mailbox = IMAPMailbox(
            serverURL: "imap://127.0.0.1:1", username: "alice@example.test", password: "alicepass", tls: .none,
            timeout: .seconds(5))
        let error = try await transportError { _ = try await client.status(of: mailbox) }
        #expect(error.isRetryable)
        #expect(!error.message.contains("alicepass"))
    }
}

/// The TransportError that `body` throws; fails the test if it throws none or another error.
func transportError(
    sourceLocation: SourceLocation = #_sourceLocation, _ body: @Sendable () async throws -> Void
) async throws -> TransportError {
    do {
        try await body()
    } catch let error as TransportError {
        return error
    }
    Issue.record("expected a TransportError, but the call succeeded", sourceLocation: sourceLocation)
    return TransportError(isRetryable: false, "no error")
}
