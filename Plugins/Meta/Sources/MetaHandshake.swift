import SwitchboardAdapterKit

/// Meta's webhook subscription handshake
/// (https://developers.facebook.com/docs/graph-api/webhooks/getting-started#verification-requests):
/// `GET /webhook?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…` must be answered 200 with
/// the challenge alone, as plain text, and only when the token is ours; anything else gets 403.
enum MetaHandshake {
    /// Meta sends an integer; anything longer than this is not Meta.
    static let maxChallengeLength = 256

    /// Throws 403 unless the request is a subscribe handshake carrying our verify token.
    static func verify(_ request: WebhookRequest, verifyToken: String) throws(WebhookAuthError) {
        let token = request.queryValue("hub.verify_token") ?? ""
        // Compared first and always, so the time taken says nothing about the other checks.
        let tokenMatches = HMACSignature.constantTimeEquals(token, verifyToken)
        guard request.queryValue("hub.mode") == "subscribe", tokenMatches, challenge(request) != nil else {
            throw WebhookAuthError(
                status: 403,
                "not a webhook verification request with this channel's verify_token; "
                    + "check that the 'Verify token' in the App Dashboard matches verify_token")
        }
    }

    /// The challenge to echo, if it is present and plausible.
    static func challenge(_ request: WebhookRequest) -> String? {
        guard let challenge = request.queryValue("hub.challenge"),
            (1...maxChallengeLength).contains(challenge.count),
            challenge.allSatisfy({ $0.isASCII && !$0.isWhitespace })
        else { return nil }
        return challenge
    }

    /// 200 `text/plain` with the challenge only.
    static func respond(_ request: WebhookRequest) throws(WebhookRequestError) -> WebhookResult {
        guard let challenge = challenge(request) else { throw WebhookRequestError("hub.challenge is missing") }
        return WebhookResult(
            response: WebhookResponse(status: 200, contentType: "text/plain", body: Array(challenge.utf8)))
    }
}

/// The two routes every Meta channel mounts: the handshake and the signed event POST, both at `/webhook`.
enum MetaWebhookRoutes {
    static let path = "/webhook"

    static func routes(
        settings: MetaAppSettings,
        handle: @escaping @Sendable (WebhookRequest) throws(WebhookRequestError) -> WebhookResult
    ) -> [WebhookRoute] {
        let verifyToken = settings.verifyToken
        let appSecret = settings.appSecret
        return [
            WebhookRoute(
                method: "GET", path: path,
                verify: { request throws(WebhookAuthError) in
                    try MetaHandshake.verify(request, verifyToken: verifyToken)
                },
                handle: { request in try MetaHandshake.respond(request) }),
            WebhookRoute(
                method: "POST", path: path, accepts: ["application/json"],
                verify: { request throws(WebhookAuthError) in
                    try MetaWebhookSignature.verify(request, appSecret: appSecret)
                },
                handle: { request in try handle(request) }),
        ]
    }
}
