import SwitchboardAdapterKit

/// How an adapter target reads one fuzz input: the first byte chooses the case (which route, poll
/// or send), a second byte chooses the HTTP status for cases answered over HTTP, and the rest is
/// the body. Bytes are read as digits (`'0'` is 0, `'1'` is 1, …, modulo the number of choices)
/// so a seed file is readable text: `0{"id": …}` is case 0 with that JSON body.
struct FuzzInput {
    private(set) var rest: ArraySlice<UInt8>

    init(_ bytes: [UInt8]) { rest = bytes[...] }

    /// The next byte as a choice among `count` (0 when the input is spent).
    mutating func choose(among count: Int) -> Int {
        guard count > 0, let byte = rest.popFirst() else { return 0 }
        let digit = Int(byte) - Int(UInt8(ascii: "0"))
        return ((digit % count) + count) % count
    }

    /// The rest of the input.
    var body: [UInt8] { Array(rest) }

    /// The statuses an API answer can have, by digit: success, the refusals each channel
    /// classifies (bad request, token, permission, missing, conflict, rate limit) and failures.
    static let statuses = [200, 201, 400, 401, 403, 404, 409, 429, 500, 503]

    /// An API answer with the next byte's status and the rest as its body, with the headers the
    /// adapters read for rate limits.
    mutating func answer() -> HTTPClientResponse {
        let status = Self.statuses[choose(among: Self.statuses.count)]
        return HTTPClientResponse(
            status: status,
            headers: [
                ("Content-Type", "application/json"), ("Retry-After", "1"), ("x-rate-limit-reset", "1700000060"),
            ],
            body: body)
    }
}

/// The request shapes the channels receive, with the fuzz input in the part each one reads.
enum FuzzRequest {
    /// A JSON POST (most channels).
    static func json(_ path: String, _ body: [UInt8]) -> WebhookRequest {
        WebhookRequest(method: "POST", path: path, headers: [("Content-Type", "application/json")], body: body)
    }

    /// A form-encoded POST (Twilio, form providers of sms-http).
    static func form(_ path: String, _ body: [UInt8]) -> WebhookRequest {
        WebhookRequest(
            method: "POST", path: path, headers: [("Content-Type", "application/x-www-form-urlencoded")], body: body)
    }

    /// A GET whose query string is the input (Kannel's get-url and dlr-url), decoded as the server
    /// decodes it: the raw string as it arrived, and the parameters.
    static func query(_ path: String, _ bytes: [UInt8]) -> WebhookRequest {
        let raw = String(decoding: bytes, as: UTF8.self)
        return WebhookRequest(method: "GET", path: path, query: FormEncoding.parse(raw), rawQuery: raw)
    }
}
