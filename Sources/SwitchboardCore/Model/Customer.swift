import Foundation
import SwitchboardAdapterKit

/// The unified profile of one person, across every channel they wrote on.
///
/// A customer that was merged into another keeps its row as a tombstone (``mergedInto`` set) so the
/// merge can be undone; nothing is ever deleted by a merge.
public struct Customer: Sendable, Hashable, Codable {
    public var id: String
    public var displayName: String?
    /// Email, phone, locale, time zone and custom keys.
    public var attributes: [String: String]
    public var firstSeen: Date
    public var lastSeen: Date
    /// Set when this profile was merged away: the profile that holds its identities now.
    public var mergedInto: String?

    public init(
        id: String, displayName: String?, attributes: [String: String] = [:], firstSeen: Date, lastSeen: Date,
        mergedInto: String? = nil
    ) {
        self.id = id
        self.displayName = displayName
        self.attributes = attributes
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.mergedInto = mergedInto
    }
}

/// One address that belongs to a customer, and how we came to know it.
public struct Identity: Sendable, Hashable, Codable {
    public var address: Address
    public var customerID: String
    /// The profile this address was first filed under; un-merge gives it back there.
    public var originalCustomerID: String
    /// The channel instance where it was first seen.
    public var firstSeenChannel: ChannelID?
    public var verified: Bool
    /// How it was linked: `inbound`, `equivalence`, `hint`, `merge` …
    public var provenance: String
    public var createdAt: Date
    /// The handle as the channel first wrote it (`0612345678`), where it differed from the address.
    public var rawHandle: String?

    public init(
        address: Address, customerID: String, originalCustomerID: String, firstSeenChannel: ChannelID?,
        verified: Bool, provenance: String, createdAt: Date, rawHandle: String? = nil
    ) {
        self.rawHandle = rawHandle
        self.address = address
        self.customerID = customerID
        self.originalCustomerID = originalCustomerID
        self.firstSeenChannel = firstSeenChannel
        self.verified = verified
        self.provenance = provenance
        self.createdAt = createdAt
    }
}

/// A customer with every identity that points at it.
public struct CustomerProfile: Sendable, Hashable, Codable {
    public var customer: Customer
    public var identities: [Identity]
    /// Addresses of this customer that opted out of messages (texted STOP).
    public var optOuts: [OptOut]

    public init(customer: Customer, identities: [Identity], optOuts: [OptOut] = []) {
        self.customer = customer
        self.identities = identities
        self.optOuts = optOuts
    }
}

/// One recorded merge: who, when, why, and what moved, so it can be undone exactly.
public struct MergeRecord: Sendable, Hashable, Codable {
    public var id: String
    /// The profile that was merged away (now a tombstone).
    public var sourceCustomerID: String
    /// The profile that absorbed it.
    public var targetCustomerID: String
    public var actor: String
    public var reason: String
    public var mergedAt: Date
    /// Set once undone.
    public var unmergedAt: Date?
    public var unmergedBy: String?

    public init(
        id: String, sourceCustomerID: String, targetCustomerID: String, actor: String, reason: String,
        mergedAt: Date, unmergedAt: Date? = nil, unmergedBy: String? = nil
    ) {
        self.id = id
        self.sourceCustomerID = sourceCustomerID
        self.targetCustomerID = targetCustomerID
        self.actor = actor
        self.reason = reason
        self.mergedAt = mergedAt
        self.unmergedAt = unmergedAt
        self.unmergedBy = unmergedBy
    }
}

/// Two profiles that may be one person, found by a strong identifier that the config did not allow
/// to merge automatically (or that conflicts), or by a weak signal. An agent decides.
public struct MergeSuggestion: Sendable, Hashable, Codable {
    public var id: String
    public var customerID: String
    public var otherCustomerID: String
    public var reason: String
    public var createdAt: Date

    public init(id: String, customerID: String, otherCustomerID: String, reason: String, createdAt: Date) {
        self.id = id
        self.customerID = customerID
        self.otherCustomerID = otherCustomerID
        self.reason = reason
        self.createdAt = createdAt
    }
}
