import Foundation
import Logging
import SwitchboardAdapterKit

/// Reads new mail from one IMAP folder and hands it to the hub in batches, advancing its position
/// only after the hub says the mails are durable.
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
    /// At most this many mails, and about this many bytes of mail, go to the hub in one call: one
    /// group commit and one write of positions per batch instead of per mail.
    static let batchSize = 100
    static let batchBytes = 16 * 1024 * 1024

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
        var next = uids[...]
        while !next.isEmpty {
            next = try await pollBatch(next, validity: status.uidValidity, report: &report)
        }
        return report
    }

    /// One mail fetched and mapped, waiting for the hub.
    private struct Fetched {
        var uid: UInt32
        var envelope: InboundEnvelope
        var bytes: Int
    }

    /// Fetches and maps mails from the front of `uids` until the batch is full, hands them to the
    /// hub in one call, then writes what they taught the thread memory and the new position.
    /// Returns the UIDs still to do. A failure stops the poll after the mails before it are stored.
    private func pollBatch(_ uids: ArraySlice<UInt32>, validity: UInt32, report: inout Report) async throws
        -> ArraySlice<UInt32>
    {
        let memory = PendingThreadMemory(base: mapper.threads.state)
        let batchMapper = mapper.rememberingIn(memory)
        var batch: [Fetched] = []
        var stop: (any Error)?
        var bytes = 0
        for uid in uids {
            guard batch.count < Self.batchSize, bytes < Self.batchBytes else { break }
            memory.beginMail(batch.count)
            do {
                let fetched = try await fetchAndMap(uid, validity: validity, mapper: batchMapper, report: &report)
                batch.append(fetched)
                bytes += fetched.bytes
            } catch {
                stop = error
                break
            }
        }
        let stored = try await deliver(batch, memory: memory, report: &report)
        if let stop { throw stop }
        return uids.dropFirst(stored)
    }

    private func fetchAndMap(_ uid: UInt32, validity: UInt32, mapper: InboundMail, report: inout Report)
        async throws -> Fetched
    {
        do {
            let bytes = try await transport.fetch(from: mailbox, uid: uid, uidValidity: validity)
            report.fetched += 1
            let mapped = try await mapper.map(bytes)
            try await mapper.threads.remember(
                messageID: mapped.messageID, threadKey: mapped.envelope.threadKey, references: mapped.references,
                subject: mapped.envelope.subject, sender: mapped.envelope.from)
            return Fetched(uid: uid, envelope: mapped.envelope, bytes: bytes.count)
        } catch let error as TransportError where error.isRetryable && !error.isLoginDenied {
            // Fails again and again on this one mail while the server answers STATUS and
            // SEARCH (say, a huge mail that always times out): after a few polls, record it.
            let key = "imap:\(mailbox.folder):fetch-failures:\(uid)"
            let failures = (try await cursor.value(for: key).flatMap(Int.init) ?? 0) + 1
            try await cursor.setValue(String(failures), for: key)
            guard failures >= Self.maxFetchAttempts else { throw error }
            let message = "\(error.message) (\(failures) polls in a row)"
            let envelope = try placeholder(
                uid: uid, validity: validity, error: TransportError(isRetryable: false, message))
            return Fetched(uid: uid, envelope: envelope, bytes: 0)
        } catch let error as TransportError where error.isItemUnavailable {
            // The folder was renumbered after STATUS: the next poll reads it again.
            if try await transport.status(of: mailbox).uidValidity != validity { throw error }
            // A mail the server will never give us (too large, gone): record that it came, so an
            // agent sees it, rather than stopping the folder here for ever.
            return Fetched(uid: uid, envelope: try placeholder(uid: uid, validity: validity, error: error), bytes: 0)
        }
    }

    /// Hands the batch to the hub; once it is stored, writes the thread memory of the stored mails
    /// and then the position after the last of them. Returns how many mails are done.
    private func deliver(_ batch: [Fetched], memory: PendingThreadMemory, report: inout Report) async throws -> Int {
        guard let last = batch.last else { return 0 }
        do {
            let tally = try await sink.deliverAll(batch.map(\.envelope))
            report.stored += tally.stored
            report.duplicates += tally.duplicates
        } catch let refused as DeliveryRefused {
            // Never skipped: the folder waits at this mail (the channel shows as degraded with
            // this reason) until what refused it is fixed. The mails before it are stored.
            let uid = batch[refused.index].uid
            if refused.index > 0 {
                try await record(memory.writes(ofFirst: refused.index), through: batch[refused.index - 1].uid)
            }
            throw PollError("the hub refused the mail with UID \(uid) in \(mailbox.folder): \(refused.reason)")
        } catch is DeliveryIncomplete {
            throw PollError("the hub returned no outcome for the mails from UID \(batch[0].uid) to \(last.uid)")
        }
        try await record(memory.writes(ofFirst: batch.count), through: last.uid)
        return batch.count
    }

    private func record(_ threadMemory: [String: String], through uid: UInt32) async throws {
        try await mapper.threads.state.setValues(threadMemory)
        try await cursor.setValue(String(uid), for: lastUIDKey)
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
