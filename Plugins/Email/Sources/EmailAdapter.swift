import EmailMIME
import Foundation
import Logging
import ServiceLifecycle
import SwitchboardAdapterKit

/// The email channel (`type: email`): one inbox, read over IMAP and answered over SMTP, both
/// through the hub's libcurl transport (``AdapterContext/mail``).
///
/// Inbound, ``IMAPPoller`` reads new mail by UID, ``InboundMail`` parses it (EmailMIME), decides
/// its thread (``ThreadResolver``) and whether it is automatic (``AutomaticMail``), and the hub
/// stores it. Outbound, a reply gets one of our Message-IDs (``OurMessageIDs``), In-Reply-To and
/// References from the thread, and our address as From and Reply-To. The wire rules are in
/// `docs/email-channel.md`.
public struct EmailAdapter: ChannelAdapter {
    public typealias Configuration = EmailConfiguration
    public static let kind: ChannelKind = "email"

    let configuration: EmailConfiguration
    let context: AdapterContext
    let ours: OurMessageIDs
    let threads: ThreadResolver
    let poller: IMAPPoller

    public init(configuration: EmailConfiguration, context: AdapterContext) throws {
        self.configuration = configuration
        self.context = context
        ours = OurMessageIDs(hubSecret: context.hubSecret, domain: configuration.messageIDDomain)
        threads = ThreadResolver(ours: ours, subjectThreading: configuration.subjectThreading, state: context.cursor)
        let mapper = InboundMail(
            channel: context.channel, configuration: configuration, threads: threads, blobs: context.blobs)
        poller = IMAPPoller(
            mailbox: configuration.mailbox, transport: context.mail, cursor: context.cursor, mapper: mapper,
            sink: context.inbound, logger: context.logger)
    }

    public var capabilities: ChannelCapabilities {
        ChannelCapabilities(
            canReceive: true, canSend: configuration.smtp != nil, visibilities: [.private], supportsAttachments: true,
            maxTextLength: nil, supportsThreading: true, deliveryReceipts: false)
    }

    /// Polls the folder every `poll_interval` until shutdown. A failed poll throws, and the hub's
    /// supervisor restarts the channel with backoff (and shows the error in `/health`).
    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let report = try await poller.pollOnce()
                if report.fetched > 0 {
                    context.logger.info(
                        "mail polled",
                        metadata: [
                            "fetched": "\(report.fetched)", "stored": "\(report.stored)",
                            "duplicates": "\(report.duplicates)", "rejected": "\(report.rejected)",
                        ])
                }
                try await Task.sleep(for: configuration.pollInterval)
            }
        }
    }

    /// One poll, for tests and tools.
    func pollOnce() async throws -> IMAPPoller.Report { try await poller.pollOnce() }

    public func send(_ message: OutboundMessage) async throws(SendError) -> SendReceipt {
        guard let server = configuration.submission else {
            throw SendError(.permanent, "this email channel has no smtp settings; add smtp: to send replies")
        }
        guard message.to.kind == .email else {
            throw SendError(.invalidRecipient, "\(message.to) is not an email address")
        }
        let ourID = ours.make(threadKey: message.threadKey, messageID: message.messageID)
        let parent = message.inReplyTo.flatMap(Self.messageID(fromExternalID:))
        var references: [String] = []
        do {
            if let parent { references = try await threads.references(forReplyTo: parent) }
        } catch {
            throw SendError(.transient, "could not read the thread's references: \(error)")
        }
        let from = MailAddress(name: configuration.displayName, address: configuration.address)
        var builder = MailBuilder(
            from: from, to: [MailAddress(name: nil, address: message.to.value)], subject: message.subject ?? "",
            messageID: ourID, date: Date())
        builder.replyTo = [from]
        builder.inReplyTo = parent
        builder.references = references
        builder.text = message.text
        builder.html = message.html
        if message.isAutomatic {
            // RFC 3834: an automatic answer says so, so the other side never answers it automatically.
            builder.extraHeaders.append(("Auto-Submitted", "auto-replied"))
        }
        do {
            builder.attachments = try await attachmentParts(message.attachments)
        } catch {
            throw SendError(.permanent, "could not read an attachment of the reply: \(error)")
        }
        let mail = SMTPMail(sender: configuration.address, recipients: [message.to.value], data: builder.build())
        do {
            try await context.mail.send(mail, via: server)
        } catch {
            throw Self.sendError(error)
        }
        do {
            try await threads.remember(
                messageID: ourID, threadKey: message.threadKey, references: references, subject: nil, sender: nil)
        } catch {
            // The mail is sent; replies still thread by our verified Message-ID.
            context.logger.warning("could not remember a sent Message-ID", metadata: ["error": "\(error)"])
        }
        return SendReceipt(externalID: ourID)
    }

    private func attachmentParts(_ attachments: [Attachment]) async throws -> [MIMEAttachment] {
        var parts: [MIMEAttachment] = []
        for attachment in attachments {
            guard let url = attachment.url, let bytes = try await context.blobs.get(url) else {
                throw SendError(.permanent, "attachment \(attachment.filename ?? "?") has no stored bytes")
            }
            parts.append(
                MIMEAttachment(
                    filename: attachment.filename, contentType: attachment.contentType, contentID: nil,
                    isInline: false, data: bytes))
        }
        return parts
    }

    /// Inbound mail is stored under `<Message-ID>#<body hash>`; a reply refers to the Message-ID.
    static func messageID(fromExternalID externalID: String) -> String? {
        guard let hash = externalID.lastIndex(of: "#") else { return externalID.contains("@") ? externalID : nil }
        let id = String(externalID[..<hash])
        return id.hasPrefix("nomid.") || id.hasPrefix("imap-uid:") ? nil : id
    }

    /// SMTP reply codes: 550–553 refuse the recipient, other 5xx refuse the mail, 4xx and
    /// network faults may pass later.
    static func sendError(_ error: TransportError) -> SendError {
        if error.isLoginDenied {
            return SendError(.unauthorized, error.message, cause: error)
        }
        switch error.replyCode {
        case 530?, 535?:
            return SendError(
                .unauthorized, "the mail server wants a login we did not give: \(error.message)", cause: error)
        case 550?, 551?, 553?:
            return SendError(.invalidRecipient, "the mail server refused the recipient: \(error.message)", cause: error)
        case let code? where code >= 500:
            return SendError(.permanent, "the mail server refused the mail: \(error.message)", cause: error)
        case let code? where code >= 400:
            return SendError(.transient, "the mail server deferred the mail: \(error.message)", cause: error)
        default:
            return error.asSendError
        }
    }
}
