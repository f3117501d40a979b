/// The config that steers ingest: identity rules and the reopen window.
public struct IngestPolicy: Sendable, Hashable {
    public var identity: IdentityPolicy
    /// A resolved conversation that gets a new message within this time is reopened.
    public var reopenWindow: Duration

    public init(identity: IdentityPolicy = .init(), reopenWindow: Duration = .seconds(7 * 24 * 3600)) {
        self.identity = identity
        self.reopenWindow = reopenWindow
    }
}
