/// What a channel can do. The hub reads it to decide what it may ask of the adapter (and the
/// dispatcher refuses a reply that breaks it, with a readable error, before calling `send`).
public struct ChannelCapabilities: Sendable, Hashable, Codable {
    public var canReceive: Bool
    public var canSend: Bool
    /// Visibilities the channel carries (comments and DMs, or only DMs).
    public var visibilities: Set<Visibility>
    public var supportsAttachments: Bool
    /// The longest text one message may carry, in characters; `nil` for no limit.
    public var maxTextLength: Int?
    /// The channel threads replies (email, Matrix) rather than showing a flat chat.
    public var supportsThreading: Bool
    /// The channel reports delivery (sent, delivered, read) after accepting a message.
    public var deliveryReceipts: Bool
    /// Customers on this channel opt out by texting a keyword (STOP) and back in with another
    /// (START), as on SMS: the hub then records opt-outs from inbound text and refuses sends to an
    /// opted-out address. The keywords come from the hub's `opt_out:` config.
    public var optOutKeywords: Bool
    /// The channel sends approved templates (``OutboundMessage/template``).
    public var templates: Bool
    /// Free-form private replies are allowed only this long after the customer's last message
    /// (WhatsApp, Messenger and Instagram direct messages: 24 hours); after that only a template
    /// may be sent. Public replies (under a comment) are not limited. The dispatcher
    /// refuses a free-form reply outside the window before calling `send`, naming the rule.
    public var replyWindow: Duration?
    /// The platform's published send limit for one channel instance, if it has one; the
    /// dispatcher paces sends by it (or by the channel's `rate_limit:` in the config).
    public var sendRate: SendRate?

    public init(
        canReceive: Bool = true, canSend: Bool = true, visibilities: Set<Visibility> = [.private],
        supportsAttachments: Bool = false, maxTextLength: Int? = nil, supportsThreading: Bool = false,
        deliveryReceipts: Bool = false, optOutKeywords: Bool = false, templates: Bool = false,
        replyWindow: Duration? = nil, sendRate: SendRate? = nil
    ) {
        self.canReceive = canReceive
        self.canSend = canSend
        self.visibilities = visibilities
        self.supportsAttachments = supportsAttachments
        self.maxTextLength = maxTextLength
        self.supportsThreading = supportsThreading
        self.deliveryReceipts = deliveryReceipts
        self.optOutKeywords = optOutKeywords
        self.templates = templates
        self.replyWindow = replyWindow
        self.sendRate = sendRate
    }
}
