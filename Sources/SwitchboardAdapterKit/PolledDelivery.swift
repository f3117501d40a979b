/// What a poller needs after `deliver`: every envelope accounted for, none refused. A poller
/// advances its position only past what this accepted, so a refused message is never skipped
/// (the channel stops there, showing why, until what refused it is fixed).
extension InboundSink {
    /// Delivers `batch` and checks the outcomes: one per envelope, and none `.rejected`.
    /// - Throws: ``DeliveryRefused`` for the first refused envelope (with its index, so a poller can
    ///   confirm everything before it), ``DeliveryIncomplete`` when outcomes are missing, or what
    ///   `deliver` threw.
    public func deliverAll(_ batch: [InboundEnvelope]) async throws -> DeliveryTally {
        guard !batch.isEmpty else { return DeliveryTally() }
        let outcomes = try await deliver(batch)
        guard outcomes.count == batch.count else {
            throw DeliveryIncomplete(outcomes: outcomes.count, envelopes: batch.count)
        }
        var tally = DeliveryTally()
        for (index, (envelope, outcome)) in zip(batch, outcomes).enumerated() {
            switch outcome {
            case .stored, .edited: tally.stored += 1
            case .duplicate: tally.duplicates += 1
            case .rejected(let reason):
                throw DeliveryRefused(index: index, externalID: envelope.externalID, reason: reason)
            }
        }
        return tally
    }
}

/// How a delivered batch was taken: new or edited messages, and ones stored before.
public struct DeliveryTally: Sendable, Hashable {
    public var stored = 0
    public var duplicates = 0
    public init() {}
}

/// The hub refused an envelope of a polled batch; everything before `index` was taken.
public struct DeliveryRefused: Error, Sendable, CustomStringConvertible {
    public var index: Int
    public var externalID: String
    public var reason: String
    public var description: String { "the hub refused \(externalID): \(reason)" }
}

/// The hub answered fewer (or more) outcomes than envelopes: nothing can be confirmed.
public struct DeliveryIncomplete: Error, Sendable, CustomStringConvertible {
    public var outcomes: Int
    public var envelopes: Int
    public var description: String { "the hub returned \(outcomes) outcomes for \(envelopes) messages" }
}
