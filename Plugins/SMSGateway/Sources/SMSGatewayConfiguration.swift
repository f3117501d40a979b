import SwitchboardAdapterKit

/// The `settings:` of a `type: sms-http` channel: a provider with a simple HTTP API, described
/// instead of programmed. Where the provider's fields are, how it proves its requests, and what
/// to post for a reply. Full reference: `docs/sms-channels.md`.
///
/// ```yaml
/// settings:
///   default_region: FR
///   inbound:
///     format: json                       # json or form
///     auth: { hmac: { header: X-Signature, secret: ${SMS_SECRET}, prefix: "sha256=" } }
///     fields: { id: message.id, from: message.from, to: message.to, text: message.text, time: message.sent }
///   status:
///     fields: { id: ref, status: state, reason: error }
///     values: { delivered: [DELIVRD], failed: [UNDELIV, REJECTD], sent: [ACCEPTD] }
///   outbound:
///     url: https://api.provider.example/v1/sms
///     format: json
///     headers: { Authorization: "Bearer ${SMS_TOKEN}" }
///     body: { to: "{to}", from: "+33123456789", text: "{text}", callback: "{status_url}" }
///     id_field: id
/// ```
public struct SMSGatewayConfiguration: Decodable, Sendable {
    public var defaultRegion: PhoneRegion?
    public var inbound: Inbound
    public var status: Status?
    public var outbound: Outbound?

    /// How the provider's requests are read.
    public struct Inbound: Decodable, Sendable {
        public var format: BodyFormat
        public var auth: Authentication
        public var fields: InboundFields
        /// A list field holding several messages per request; absent when each request is one message.
        public var batch: String?
    }

    /// Where each field of a message is: a dotted path into the JSON (`message.from`), or a form field name.
    public struct InboundFields: Decodable, Sendable {
        public var id: String
        public var from: String
        public var to: String?
        public var text: String
        /// Unix seconds or ISO 8601.
        public var time: String?
    }

    /// How delivery reports are read: where the provider's message id and its state are, and
    /// which of its states mean what.
    public struct Status: Decodable, Sendable {
        public var fields: StatusFields
        public var values: StatusValues
    }

    public struct StatusFields: Decodable, Sendable {
        public var id: String
        public var status: String
        public var reason: String?
    }

    /// The provider's state names for each of ours; a state in none of the lists is refused (400)
    /// so a misconfiguration shows up in the provider's webhook log.
    public struct StatusValues: Decodable, Sendable {
        public var queued: [String]?
        public var sent: [String]?
        public var delivered: [String]?
        public var read: [String]?
        public var failed: [String]?
        /// States to accept and ignore.
        public var ignore: [String]?
    }

    /// What is posted for a reply.
    public struct Outbound: Decodable, Sendable {
        public var url: String
        public var method: String
        public var format: BodyFormat
        /// Extra headers (authentication); values may use `${ENV}`.
        public var headers: [String: String]
        /// The fields sent; string values may contain `{to}`, `{to_digits}`, `{text}`, `{id}`,
        /// `{status_url}`.
        public var body: [String: String]
        /// Where the provider's message id is in its JSON answer (dotted path); without it the
        /// hub's own message id is used, and the status reports must carry that.
        public var idField: String?
        public var maxTextLength: Int?

        enum CodingKeys: String, CodingKey {
            case url, method, format, headers, body
            case idField = "id_field"
            case maxTextLength = "max_text_length"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            url = try container.decode(String.self, forKey: .url)
            guard url.hasPrefix("https://") || url.hasPrefix("http://") else {
                throw DecodingError.dataCorruptedError(
                    forKey: .url, in: container, debugDescription: "url must start with https://")
            }
            method = (try container.decodeIfPresent(String.self, forKey: .method) ?? "POST").uppercased()
            guard ["POST", "PUT"].contains(method) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .method, in: container, debugDescription: "method is POST or PUT")
            }
            format = try container.decodeIfPresent(BodyFormat.self, forKey: .format) ?? .json
            headers = try container.decodeIfPresent([String: String].self, forKey: .headers) ?? [:]
            body = try container.decode([String: String].self, forKey: .body)
            guard body.values.contains(where: { $0.contains("{text}") }),
                body.values.contains(where: { $0.contains("{to}") || $0.contains("{to_digits}") })
            else {
                throw DecodingError.dataCorruptedError(
                    forKey: .body, in: container,
                    debugDescription:
                        "body must place the reply with {text} and the customer's number with {to} or {to_digits}")
            }
            for value in body.values {
                if let unknown = Template.unknownPlaceholder(in: value) {
                    throw DecodingError.dataCorruptedError(
                        forKey: .body, in: container,
                        debugDescription:
                            "unknown placeholder {\(unknown)}; use {to}, {to_digits}, {text}, {id} or {status_url}")
                }
            }
            idField = try container.decodeIfPresent(String.self, forKey: .idField)
            maxTextLength = try container.decodeIfPresent(Int.self, forKey: .maxTextLength)
            if let limit = maxTextLength, limit < 1 {
                throw DecodingError.dataCorruptedError(
                    forKey: .maxTextLength, in: container, debugDescription: "max_text_length must be at least 1")
            }
        }
    }

    public enum BodyFormat: String, Decodable, Sendable {
        case json
        case form
    }

    /// How a request proves it is the provider's: exactly one of `hmac` and `token`.
    public enum Authentication: Decodable, Sendable {
        /// `header` carries `prefix` + HMAC of the raw body under `secret`.
        case hmac(header: String, secret: String, algorithm: HMACAlgorithm, encoding: SignatureEncoding, prefix: String)
        /// `header` (or the query parameter `query`) carries exactly `value`.
        case token(header: String?, query: String?, value: String)

        enum CodingKeys: String, CodingKey { case hmac, token }
        struct HMACSettings: Decodable {
            var header: String
            var secret: String
            var algorithm: HMACAlgorithm?
            var encoding: SignatureEncoding?
            var prefix: String?
        }
        struct TokenSettings: Decodable {
            var header: String?
            var query: String?
            var value: String
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let hmac = try container.decodeIfPresent(HMACSettings.self, forKey: .hmac)
            let token = try container.decodeIfPresent(TokenSettings.self, forKey: .token)
            switch (hmac, token) {
            case (let hmac?, nil):
                guard hmac.secret.count >= 16 else {
                    throw DecodingError.dataCorruptedError(
                        forKey: .hmac, in: container, debugDescription: "the HMAC secret must be at least 16 characters"
                    )
                }
                self = .hmac(
                    header: hmac.header, secret: hmac.secret, algorithm: hmac.algorithm ?? .sha256,
                    encoding: hmac.encoding ?? .hex, prefix: hmac.prefix ?? "")
            case (nil, let token?):
                guard token.value.count >= 16 else {
                    throw DecodingError.dataCorruptedError(
                        forKey: .token, in: container, debugDescription: "the token must be at least 16 characters")
                }
                guard (token.header == nil) != (token.query == nil) else {
                    throw DecodingError.dataCorruptedError(
                        forKey: .token, in: container,
                        debugDescription: "say where the token is: header (such as Authorization) or query, not both")
                }
                self = .token(header: token.header, query: token.query, value: token.value)
            default:
                throw DecodingError.dataCorruptedError(
                    forKey: .hmac, in: container,
                    debugDescription: "auth needs exactly one of hmac: {header, secret} and token: {header, value}")
            }
        }
    }

    public enum HMACAlgorithm: String, Decodable, Sendable {
        case sha256
        case sha1
    }

    public enum SignatureEncoding: String, Decodable, Sendable {
        case hex
        case base64
    }

    enum CodingKeys: String, CodingKey {
        case defaultRegion = "default_region"
        case inbound, status, outbound
    }
}
