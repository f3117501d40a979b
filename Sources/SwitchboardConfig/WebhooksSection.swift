import SwitchboardAdapterKit
import SwitchboardCore

/// One entry of `webhooks:` — an endpoint of the customer's own systems that receives the hub's
/// events, signed. Every mistake is named by its key, with what a right value looks like.
struct WebhookEntry: Decodable {
    var endpoint: WebhookEndpoint

    enum CodingKeys: String, CodingKey { case id, url, secret, events, timeout }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let id = try ConfigName.decode(.id, in: container, what: "a webhook id")
        let url = try container.decode(String.self, forKey: .url)
        guard url.hasPrefix("https://") || url.hasPrefix("http://"), url.count > 8, !url.contains(" ") else {
            throw DecodingError.dataCorruptedError(
                forKey: .url, in: container, debugDescription: "url must be an http:// or https:// address")
        }
        let secret = try container.decode(String.self, forKey: .secret)
        guard secret.count >= 16 else {
            throw DecodingError.dataCorruptedError(
                forKey: .secret, in: container,
                debugDescription: "secret must be at least 16 characters; write ${NAME} and export NAME")
        }
        var events = Set(WebhookEventKind.allCases)
        if let names = try container.decodeIfPresent([String].self, forKey: .events) {
            events = []
            for name in names {
                guard let kind = WebhookEventKind(rawValue: name) else {
                    throw DecodingError.dataCorruptedError(
                        forKey: .events, in: container,
                        debugDescription:
                            "'\(name)' is not an event; use "
                            + WebhookEventKind.allCases.map(\.rawValue).joined(separator: ", "))
                }
                events.insert(kind)
            }
            guard !events.isEmpty else {
                throw DecodingError.dataCorruptedError(
                    forKey: .events, in: container,
                    debugDescription: "events is empty; list the events to send, or leave it out for all of them")
            }
        }
        let timeout = try container.decodeIfPresent(ConfigDuration.self, forKey: .timeout)?.duration ?? .seconds(10)
        guard timeout >= .milliseconds(100), timeout <= .seconds(120) else {
            throw DecodingError.dataCorruptedError(
                forKey: .timeout, in: container, debugDescription: "timeout must be from 100ms to 2m")
        }
        endpoint = WebhookEndpoint(id: id, url: url, secret: secret, events: events, timeout: timeout)
    }
}
