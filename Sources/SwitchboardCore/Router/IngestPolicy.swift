/// The config that steers ingest: identity rules, the reopen window and opt-out keywords.
public struct IngestPolicy: Sendable, Hashable {
    public var identity: IdentityPolicy
    /// A resolved conversation that gets a new message within this time is reopened.
    public var reopenWindow: Duration
    public var optOut: OptOutPolicy
    /// How long after the satisfaction question a bare "1" to "5" is taken as the rating.
    public var ratingWindow: Duration

    public init(
        identity: IdentityPolicy = .init(), reopenWindow: Duration = .seconds(7 * 24 * 3600),
        optOut: OptOutPolicy = .init(), ratingWindow: Duration = SatisfactionSurvey.defaultWindow
    ) {
        self.ratingWindow = ratingWindow
        self.identity = identity
        self.reopenWindow = reopenWindow
        self.optOut = optOut
    }
}
