/// The config that steers ingest: identity rules, the reopen window and opt-out keywords.
public struct IngestPolicy: Sendable, Hashable {
    public var identity: IdentityPolicy
    /// A resolved conversation that gets a new message within this time is reopened.
    public var reopenWindow: Duration
    public var optOut: OptOutPolicy

    public init(
        identity: IdentityPolicy = .init(), reopenWindow: Duration = .seconds(7 * 24 * 3600),
        optOut: OptOutPolicy = .init()
    ) {
        self.identity = identity
        self.reopenWindow = reopenWindow
        self.optOut = optOut
    }
}
