import Foundation
import SwitchboardAdapterKit
import SwitchboardCore

/// The identity links an envelope brings besides its sender, decided by SwitchboardCore's pure
/// functions and written inside the ingest transaction:
/// - aliases (``IdentityHints/aliases``): other ids of the very same account, as the payload pairs
///   them (a WhatsApp user's phone beside their business-scoped id), linked to the sender's profile;
/// - email addresses a chat customer typed: never an identity, but a merge suggestion (or a merge,
///   where the admin's `identity.addresses_in_text` allows) with the profile that owns the address.
enum IngestIdentityLinks {
    /// Links each alias to `customerID`; an alias (or its certain equivalent) already on another
    /// profile is merged or suggested by the admin's rule for strong identifiers.
    static func linkAliases(
        _ prepared: PreparedEnvelope, customerID: String, policy: IngestPolicy, now: Date, db: any SQLSession
    ) throws -> MergeRecord? {
        let envelope = prepared.envelope
        var current = customerID
        var merge: MergeRecord?
        for alias in envelope.hints.aliases where alias != envelope.from {
            let aliasOwner = try IngestTransaction.owner(of: alias, db: db)
            var other = aliasOwner
            for equivalent in IdentityResolver.equivalents(of: alias, policy: policy.identity) where other == nil {
                other = try IngestTransaction.owner(of: equivalent, db: db)
            }
            guard let other, other != current else {
                if aliasOwner == nil {
                    try IngestTransaction.insertIdentity(
                        alias, customerID: current, channel: envelope.channel, verified: false,
                        provenance: "alias:\(envelope.from)", now: now, db: db)
                }
                continue
            }
            let reason =
                "\(envelope.from) and \(alias) are one account on \(envelope.channel), by the channel's payload"
            if let record = try mergeOrSuggest(
                current, other, learned: alias, merge: policy.identity.autoMergeOnStrongIdentifier, reason: reason,
                now: now, db: db)
            {
                merge = record
                current = record.targetCustomerID
            }
        }
        return merge
    }

    /// Email addresses typed into a private chat message that belong to another profile: merged
    /// or suggested by `identity.addresses_in_text`.
    static func linkAddressesInText(
        _ prepared: PreparedEnvelope, customerID: String, policy: IngestPolicy, now: Date, db: any SQLSession
    ) throws -> MergeRecord? {
        let rule = policy.identity.addressesInText
        let envelope = prepared.envelope
        // Only what a customer writes to us privately: a public post (a mention, a comment, a group
        // message) that names an address is anyone's text about anyone.
        guard rule != .ignore, envelope.visibility == .private else { return nil }
        var current = customerID
        var merge: MergeRecord?
        for address in IdentityResolver.emailAddresses(mentionedIn: envelope.text, from: envelope.from) {
            // People type their address in any case; the local part is compared without it here
            // (a suggestion, checked by an agent), never for identities.
            guard
                let other = try
                    (db.fetchValue(
                        "SELECT customer_id FROM identities WHERE kind = 'email' AND lower(address) = lower(?) LIMIT 1",
                        [address.description]) as String?),
                other != current
            else { continue }
            let reason =
                "\(envelope.from) wrote \(address) in a message on \(envelope.channel); that address is on another profile"
            if let record = try mergeOrSuggest(
                current, other, learned: address, merge: rule == .merge, reason: reason, now: now, db: db)
            {
                merge = record
                current = record.targetCustomerID
            }
        }
        return merge
    }

    /// Merges `current` into `other` when `merge` allows and the two carry no conflicting verified
    /// identifiers; otherwise records a suggestion for an agent (with `reason`, or the conflict).
    static func mergeOrSuggest(
        _ current: String, _ other: String, learned: Address, merge: Bool, reason: String, now: Date, db: any SQLSession
    ) throws -> MergeRecord? {
        // Without merging only a suggestion can come of it: no need to read either profile.
        guard merge else {
            try suggest(current, other, reason: reason, now: now, db: db)
            return nil
        }
        let decision = IdentityResolver.decide(
            learned: learned, current: try ProfileQueries.identities(of: current, db: db),
            other: try ProfileQueries.identities(of: other, db: db),
            policy: IdentityPolicy(autoMergeOnStrongIdentifier: true))
        switch decision {
        case .merge:
            return try ProfileQueries.merge(
                current, into: other, actor: "identity-rules", reason: reason, now: now, db: db)
        case .suggest(let conflict):
            try suggest(current, other, reason: conflict, now: now, db: db)
            return nil
        }
    }

    private static func suggest(_ current: String, _ other: String, reason: String, now: Date, db: any SQLSession)
        throws
    {
        try db.execute(
            """
            INSERT INTO merge_suggestions (id, customer_id, other_customer_id, reason, created_at)
            VALUES (?, ?, ?, ?, ?) ON CONFLICT (customer_id, other_customer_id) DO NOTHING
            """, [SortableID.make("sug_", at: now), current, other, reason, now.millis])
    }
}
