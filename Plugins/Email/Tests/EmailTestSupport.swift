import Foundation
import Logging
import SwitchboardAdapterKit
import SwitchboardAdapterTesting
import Synchronization

@testable import EmailAdapter

/// An IMAP folder and an SMTP server in memory: UIDs, UIDVALIDITY, and the mail submitted.
final class FakeMail: MailTransport {
    struct State {
        var uidValidity: UInt32 = 7
        var messages: [(uid: UInt32, bytes: [UInt8])] = []
        var nextUID: UInt32 = 1
        var sent: [SMTPMail] = []
        var fetches = 0
        var failFetch: [UInt32: TransportError] = [:]
        var sendError: TransportError?
    }
    let state = Mutex(State())

    func append(_ text: String) {
        state.withLock {
            $0.messages.append(($0.nextUID, Array(text.utf8)))
            $0.nextUID += 1
        }
    }

    /// The server renumbers the folder (as after a restore): new UIDVALIDITY, UIDs from 1 again.
    func renumber() {
        state.withLock {
            $0.uidValidity += 1
            $0.messages = $0.messages.enumerated().map { (UInt32($0.offset + 1), $0.element.bytes) }
            $0.nextUID = UInt32($0.messages.count + 1)
        }
    }

    func status(of mailbox: IMAPMailbox) async throws(TransportError) -> IMAPMailboxStatus {
        state.withLock {
            IMAPMailboxStatus(messages: $0.messages.count, uidNext: $0.nextUID, uidValidity: $0.uidValidity)
        }
    }

    func searchUIDs(in mailbox: IMAPMailbox, from: UInt32) async throws(TransportError) -> [UInt32] {
        state.withLock { $0.messages.map(\.uid).filter { $0 >= from } }
    }

    func fetch(from mailbox: IMAPMailbox, uid: UInt32, uidValidity: UInt32) async throws(TransportError) -> [UInt8] {
        let result: Result<[UInt8], TransportError> = state.withLock {
            $0.fetches += 1
            if let error = $0.failFetch[uid] { return .failure(error) }
            guard uidValidity == $0.uidValidity else {
                return .failure(TransportError(isRetryable: false, "UIDVALIDITY changed"))
            }
            guard let message = $0.messages.first(where: { $0.uid == uid }) else {
                return .failure(TransportError(isRetryable: false, "no such UID"))
            }
            return .success(message.bytes)
        }
        return try result.get()
    }

    func send(_ mail: SMTPMail, via server: SMTPServer) async throws(TransportError) {
        let error: TransportError? = state.withLock {
            if let error = $0.sendError { return error }
            $0.sent.append(mail)
            return nil
        }
        if let error { throw error }
    }
}

/// A hub in memory: dedups on (channel, external id) and on global id, files by thread key and
/// sender like the real store, and remembers cursors.
final class FakeHub: InboundSink {
    struct State {
        var stored: [InboundEnvelope] = []
        var conversations: [String: String] = [:]  // "threadKey|from" -> conversation id
        var conversationOf: [String: String] = [:]  // external id -> conversation id
        var failNextDeliver = false
        var rejectNext: String?
        /// Refuses the envelope of this Message-ID once; the others in its batch are stored.
        var rejectMessageID: String?
        var deliverCalls = 0
    }
    let state = Mutex(State())

    func deliver(_ batch: [InboundEnvelope]) async throws -> [DeliveryOutcome] {
        try state.withLock { state in
            state.deliverCalls += 1
            if state.failNextDeliver {
                state.failNextDeliver = false
                throw CancellationError()
            }
            if let reason = state.rejectNext {
                state.rejectNext = nil
                return batch.map { _ in .rejected(reason: reason) }
            }
            return batch.map { envelope in
                if let id = state.rejectMessageID, envelope.externalID.hasPrefix(id + "#") {
                    state.rejectMessageID = nil
                    return .rejected(reason: "refused for the test")
                }
                if state.stored.contains(where: {
                    $0.externalID == envelope.externalID || ($0.globalID != nil && $0.globalID == envelope.globalID)
                }) {
                    return .duplicate(messageID: envelope.externalID)
                }
                state.stored.append(envelope)
                let key = "\(envelope.threadKey)|\(envelope.from)"
                let conversation = state.conversations[key] ?? "con_\(state.conversations.count + 1)"
                state.conversations[key] = conversation
                state.conversationOf[envelope.externalID] = conversation
                return .stored(
                    messageID: envelope.externalID, conversationID: conversation, customerID: "\(envelope.from)")
            }
        }
    }

    func apply(_ updates: [StatusUpdate]) async throws {}

    var stored: [InboundEnvelope] { state.withLock { $0.stored } }

    func conversation(ofSubject subject: String) -> String? {
        state.withLock { state in
            state.stored.last { $0.subject == subject }.flatMap { state.conversationOf[$0.externalID] }
        }
    }
}

let hubSecret = "unit-test-hub-secret"

func makeAdapter(
    mail: FakeMail = FakeMail(), hub: FakeHub = FakeHub(), cursor: MemoryCursorStore = MemoryCursorStore(),
    channel: ChannelID = "support", subjectThreading: Bool = false, smtp: Bool = true,
    blobs: any BlobStore = InMemoryBlobStore()
) throws -> EmailAdapter {
    let configuration = EmailConfiguration(
        address: "support@example.test", displayName: "Example Support",
        imap: .init(url: "imap://127.0.0.1:1143", username: "support", password: "pw", tls: .none),
        smtp: smtp ? .init(url: "smtp://127.0.0.1:1125", tls: .none) : nil, pollInterval: .milliseconds(100),
        subjectThreading: subjectThreading)
    return try EmailAdapter(
        configuration: configuration,
        context: AdapterContext(
            channel: channel, logger: Logger(label: "test"), inbound: hub, cursor: cursor, http: NoHTTP(),
            publicBaseURL: "http://127.0.0.1:8080", mail: mail, blobs: blobs, hubSecret: hubSecret))
}

struct NoHTTP: HTTPClient {
    func execute(_ request: HTTPClientRequest) async throws(TransportError) -> HTTPClientResponse {
        throw TransportError(isRetryable: false, "no HTTP in these tests")
    }
}

/// A plain mail with CRLF line ends.
func letter(
    from: String = "Ana Lima <ana@example.org>", subject: String = "Order 42", messageID: String? = "m1@example.org",
    inReplyTo: String? = nil, references: [String] = [], headers: [String] = [], body: String = "Hello, where is it?"
) -> String {
    var lines = [
        "From: \(from)", "To: support@example.test", "Subject: \(subject)", "Date: Mon, 23 Nov 2026 10:00:00 +0000",
    ]
    if let messageID { lines.append("Message-ID: <\(messageID)>") }
    if let inReplyTo { lines.append("In-Reply-To: <\(inReplyTo)>") }
    if !references.isEmpty { lines.append("References: " + references.map { "<\($0)>" }.joined(separator: " ")) }
    lines += headers
    lines += ["Content-Type: text/plain; charset=utf-8", "", body, ""]
    return lines.joined(separator: "\r\n")
}

func outbound(threadKey: String, inReplyTo: String?, text: String = "It left today.", automatic: Bool = false)
    throws -> OutboundMessage
{
    OutboundMessage(
        messageID: "msg_01test\(Int.random(in: 1000...9999))", conversationID: "con_1", channel: "support",
        to: try Address(kind: .email, value: "ana@example.org"), threadKey: threadKey, subject: "Re: Order 42",
        text: text, inReplyTo: inReplyTo, idempotencyKey: "k", isAutomatic: automatic)
}

/// A header's value in a built mail (unfolded).
func header(_ name: String, in bytes: [UInt8]) -> String? {
    let text = String(decoding: bytes, as: UTF8.self)
    let head = text.components(separatedBy: "\r\n\r\n").first ?? text
    var current: String?
    for line in head.components(separatedBy: "\r\n") {
        if line.hasPrefix(" ") || line.hasPrefix("\t") {
            if current != nil { current! += " " + line.trimmingCharacters(in: .whitespaces) }
            continue
        }
        if current != nil { return current }
        if line.lowercased().hasPrefix(name.lowercased() + ":") {
            current = String(line.dropFirst(name.count + 1)).trimmingCharacters(in: .whitespaces)
        }
    }
    return current
}
