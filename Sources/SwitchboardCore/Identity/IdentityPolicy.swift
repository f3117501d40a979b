import Foundation
import SwitchboardAdapterKit

/// The admin's identity rules (config `identity:`), DESIGN §3.
public struct IdentityPolicy: Sendable, Hashable {
    /// `whatsapp:+E164` and `tel:+E164` are one person (a WhatsApp id is a phone number).
    public var linkWhatsAppToPhone: Bool
    /// A strong identifier learned later (a verified email or phone) merges two profiles
    /// automatically; otherwise it becomes a merge suggestion.
    public var autoMergeOnStrongIdentifier: Bool
    /// What to do when a customer writes, on a chat channel, an email address that belongs to
    /// another profile ("my email is ana@example.com").
    public var addressesInText: AddressesInText

    /// The rule for email addresses customers type into chat messages. Typed text proves nothing
    /// (anyone can type anyone's address), so the default only suggests.
    public enum AddressesInText: String, Sendable, Hashable, CaseIterable {
        /// Record a merge suggestion for an agent (the default).
        case suggest
        /// Merge the two profiles at once (for teams whose chat users are signed in elsewhere).
        case merge
        /// Ignore addresses in text.
        case ignore
    }

    public init(
        linkWhatsAppToPhone: Bool = true, autoMergeOnStrongIdentifier: Bool = false,
        addressesInText: AddressesInText = .suggest
    ) {
        self.linkWhatsAppToPhone = linkWhatsAppToPhone
        self.autoMergeOnStrongIdentifier = autoMergeOnStrongIdentifier
        self.addressesInText = addressesInText
    }
}

/// The identity decisions of DESIGN §3 as pure functions; each store calls them inside its own
/// transaction, so SQLite and PostgreSQL decide alike.
public enum IdentityResolver {
    /// Addresses that are certainly the same person as `address` under `policy` (rule 2).
    public static func equivalents(of address: Address, policy: IdentityPolicy) -> [Address] {
        guard policy.linkWhatsAppToPhone else { return [] }
        switch address.kind {
        case .whatsapp: return (try? Address(kind: .tel, value: address.value)).map { [$0] } ?? []
        case .tel: return (try? Address(kind: .whatsapp, value: address.value)).map { [$0] } ?? []
        default: return []
        }
    }

    /// The email addresses written in a chat message's text, in order, at most `limit`: candidates
    /// for a merge with the profiles that own them (never identities of the sender: typed text is
    /// not proof). Email messages are skipped (their text is full of other people's addresses).
    public static func emailAddresses(mentionedIn text: String, from sender: Address, limit: Int = 3) -> [Address] {
        guard sender.kind != .email, text.contains("@") else { return [] }
        var found: [Address] = []
        let separators = CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: ",;:()<>[]\"'"))
        for token in text.components(separatedBy: separators) where token.contains("@") {
            var candidate = Substring(token)
            while let last = candidate.last, ".!?".contains(last) { candidate = candidate.dropLast() }
            guard candidate.first != "@", let address = try? Address(kind: .email, value: String(candidate)),
                !found.contains(address)
            else { continue }
            found.append(address)
            if found.count == limit { break }
        }
        return found
    }

    /// What to do when an envelope from one profile vouches for an address that belongs to another
    /// profile (rule 3).
    public enum StrongIdentifierDecision: Sendable, Hashable {
        /// Merge `source` into `target` automatically.
        case merge
        /// Record a suggestion for an agent, with the reason.
        case suggest(reason: String)
    }

    /// Decides between merging automatically and suggesting. Two profiles that carry conflicting
    /// strong identifiers (verified addresses of the same kind that differ) are never merged
    /// automatically, whatever the policy.
    public static func decide(
        learned: Address, current: [Identity], other: [Identity], policy: IdentityPolicy
    ) -> StrongIdentifierDecision {
        if let conflict = conflict(between: current, and: other) {
            return .suggest(
                reason: "\(learned) was given by both profiles, but they carry conflicting verified "
                    + "identifiers \(conflict.0) and \(conflict.1)")
        }
        guard policy.autoMergeOnStrongIdentifier else {
            return .suggest(reason: "\(learned) was given by a customer who already has a profile with it")
        }
        return .merge
    }

    /// The first pair of verified strong identifiers of the same kind that differ, if any.
    public static func conflict(between lhs: [Identity], and rhs: [Identity]) -> (Address, Address)? {
        for left in lhs where left.verified && left.address.kind.isStrongIdentifier {
            for right in rhs where right.verified && right.address.kind == left.address.kind {
                if right.address != left.address { return (left.address, right.address) }
            }
        }
        return nil
    }
}
