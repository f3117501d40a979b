import Foundation
import SwitchboardAdapterKit
import Testing

@testable import SwitchboardCurl

/// CurlMailClient sending through the aiosmtpd peers of scripts/peers/mail.sh, which spool each
/// message and relay it to Dovecot over LMTP.
@Suite struct CurlMailSMTPTests {
    let client = CurlMailClient()
    let plain = SMTPServer(serverURL: "smtp://127.0.0.1:23125", tls: .none, heloDomain: "hub.example.test")

    @Test func aSentMessageArrivesInTheMailboxAndTheSpoolWithCRLF() async throws {
        try await MailPeers.start()
        let folder = MailPeers.uniqueFolder("smtp")
        let id = MailPeers.uniqueMessageID()
        // Bare LF line ends on purpose: the client must send CRLF.
        let text =
            "From: Hub <support@example.test>\nTo: alice@example.test\nSubject: Re: your order\n"
            + "Message-ID: <\(id)>\n\nThanks.\n.leading dot\nBye.\n"
        let recipient = MailPeers.address("alice", folder: folder)
        try await client.send(
            SMTPMail(sender: "support@example.test", recipients: [recipient], data: Array(text.utf8)), via: plain)

        let spooled = try await MailPeers.spooled(messageID: id)
        let spooledText = String(decoding: spooled, as: UTF8.self)
        #expect(spooledText.hasPrefix("X-Test-Mail-From: support@example.test\r\nX-Test-Rcpt-To: \(recipient)\r\n"))
        for (index, byte) in spooled.enumerated() where byte == 0x0A {
            #expect(index > 0 && spooled[index - 1] == 0x0D, "bare LF at byte \(index)")
        }
        #expect(spooledText.hasSuffix("Thanks.\r\n.leading dot\r\nBye.\r\n"))

        let mailbox = MailPeers.mailbox("alice", folder: folder)
        let status = try await client.status(of: mailbox)
        #expect(status.messages == 1)
        let fetched = String(
            decoding: try await client.fetch(from: mailbox, uid: 1, uidValidity: status.uidValidity), as: UTF8.self)
        #expect(fetched.contains("Message-ID: <\(id)>\r\n"))
        #expect(fetched.hasSuffix("Thanks.\r\n.leading dot\r\nBye.\r\n"))
    }

    @Test func anUnknownRecipientIs550NotRetryable() async throws {
        try await MailPeers.start()
        let mail = SMTPMail(
            sender: "support@example.test", recipients: ["nobody-\(UUID().uuidString.prefix(6))@example.test"],
            data: MailPeers.message(messageID: MailPeers.uniqueMessageID()))
        let error = try await transportError { try await client.send(mail, via: plain) }
        #expect(error.replyCode == 550)
        #expect(!error.isRetryable)
        #expect(!error.isLoginDenied)
        #expect(error.message.contains("refused the recipient"))
    }

    @Test func aClosedPortIsRetryable() async throws {
        let server = SMTPServer(
            serverURL: "smtp://127.0.0.1:1", username: "support@example.test", password: "closed-port-pw", tls: .none,
            heloDomain: "hub.example.test", timeout: .seconds(5))
        let mail = SMTPMail(
            sender: "support@example.test", recipients: ["alice@example.test"],
            data: MailPeers.message(messageID: MailPeers.uniqueMessageID()))
        let error = try await transportError { try await client.send(mail, via: server) }
        #expect(error.isRetryable)
        #expect(!error.message.contains("closed-port-pw"))
    }

    @Test func plainTextToANonLoopbackHostIsRefused() async throws {
        let server = SMTPServer(
            serverURL: "smtp://192.0.2.1:25", username: "u", password: "smtp-secret-1", tls: .none,
            heloDomain: "hub.example.test")
        let mail = SMTPMail(sender: "a@example.test", recipients: ["b@example.test"], data: Array("x\r\n".utf8))
        let error = try await transportError { try await client.send(mail, via: server) }
        #expect(!error.isRetryable)
        #expect(error.message.contains("tls: none is allowed only"))
        #expect(!error.message.contains("smtp-secret-1"))
    }

    @Test func startTLSWithAuthWorksAndAWrongPasswordIsLoginDenied() async throws {
        try await MailPeers.start()
        let folder = MailPeers.uniqueFolder("smtps")
        let id = MailPeers.uniqueMessageID()
        var server = SMTPServer(
            serverURL: "smtp://127.0.0.1:23126", username: "support@example.test", password: "supportpass",
            tls: .startTLS, caFile: MailPeers.caFile, heloDomain: "hub.example.test")
        let mail = SMTPMail(
            sender: "support@example.test", recipients: [MailPeers.address("alice", folder: folder)],
            data: MailPeers.message(messageID: id))
        try await client.send(mail, via: server)
        let spooled = String(
            decoding: try await MailPeers.spooled(messageID: id, in: MailPeers.tlsSpoolDirectory), as: UTF8.self)
        #expect(spooled.contains("X-Test-Mail-From: support@example.test\r\n"))

        let wrong = "wrong-\(UUID().uuidString)"
        server.password = wrong
        let denied = server
        let error = try await transportError { try await client.send(mail, via: denied) }
        #expect(error.isLoginDenied)
        #expect(!error.isRetryable)
        #expect(error.message.contains("check the username and password for smtp://127.0.0.1:23126"))
        #expect(!error.message.contains(wrong))
    }

    @Test func startTLSToAServerWithoutItFailsNotRetryable() async throws {
        try await MailPeers.start()
        let server = SMTPServer(
            serverURL: "smtp://127.0.0.1:23125", tls: .startTLS, caFile: MailPeers.caFile,
            heloDomain: "hub.example.test")
        let mail = SMTPMail(
            sender: "support@example.test", recipients: ["alice@example.test"],
            data: MailPeers.message(messageID: MailPeers.uniqueMessageID()))
        let error = try await transportError { try await client.send(mail, via: server) }
        #expect(!error.isRetryable)
        #expect(error.message.contains("STARTTLS"))
    }
}
