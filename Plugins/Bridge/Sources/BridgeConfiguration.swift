import Foundation
import SwitchboardAdapterKit

/// A bridge channel's `settings:` block: the shared secret, where replies go, and what the channel
/// behind the bridge can do. The hub cannot ask the bridge process at start-up (it may start
/// later), so capabilities are declared here, next to the rest of the channel's config.
public struct BridgeConfiguration: Decodable, Sendable {
    /// Signs both directions; at least 16 characters.
    public var secret: String
    /// Where agents' replies are posted; without it the channel only receives.
    public var outboundURL: String?
    /// How long one post to `outbound_url` may take.
    public var timeout: Duration
    /// The bridge's own health endpoint (`GET`, 2xx when it is connected to its channel), probed
    /// every `health_interval`: a bridge that stops answering shows as degraded in `/health`.
    public var healthURL: String?
    /// How often `health_url` is probed.
    public var healthInterval: Duration
    /// What the channel behind the bridge can do.
    public var capabilities: Capabilities

    /// The `capabilities:` block, each key optional.
    public struct Capabilities: Decodable, Sendable, Hashable {
        public var visibilities: Set<Visibility> = [.private]
        public var maxTextLength: Int?
        public var attachments = false
        public var threading = false
        public var deliveryReceipts = false

        enum CodingKeys: String, CodingKey {
            case visibilities, attachments, threading
            case maxTextLength = "max_text_length"
            case deliveryReceipts = "delivery_receipts"
        }

        public init(
            visibilities: Set<Visibility> = [.private], maxTextLength: Int? = nil, attachments: Bool = false,
            threading: Bool = false, deliveryReceipts: Bool = false
        ) {
            self.visibilities = visibilities
            self.maxTextLength = maxTextLength
            self.attachments = attachments
            self.threading = threading
            self.deliveryReceipts = deliveryReceipts
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            if let names = try container.decodeIfPresent([String].self, forKey: .visibilities) {
                let parsed = names.compactMap(Visibility.init(rawValue:))
                guard parsed.count == names.count, !parsed.isEmpty else {
                    throw DecodingError.dataCorruptedError(
                        forKey: .visibilities, in: container,
                        debugDescription: "visibilities must list private and/or public, e.g. [private, public]")
                }
                visibilities = Set(parsed)
            }
            maxTextLength = try container.decodeIfPresent(Int.self, forKey: .maxTextLength)
            if let limit = maxTextLength, limit < 1 {
                throw DecodingError.dataCorruptedError(
                    forKey: .maxTextLength, in: container, debugDescription: "max_text_length must be at least 1")
            }
            attachments = try container.decodeIfPresent(Bool.self, forKey: .attachments) ?? false
            threading = try container.decodeIfPresent(Bool.self, forKey: .threading) ?? false
            deliveryReceipts = try container.decodeIfPresent(Bool.self, forKey: .deliveryReceipts) ?? false
        }
    }

    enum CodingKeys: String, CodingKey {
        case secret, timeout, capabilities
        case outboundURL = "outbound_url"
        case healthURL = "health_url"
        case healthInterval = "health_interval"
    }

    public init(
        secret: String, outboundURL: String? = nil, timeout: Duration = .seconds(15),
        capabilities: Capabilities = Capabilities(), healthURL: String? = nil, healthInterval: Duration = .seconds(30)
    ) {
        self.secret = secret
        self.outboundURL = outboundURL
        self.timeout = timeout
        self.capabilities = capabilities
        self.healthURL = healthURL
        self.healthInterval = healthInterval
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        secret = try container.decode(String.self, forKey: .secret)
        guard secret.utf8.count >= 16 else {
            throw DecodingError.dataCorruptedError(
                forKey: .secret, in: container,
                debugDescription: "the secret must be at least 16 characters; generate one with `openssl rand -hex 32`")
        }
        outboundURL = try Self.url(.outboundURL, in: container, example: "http://127.0.0.1:8090/outbound")
        healthURL = try Self.url(.healthURL, in: container, example: "http://127.0.0.1:8090/health")
        healthInterval =
            try container.decodeIfPresent(DurationSetting.self, forKey: .healthInterval)?.duration ?? .seconds(30)
        guard healthInterval >= .seconds(1) else {
            throw DecodingError.dataCorruptedError(
                forKey: .healthInterval, in: container, debugDescription: "health_interval must be at least 1s")
        }
        timeout = try container.decodeIfPresent(DurationSetting.self, forKey: .timeout)?.duration ?? .seconds(15)
        guard timeout >= .seconds(1), timeout <= .seconds(120) else {
            throw DecodingError.dataCorruptedError(
                forKey: .timeout, in: container, debugDescription: "timeout must be between 1s and 120s")
        }
        capabilities = try container.decodeIfPresent(Capabilities.self, forKey: .capabilities) ?? Capabilities()
    }

    private static func url(_ key: CodingKeys, in container: KeyedDecodingContainer<CodingKeys>, example: String)
        throws -> String?
    {
        guard let url = try container.decodeIfPresent(String.self, forKey: key) else { return nil }
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container,
                debugDescription: "\(key.stringValue) must start with http:// or https://, e.g. \(example)")
        }
        return url
    }
}
