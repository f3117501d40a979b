import Foundation
import SwitchboardAdapterKit

/// The admin's opt-out rules (config `opt_out:`): which keywords, texted on their own on a channel
/// that honours them (SMS), opt a customer's number out of messages and back in.
///
/// A message counts when, trimmed and without trailing punctuation, it is one of the keywords,
/// case-insensitively (`stop`, `Stop.`, ` STOP `) — a sentence that merely contains "stop" does not
/// count, as on carriers' own keyword handling.
public struct OptOutPolicy: Sendable, Hashable {
    /// Opt out: `STOP`, `UNSUBSCRIBE` and the configured extras, upper-cased.
    public var optOutKeywords: Set<String>
    /// Opt back in: `START` and the configured extras, upper-cased.
    public var optInKeywords: Set<String>
    /// The channel instances whose adapter declares ``ChannelCapabilities/optOutKeywords``.
    public var channels: Set<ChannelID>

    public static let defaultOptOutKeywords: Set<String> = ["STOP", "UNSUBSCRIBE"]
    public static let defaultOptInKeywords: Set<String> = ["START"]

    public init(
        optOutKeywords: Set<String> = defaultOptOutKeywords, optInKeywords: Set<String> = defaultOptInKeywords,
        channels: Set<ChannelID> = []
    ) {
        self.optOutKeywords = Set(optOutKeywords.map { $0.uppercased() })
        self.optInKeywords = Set(optInKeywords.map { $0.uppercased() })
        self.channels = channels
    }

    /// What a message does to its sender's opt-out state.
    public enum Action: Sendable, Hashable {
        case optOut(keyword: String)
        case optIn(keyword: String)
    }

    /// The action `text`, received on `channel`, asks for, if any.
    public func action(for text: String, on channel: ChannelID) -> Action? {
        guard channels.contains(channel) else { return nil }
        let keyword = Self.keyword(of: text)
        guard !keyword.isEmpty, keyword.count <= 32 else { return nil }
        if optOutKeywords.contains(keyword) { return .optOut(keyword: keyword) }
        if optInKeywords.contains(keyword) { return .optIn(keyword: keyword) }
        return nil
    }

    /// The text as a keyword: trimmed, trailing `.`/`!` dropped, upper-cased.
    static func keyword(of text: String) -> String {
        var word = Substring(text)
        while let last = word.last, last.isWhitespace || last == "." || last == "!" { word = word.dropLast() }
        while let first = word.first, first.isWhitespace { word = word.dropFirst() }
        return word.uppercased()
    }
}

/// A customer's address that opted out, and when and how.
public struct OptOut: Sendable, Hashable, Codable {
    public var address: Address
    /// The keyword they sent (`STOP`).
    public var keyword: String
    /// The channel instance they sent it on.
    public var channel: ChannelID
    /// The message that carried it.
    public var messageID: String
    public var at: Date

    public init(address: Address, keyword: String, channel: ChannelID, messageID: String, at: Date) {
        self.address = address
        self.keyword = keyword
        self.channel = channel
        self.messageID = messageID
        self.at = at
    }

    /// Why a send to this address is refused, fit for the timeline.
    public var refusal: String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return "\(address) opted out by texting \(keyword) on channel '\(channel)' at \(formatter.string(from: at)); "
            + "nothing may be sent to this number until the customer texts START (or another opt-in keyword)"
    }
}
