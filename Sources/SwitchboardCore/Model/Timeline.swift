import Foundation

/// One entry in a customer's timeline: a message or a system event (merge, un-merge, status change).
/// Encodes as `{"type": "message", "message": {…}}` or `{"type": "event", "event": {…}}`.
public enum TimelineEntry: Sendable, Hashable, Codable {
    case message(Message)
    case event(SystemEvent)

    enum CodingKeys: String, CodingKey { case type, message, event }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .type) {
        case "message": self = .message(try container.decode(Message.self, forKey: .message))
        case "event": self = .event(try container.decode(SystemEvent.self, forKey: .event))
        case let other:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container, debugDescription: "unknown timeline entry type '\(other)'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .message(let message):
            try container.encode("message", forKey: .type)
            try container.encode(message, forKey: .message)
        case .event(let event):
            try container.encode("event", forKey: .type)
            try container.encode(event, forKey: .event)
        }
    }

    /// When it happened: the channel timestamp of a message, the time of an event.
    public var at: Date {
        switch self {
        case .message(let message): message.sentAt
        case .event(let event): event.at
        }
    }

    public var id: String {
        switch self {
        case .message(let message): message.id
        case .event(let event): event.id
        }
    }
}

/// Something that happened to a customer or conversation that is not a message.
public struct SystemEvent: Sendable, Hashable, Codable {
    public var id: String
    public var customerID: String
    public var conversationID: String?
    /// `merge`, `unmerge`, `status`, `assignment`, …
    public var kind: String
    public var actor: String
    public var detail: String
    public var at: Date

    public init(
        id: String, customerID: String, conversationID: String?, kind: String, actor: String, detail: String, at: Date
    ) {
        self.id = id
        self.customerID = customerID
        self.conversationID = conversationID
        self.kind = kind
        self.actor = actor
        self.detail = detail
        self.at = at
    }
}

/// One page of a cursor-paginated list, newest first. Pass ``nextCursor`` to get the next page.
public struct Page<Item: Sendable & Hashable & Codable>: Sendable, Hashable, Codable {
    public var items: [Item]
    /// `nil` on the last page.
    public var nextCursor: String?

    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}

/// A position in a newest-first list: the (time, id) of the last item seen, as an opaque token.
public struct TimelineCursor: Sendable, Hashable {
    public var millis: Int64
    public var id: String

    public init(millis: Int64, id: String) {
        self.millis = millis
        self.id = id
    }

    public init(after entry: TimelineEntry) {
        self.init(millis: Int64((entry.at.timeIntervalSince1970 * 1000).rounded(.down)), id: entry.id)
    }

    /// The opaque token form (`<millis>.<id>`, base64url).
    public var token: String {
        Data("\(millis).\(id)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Reads a token; `nil` when it is not one of ours.
    public init?(token: String) {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8),
            let dot = text.firstIndex(of: "."), let millis = Int64(text[..<dot])
        else { return nil }
        let id = String(text[text.index(after: dot)...])
        guard !id.isEmpty else { return nil }
        self.init(millis: millis, id: id)
    }
}
