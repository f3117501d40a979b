import EmailMIME
import Foundation
import SwitchboardAdapterKit
import Synchronization
import Testing

@testable import EmailAdapter

struct AutomaticMailTests {
    @Test(arguments: [
        ["Auto-Submitted: auto-replied"], ["Auto-Submitted: auto-generated"], ["Precedence: bulk"],
        ["Precedence: auto_reply"], ["X-Autoreply: yes"], ["X-Autorespond: yes"], ["X-Auto-Response-Suppress: All"],
        ["List-Id: <news.example.org>"], ["List-Unsubscribe: <mailto:leave@example.org>"], ["Return-Path: <>"],
    ])
    func headersMarkAutomaticMail(headers: [String]) async throws {
        let mail = FakeMail()
        let hub = FakeHub()
        mail.append(letter(headers: headers))
        _ = try await makeAdapter(mail: mail, hub: hub).pollOnce()
        #expect(hub.stored.first?.isAutomatic == true)
    }

    @Test(arguments: [
        "MAILER-DAEMON@example.org", "postmaster@example.org", "no-reply@shop.example", "noreply+x@example.org",
        "donotreply@example.org",
    ])
    func noReplySendersAreAutomatic(sender: String) async throws {
        let mail = FakeMail()
        let hub = FakeHub()
        mail.append(letter(from: sender))
        _ = try await makeAdapter(mail: mail, hub: hub).pollOnce()
        #expect(hub.stored.first?.isAutomatic == true)
    }

    @Test func anOutOfOfficeSubjectIsAutomatic() async throws {
        let mail = FakeMail()
        let hub = FakeHub()
        mail.append(letter(subject: "Automatic reply: Order 42"))
        _ = try await makeAdapter(mail: mail, hub: hub).pollOnce()
        #expect(hub.stored.first?.isAutomatic == true)
    }

    @Test func aDeliveryStatusNotificationIsAutomatic() async throws {
        let report = """
            From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\r
            To: support@example.test\r
            Subject: Undelivered Mail Returned to Sender\r
            Message-ID: <dsn1@mx.example.org>\r
            MIME-Version: 1.0\r
            Content-Type: multipart/report; report-type=delivery-status; boundary="b1"\r
            \r
            --b1\r
            Content-Type: text/plain\r
            \r
            Your message could not be delivered.\r
            --b1\r
            Content-Type: message/delivery-status\r
            \r
            Reporting-MTA: dns; mx.example.org\r
            \r
            Final-Recipient: rfc822; gone@example.org\r
            Action: failed\r
            Status: 5.1.1\r
            --b1--\r

            """
        let mail = FakeMail()
        let hub = FakeHub()
        mail.append(report)
        _ = try await makeAdapter(mail: mail, hub: hub).pollOnce()
        #expect(hub.stored.first?.isAutomatic == true)
    }

    @Test func aPersonsMailIsNotAutomatic() async throws {
        let mail = FakeMail()
        let hub = FakeHub()
        mail.append(letter(headers: ["Auto-Submitted: no", "Precedence: normal"]))
        _ = try await makeAdapter(mail: mail, hub: hub).pollOnce()
        #expect(hub.stored.first?.isAutomatic == false)
    }

    @Test func configuredSendersMatchWithWildcards() {
        #expect(AutomaticMail.matches("alerts@monitor.example", pattern: "alerts"))
        #expect(AutomaticMail.matches("alerts@monitor.example", pattern: "*@monitor.example"))
        #expect(AutomaticMail.matches("build-42@ci.example", pattern: "build-*"))
        #expect(!AutomaticMail.matches("ana@example.org", pattern: "*@monitor.example"))
    }
}

struct SendingTests {
    @Test func anAutomaticReplySaysSo() async throws {
        let mail = FakeMail()
        let adapter = try makeAdapter(mail: mail)
        _ = try await adapter.send(try outbound(threadKey: "t-1", inReplyTo: nil, automatic: true))
        _ = try await adapter.send(try outbound(threadKey: "t-1", inReplyTo: nil))
        let sent = mail.state.withLock { $0.sent }
        #expect(header("Auto-Submitted", in: sent[0].data) == "auto-replied")
        #expect(header("Auto-Submitted", in: sent[1].data) == nil)
    }

    @Test func theReplyIsAddressedFromOurInboxWithReplyToBackToIt() async throws {
        let mail = FakeMail()
        let adapter = try makeAdapter(mail: mail)
        let receipt = try await adapter.send(try outbound(threadKey: "t-1", inReplyTo: "m1@example.org#abc"))
        let sent = try #require(mail.state.withLock { $0.sent.first })
        #expect(sent.sender == "support@example.test")
        #expect(sent.recipients == ["ana@example.org"])
        #expect(header("Reply-To", in: sent.data)?.contains("support@example.test") == true)
        #expect(header("Message-ID", in: sent.data) == "<\(receipt.externalID)>")
        #expect(!String(decoding: sent.data, as: UTF8.self).contains("\n\n"))
        let parsed = MIMEParser.parse(sent.data)
        #expect(parsed.text.contains("It left today."))
        #expect(parsed.subject == "Re: Order 42")
    }

    @Test func aNonASCIIReplySurvivesTheRoundTrip() async throws {
        let mail = FakeMail()
        let adapter = try makeAdapter(mail: mail)
        var message = try outbound(threadKey: "t-1", inReplyTo: nil, text: "Grüße aus Köln — 你好 ✓")
        message.subject = "Re: Bestellung über 30 €"
        _ = try await adapter.send(message)
        let sent = try #require(mail.state.withLock { $0.sent.first })
        #expect(sent.data.allSatisfy { $0 < 0x80 })
        let parsed = MIMEParser.parse(sent.data)
        #expect(parsed.subject == "Re: Bestellung über 30 €")
        #expect(parsed.text.contains("Grüße aus Köln — 你好 ✓"))
    }

    @Test(arguments: [
        (TransportError(isRetryable: false, "refused", replyCode: 550), SendError.invalidRecipient),
        (TransportError(isRetryable: false, "no", replyCode: 554), SendError.permanent),
        (TransportError(isRetryable: true, "later", replyCode: 451), SendError.transient),
        (TransportError(isRetryable: true, "connection refused"), SendError.transient),
        (TransportError(isRetryable: false, "bad login", isLoginDenied: true), SendError.unauthorized),
    ])
    func smtpFailuresAreClassified(error: TransportError, expected: SendError.Code) async throws {
        let mail = FakeMail()
        mail.state.withLock { $0.sendError = error }
        let adapter = try makeAdapter(mail: mail)
        let message = try outbound(threadKey: "t-1", inReplyTo: nil)
        do {
            _ = try await adapter.send(message)
            Issue.record("the send should fail")
        } catch {
            #expect(error.code == expected)
        }
    }

    @Test func aChannelWithoutSMTPRefusesClearly() async throws {
        let adapter = try makeAdapter(smtp: false)
        #expect(!adapter.capabilities.canSend)
        let message = try outbound(threadKey: "t-1", inReplyTo: nil)
        do {
            _ = try await adapter.send(message)
            Issue.record("the send should fail")
        } catch {
            #expect(error.code == .permanent && error.message.contains("smtp"))
        }
    }

    @Test func externalIDsGiveBackTheMessageID() {
        #expect(EmailAdapter.messageID(fromExternalID: "abc@example.org#0123") == "abc@example.org")
        #expect(EmailAdapter.messageID(fromExternalID: "nomid.12@switchboard.invalid#0123") == nil)
        #expect(
            EmailAdapter.messageID(fromExternalID: "sb.t-1.msg_1.aa@example.test") == "sb.t-1.msg_1.aa@example.test")
    }
}
