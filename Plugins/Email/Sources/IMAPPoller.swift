import Foundation
import Logging
import SwitchboardAdapterKit

/// Reads new mail from one IMAP folder and hands it to the hub, one mail at a time, advancing its
/// position only after the hub says the mail is durable.
///
/// The position is the folder's UIDVALIDITY and the last UID handed over, kept in the store
/// (``AdapterContext/cursor``): a restart imports nothing twice and mail that arrived while the
/// hub was down is read when it is back. If UIDVALIDITY changes (the server renumbered the folder),
/// the folder is read again from the start; mail already stored is recognised by its Message-ID
/// and body hash and not stored twice.
struct IMAPPoller: Sendable {
    let mailbox: IMAPMailbox
    let transport: any MailTransport
    let cursor: any CursorStore
    let mapper: InboundMail
    let sink: any InboundSink
    let logger: Logger

    /// What one poll did.
    struct Report: Sendable, Hashable {
        var fetched = 0
        var stored = 0
        var duplicates = 0
        var rejected = 0
    }

    /// Polls in a row that may fail on the same mail before it is recorded as a placeholder.
    static let maxFetchAttempts = 5

    var validityKey: String { "imap:\(mailbox.folder):uidvalidity" }
    var lastUIDKey: String { "imap:\(mailbox.folder):last-uid" }

    func pollOnce() async throws -> Report {
        var report = Report()
        let status = try await transport.status(of: mailbox)
        let knownValidity = try await cursor.value(for: validityKey).flatMap(UInt32.init)
        var lastUID = try await cursor.value(for: lastUIDKey).flatMap(UInt32.init) ?? 0
        if knownValidity != status.uidValidity {
            if let knownValidity {
                logger.warning(
                    "the folder's UIDVALIDITY changed; reading it again (mail already stored is not stored twice)",
                    metadata: [
                        "folder": "\(mailbox.folder)", "was": "\(knownValidity)", "now": "\(status.uidValidity)",
                    ])
            }
            lastUID = 0
            try await cursor.setValue("0", for: lastUIDKey)
            try await cursor.setValue(String(status.uidValidity), for: validityKey)
        }
        guard lastUID < UInt32.max, status.uidNext == 0 || status.uidNext > lastUID + 1 else { return report }
        let uids = try await transport.searchUIDs(in: mailbox, from: lastUID + 1).filter { $0 > lastUID }.sorted()
        for uid in uids {
            let envelope: InboundEnvelope
            var mapped: InboundMail.Mapped?
            do {
                let bytes = try await transport.fetch(from: mailbox, uid: uid, uidValidity: status.uidValidity)
                report.fetched += 1
                let result = try await mapper.map(bytes)
                mapped = result
                envelope = result.envelope
            } catch let error as TransportError where error.isRetryable && !error.isLoginDenied {
                // Fails again and again on this one mail while the server answers STATUS and
                // SEARCH (say, a huge mail that always times out): after a few polls, record it.
                let key = "imap:\(mailbox.folder):fetch-failures:\(uid)"
                let failures = (try await cursor.value(for: key).flatMap(Int.init) ?? 0) + 1
                try await cursor.setValue(String(failures), for: key)
                guard failures >= Self.maxFetchAttempts else { throw error }
                let message = "\(error.message) (\(failures) polls in a row)"
                envelope = try placeholder(
                    uid: uid, validity: status.uidValidity, error: TransportError(isRetryable: false, message))
            } catch let error as TransportError where error.isItemUnavailable {
                // The folder was renumbered after STATUS: the next poll reads it again.
                if try await transport.status(of: mailbox).uidValidity != status.uidValidity { throw error }
                // A mail the server will never give us (too large, gone): record that it came, so an
                // agent sees it, rather than stopping the folder here for ever.
                envelope = try placeholder(uid: uid, validity: status.uidValidity, error: error)
            }
            do {
                let tally = try await sink.deliverAll([envelope])
                report.stored += tally.stored
                report.duplicates += tally.duplicates
            } catch let refused as DeliveryRefused {
                // Never skipped: the folder waits here (the channel shows as degraded with this
                // reason) until what refused it is fixed.
                throw PollError("the hub refused the mail with UID \(uid) in \(mailbox.folder): \(refused.reason)")
            } catch is DeliveryIncomplete {
                throw PollError("the hub returned no outcome for the mail with UID \(uid)")
            }
            if let mapped {
                try await mapper.threads.remember(
                    messageID: mapped.messageID, threadKey: mapped.envelope.threadKey, references: mapped.references,
                    subject: mapped.envelope.subject, sender: mapped.envelope.from)
            }
            try await cursor.setValue(String(uid), for: lastUIDKey)
        }
        return report
    }

    private func placeholder(uid: UInt32, validity: UInt32, error: TransportError) throws -> InboundEnvelope {
        let id = "imap-uid:\(mailbox.folder):\(validity):\(uid)"
        return InboundEnvelope(
            channel: mapper.channel, externalID: id, from: try InboundMail.unknownSender(), threadKey: id,
            text:
                "(A mail arrived in \(mailbox.folder) with UID \(uid), but it could not be fetched: \(error.message))",
            sentAt: Date(), parseWarnings: ["could not fetch UID \(uid): \(error.message)"])
    }
}

/// A poll stopped at a mail the hub would not store; the message says which and why.
struct PollError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
