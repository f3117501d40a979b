import Foundation
import SwitchboardAdapterKit
import SwitchboardCore

/// Everything about an envelope that can be worked out before the write transaction: ids, stored
/// text forms, JSON, equivalent addresses. Computed on the submitting task, in parallel, so that
/// the single writer does only the lookups and writes (measured: this work was half its time).
struct PreparedEnvelope: Sendable {
    let envelope: InboundEnvelope
    let channel: String
    let from: String
    let sentAtMillis: Int64
    /// Ids used if this envelope creates the row; time-sortable by arrival.
    let messageID: String
    let conversationID: String
    let customerID: String
    let attachmentsJSON: String
    /// Attributes of a new customer, as JSON.
    let attributesJSON: String
    let raw: Data?
    /// Nil when there are none (the common case costs nothing).
    let parseWarningsJSON: String?
    let equivalents: [Address]
    /// The payload's other ids of the same account, and their certain equivalents: where the
    /// sender's profile is looked up when the sender's own address is new.
    let aliasCandidates: [Address]
    /// The id the message is stored under: the envelope's, or for an edit whose original never
    /// arrived, the original's (so later edits find it).
    let storedExternalID: String
    /// Tags of a new conversation, as JSON.
    let tagsJSON: String
    /// The text's sentiment, for the event log (scored here, never inside the transaction).
    let sentiment: Sentiment

    init(_ envelope: InboundEnvelope, policy: IngestPolicy, now: Date) throws {
        self.envelope = envelope
        channel = envelope.channel.rawValue
        from = envelope.from.description
        sentAtMillis = envelope.sentAt.millis
        var generator = SortableID.FastGenerator()
        messageID = SortableID.make("msg_", at: now, using: &generator)
        conversationID = SortableID.make("con_", at: now, using: &generator)
        customerID = SortableID.make("cus_", at: now, using: &generator)
        attachmentsJSON = envelope.attachments.isEmpty ? "[]" : try Rows.json(envelope.attachments)
        var attributes: [String: String] = [:]
        switch envelope.from.kind {
        case .email: attributes["email"] = envelope.from.value
        case .tel, .whatsapp: attributes["phone"] = envelope.from.value
        default: break
        }
        if let locale = envelope.hints.locale { attributes["locale"] = locale }
        attributesJSON = try Rows.json(attributes)
        raw = envelope.raw.map { Data($0.bytes) }
        parseWarningsJSON = envelope.parseWarnings.isEmpty ? nil : try Rows.json(envelope.parseWarnings)
        equivalents = IdentityResolver.equivalents(of: envelope.from, policy: policy.identity)
        aliasCandidates = envelope.hints.aliases.flatMap {
            [$0] + IdentityResolver.equivalents(of: $0, policy: policy.identity)
        }
        storedExternalID = envelope.replaces ?? envelope.externalID
        tagsJSON = envelope.tags.isEmpty ? "[]" : try Rows.json(envelope.tags)
        sentiment = SentimentScorer.standard.score(envelope.text).sentiment
    }
}
