import SwitchboardAdapterKit
import Testing

@testable import SwitchboardCurl

/// The mail client's pure parts: folder encoding, reply parsing, URL checks, CRLF.
@Suite struct MailTextTests {
    @Test func modifiedUTF7() throws {
        #expect(IMAPText.modifiedUTF7("INBOX") == "INBOX")
        #expect(IMAPText.modifiedUTF7("Über Ordner") == "&ANw-ber Ordner")
        #expect(IMAPText.modifiedUTF7("R&D") == "R&-D")
        #expect(IMAPText.modifiedUTF7("日本語") == "&ZeVnLIqe-")
        #expect(IMAPText.modifiedUTF7("~peter/mail/台北/日本語") == "~peter/mail/&U,BTFw-/&ZeVnLIqe-")
        #expect(IMAPText.modifiedUTF7("😀") == "&2D3eAA-")
        #expect(throws: TransportError.self) { try IMAPText.wireName("bad\r\nA1 LOGOUT") }
        #expect(throws: TransportError.self) { try IMAPText.wireName("") }
    }

    @Test func quotingAndURLPaths() {
        #expect(IMAPText.quoted("a \"b\" \\c") == "\"a \\\"b\\\" \\\\c\"")
        #expect(IMAPText.urlPath("Archive/2024 Q1;x%&-") == "Archive/2024%20Q1%3Bx%25%26-")
    }

    @Test func statusReplies() {
        let reply = Array("* STATUS \"a (b\" (MESSAGES 3 UIDNEXT 9 UIDVALIDITY 1700000000)\r\n".utf8)
        #expect(IMAPText.parseStatus(reply) == IMAPMailboxStatus(messages: 3, uidNext: 9, uidValidity: 1_700_000_000))
        #expect(IMAPText.parseStatus(Array("* STATUS INBOX (MESSAGES 3 UIDNEXT 9)\r\n".utf8)) == nil)
        #expect(
            IMAPText.parseStatus(Array("* STATUS INBOX (MESSAGES 3 UIDNEXT 9 UIDVALIDITY 99999999999)".utf8)) == nil)
        #expect(IMAPText.parseStatus([]) == nil)
    }

    @Test func searchRepliesDropUIDsBelowFrom() {
        #expect(IMAPText.parseSearch(Array("* SEARCH 7\r\n".utf8), from: 8) == [])
        #expect(IMAPText.parseSearch(Array("* SEARCH 9 8 12\r\n* SEARCH 8\r\n".utf8), from: 8) == [8, 9, 12])
        #expect(IMAPText.parseSearch(Array("* SEARCH\r\n".utf8), from: 1) == [])
        #expect(IMAPText.parseSearch(Array("* SEARCH 4 5 (MODSEQ 17)\r\n".utf8), from: 1) == [4, 5])
        #expect(IMAPText.parseSearch(Array("* OK nothing\r\n".utf8), from: 1) == nil)
    }

    @Test func smtpDataGetsCRLF() {
        #expect(SMTPData.normalized(Array("a\nb\r\nc\rd".utf8)) == Array("a\r\nb\r\nc\r\nd\r\n".utf8))
        #expect(SMTPData.normalized(Array("a\r\n".utf8)) == Array("a\r\n".utf8))
        #expect(SMTPData.normalized(Array("\n\n".utf8)) == Array("\r\n\r\n".utf8))
        #expect(SMTPData.normalized([]) == [])
    }

    @Test func endpoints() throws {
        let imaps = try MailEndpoint("imaps://mail.example.com:993", service: .imap, tls: .implicit)
        #expect(imaps.base == "imaps://mail.example.com:993")
        let v6 = try MailEndpoint("imap://[::1]:143/", service: .imap, tls: .none)
        #expect(v6.base == "imap://[::1]:143")
        _ = try MailEndpoint("smtp://localhost:25", service: .smtp, tls: .none)
        _ = try MailEndpoint("smtp://127.0.0.2", service: .smtp, tls: .none)
        _ = try MailEndpoint("smtp://mail.example.com:587", service: .smtp, tls: .startTLS)
        for (url, tls) in [
            ("imap://mail.example.com", MailTLS.none), ("imap://127.0.0.1.example.com", .none),
            ("imap://mail.example.com", .implicit), ("imaps://mail.example.com", .startTLS),
            ("smtp://mail.example.com", .implicit), ("http://127.0.0.1", .none), ("imap://127.0.0.1/INBOX", .none),
            ("imap://127.0.0.1?x=1", .none), ("not a url", .none), ("imap://", .none),
        ] {
            #expect(throws: TransportError.self, "\(url) \(tls)") {
                try MailEndpoint(url, service: url.hasPrefix("smtp") ? .smtp : .imap, tls: tls)
            }
        }
        #expect(MailEndpoint.isLoopback("127.0.0.1") && MailEndpoint.isLoopback("LOCALHOST"))
        #expect(MailEndpoint.isLoopback("::1") && !MailEndpoint.isLoopback("128.0.0.1"))
        #expect(!MailEndpoint.isLoopback("127.0.0.1.nip.io"))
    }

    @Test func smtpCallsPutTheHeloNameInThePathAndNoCredentialsInTheURL() throws {
        let server = SMTPServer(
            serverURL: "smtps://mail.example.com:465", username: "hub", password: "pw-123", tls: .implicit,
            heloDomain: "hub.example.com")
        let call = try CurlMailClient.smtpCall(
            SMTPMail(sender: "a@example.com", recipients: ["b@example.com"], data: Array("x".utf8)), via: server)
        #expect(call.url == "smtps://mail.example.com:465/hub.example.com")
        #expect(call.upload == Array("x\r\n".utf8))
        #expect(throws: TransportError.self) {
            try CurlMailClient.smtpCall(SMTPMail(sender: "a@example.com", recipients: [], data: []), via: server)
        }
        #expect(throws: TransportError.self) {
            try CurlMailClient.smtpCall(
                SMTPMail(sender: "a@example.com\r\nRCPT TO:<x@y>", recipients: ["b@example.com"], data: []), via: server
            )
        }
    }
}
