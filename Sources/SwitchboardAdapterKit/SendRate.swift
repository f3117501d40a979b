/// How fast a channel accepts sends: `messages` per `per`, with bursts of up to `burst` at once.
///
/// Adapters declare the platform's published limit in ``ChannelCapabilities/sendRate`` (WhatsApp
/// Cloud API: 80 messages a second per number; a Twilio long code: 1 a second); an admin overrides
/// it per channel with `rate_limit:` in the config. The dispatcher keeps a token bucket per channel
/// instance from it, so a queue of replies leaves at the pace the channel accepts instead of
/// hitting its 429s.
public struct SendRate: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Messages allowed per ``per``.
    public var messages: Int
    public var per: Duration
    /// Sends allowed at once after a quiet spell (the bucket's size).
    public var burst: Int

    /// - Precondition: `messages`, `burst` and `per` are positive (the config checks them first).
    public init(messages: Int, per: Duration = .seconds(1), burst: Int? = nil) {
        self.messages = max(messages, 1)
        self.per = per > .zero ? per : .seconds(1)
        self.burst = max(burst ?? messages, 1)
    }

    /// Tokens added per second.
    public var perSecond: Double {
        Double(messages) / per.timeInterval
    }

    public var description: String { "\(messages) per \(per), bursts of \(burst)" }
}
