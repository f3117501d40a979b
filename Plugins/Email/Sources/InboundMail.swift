import EmailMIME
import Foundation
import SwitchboardAdapterKit

/// Turns one fetched mail into an envelope: who wrote it, its dedup keys, its thread, its new text
/// (quoted history and signature trimmed; the full original stays in the raw payload), its
/// attachments (bytes to the blob store), and whether it is automatic.
struct InboundMail: Sendable {
    let channel: ChannelID
    let configuration: EmailConfiguration
    let threads: ThreadResolver
    let blobs: any BlobStore

    /// What the adapter remembers once the envelope is stored.
    struct Mapped: Sendable {
        var envelope: InboundEnvelope
        var messageID: String
        var references: [String]
        var rule: ThreadResolver.Rule
    }

    /// The same mapper, its thread memory read and written through `state` (one batch's memory).
    func rememberingIn(_ state: any CursorStore) -> InboundMail {
        let resolver = ThreadResolver(ours: threads.ours, subjectThreading: threads.subjectThreading, state: state)
        return InboundMail(channel: channel, configuration: configuration, threads: resolver, blobs: blobs)
    }

    func map(_ raw: [UInt8], receivedAt: Date = Date()) async throws -> Mapped {
        let mail = MIMEParser.parse(raw)
        var warnings = mail.warnings
        let bodyHash = Self.bodyHash(raw)

        let sender = try Self.senderAddress(mail, warnings: &warnings)
        let messageID: String
        if let id = mail.messageID, !id.isEmpty {
            messageID = id
        } else {
            // Deterministic, so the same mail fetched twice (or from two inboxes) is one message.
            let basis = [sender.value, mail.header("Date") ?? "", mail.subject ?? "", bodyHash].joined(separator: "\n")
            messageID =
                "nomid." + String(HMACSignature.sha256Hex(Array(basis.utf8)).prefix(32)) + "@switchboard.invalid"
            warnings.append("the mail has no Message-ID; it is identified by a hash of sender, date, subject and body")
        }
        // The same Message-ID with another body is another message.
        let externalID = "\(messageID)#\(bodyHash.prefix(16))"

        let thread = try await threads.resolve(
            messageID: messageID, inReplyTo: mail.inReplyTo, references: mail.references, subject: mail.subject,
            sender: sender)

        var attachments: [Attachment] = []
        for part in mail.attachments {
            let reference = try await blobs.put(part.data)
            attachments.append(
                Attachment(
                    filename: part.filename, contentType: part.contentType, size: part.data.count, url: reference))
        }

        let automatic = AutomaticMail.reason(
            mail, sender: sender.value,
            extraSenders: configuration.automaticSenders)
        let newText = ReplyText.newText(mail.text)
        let sentAt = Self.sentAt(mail.date, receivedAt: receivedAt)
        let envelope = InboundEnvelope(
            channel: channel, externalID: externalID, from: sender,
            to: try? Address(kind: .email, value: configuration.address),
            threadKey: thread.key, subject: mail.subject, text: newText, html: mail.html, attachments: attachments,
            inReplyTo: mail.inReplyTo.first, sentAt: sentAt, raw: RawPayload(contentType: "message/rfc822", bytes: raw),
            hints: IdentityHints(displayName: mail.from.first?.name.flatMap { $0.isEmpty ? nil : $0 }),
            isAutomatic: automatic != nil, globalID: "email:\(externalID)", parseWarnings: warnings)
        return Mapped(envelope: envelope, messageID: messageID, references: mail.references, rule: thread.rule)
    }

    /// From, else Sender, else Reply-To, else Return-Path; a mail with none of them is filed under
    /// an address that says so, with a warning, rather than dropped.
    static func senderAddress(_ mail: ParsedMail, warnings: inout [String]) throws -> Address {
        let candidates =
            mail.from.map(\.address) + (mail.header("Sender").map { [$0] } ?? []) + mail.replyTo.map(\.address)
            + (mail.header("Return-Path").map { [$0] } ?? [])
        for candidate in candidates {
            let cleaned = candidate.trimmingCharacters(in: CharacterSet(charactersIn: " <>\t"))
            if let address = try? Address(kind: .email, value: cleaned) { return address }
        }
        warnings.append("the mail has no usable sender address (From: \(mail.header("From") ?? "missing"))")
        return try unknownSender()
    }

    /// One visible place for mail whose sender cannot be read, instead of losing it.
    static func unknownSender() throws -> Address {
        try Address(kind: .email, value: "unknown-sender@switchboard.invalid")
    }

    /// SHA-256 of the body after the header block, line ends normalised, trailing blank lines
    /// dropped: the same mail delivered to two mailboxes (with different trace headers) hashes alike.
    static func bodyHash(_ raw: [UInt8]) -> String {
        var start = 0
        var index = 0
        while index < raw.count {
            if raw[index] == 0x0A {
                let next = index + 1
                if next < raw.count, raw[next] == 0x0A {
                    start = next + 1
                    break
                }
                if next + 1 < raw.count, raw[next] == 0x0D, raw[next + 1] == 0x0A {
                    start = next + 2
                    break
                }
            }
            index += 1
        }
        if index >= raw.count { start = raw.count }
        var body: [UInt8] = []
        body.reserveCapacity(raw.count - start)
        for byte in raw[start...] where byte != 0x0D { body.append(byte) }
        while let last = body.last, last == 0x0A || last == 0x20 || last == 0x09 { body.removeLast() }
        return HMACSignature.sha256Hex(body)
    }

    /// The Date header, unless it is missing or more than a day in the future (a wrong clock).
    static func sentAt(_ date: Date?, receivedAt: Date) -> Date {
        guard let date, date.timeIntervalSince(receivedAt) < 86_400 else { return receivedAt }
        return date
    }
}
