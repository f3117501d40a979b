import SwitchboardAdapterKit

/// The cases of each adapter target, in the order the input's first digit chooses them
/// (docs/fuzzing.md lists them). Routes are called as the server calls them after `verify`;
/// polls and sends get the input as the channel's API answer.
enum AdapterTargets {
    static let webhook = [
        FuzzCase.route("shop", "POST", "/inbound", request: FuzzRequest.json),
        FuzzCase.route("shop", "POST", "/status", request: FuzzRequest.json),
        FuzzCase.send("shop") { try reply("shop", to: "tel:+14155550100") },
    ]

    static let bridge = [
        FuzzCase.route("irc", "POST", "/envelopes", request: FuzzRequest.json),
        FuzzCase.route("irc", "POST", "/status", request: FuzzRequest.json),
        FuzzCase.send("irc") { try reply("irc", to: "irc:ana", threadKey: "irc:ana", inReplyTo: "irc-1") },
    ]

    static let twilio = [
        FuzzCase.route("twilio", "POST", "/sms", request: FuzzRequest.form),
        FuzzCase.route("twilio", "POST", "/status", request: FuzzRequest.form),
        FuzzCase.send("twilio") { try reply("twilio", to: "tel:+14155550100") },
    ]

    static let kannel = [
        FuzzCase.route("kannel", "GET", "/inbound", request: FuzzRequest.query),
        FuzzCase.route("kannel", "GET", "/dlr", request: FuzzRequest.query),
        FuzzCase.send("kannel") { try reply("kannel", to: "tel:+33612345678") },
    ]

    static let smsHTTP = [
        FuzzCase.route("acme-json", "POST", "/inbound", request: FuzzRequest.json),
        FuzzCase.route("acme-json", "POST", "/status", request: FuzzRequest.json),
        FuzzCase.route("acme-form", "POST", "/inbound", request: FuzzRequest.form),
        FuzzCase.route("acme-form", "POST", "/status", request: FuzzRequest.form),
        FuzzCase.send("acme-json") { try reply("acme-json", to: "tel:+33612345678") },
    ]

    static let meta = [
        FuzzCase.route("whatsapp", "POST", "/webhook", request: FuzzRequest.json),
        FuzzCase.route("messenger", "POST", "/webhook", request: FuzzRequest.json),
        FuzzCase.route("instagram", "POST", "/webhook", request: FuzzRequest.json),
        FuzzCase.send("whatsapp") { try reply("whatsapp", to: "whatsapp:+16505551234", inReplyTo: "wamid.IN1") },
        FuzzCase.send("messenger") { try reply("messenger", to: "messenger:1234567890/5551234567890123") },
        FuzzCase.send("instagram") { try reply("instagram", to: "instagram:17841400000000001/6661234567890123") },
    ]

    static let telegram = [
        FuzzCase.route("telegram-hook", "POST", "/update", request: FuzzRequest.json),
        FuzzCase.poll("telegram", stopsOnRequest: true),
        FuzzCase.send("telegram") {
            try reply("telegram", to: "telegram:1111111", threadKey: "1111111", inReplyTo: "1111111:1368")
        },
    ]

    /// X's positions after earlier polls (ids are decimal strings), so pages and gaps are read.
    static let xPositions = [
        "mentions:since_id": "1000", "dm_events:newest_id": "1000", "listen:Acme:since_id": "1000",
    ]

    static let x = [
        FuzzCase.route("x-hook", "POST", "/webhook", request: FuzzRequest.json),
        FuzzCase.poll("x", stopsOnRequest: true),
        FuzzCase.poll("x", cursor: xPositions, stopsOnRequest: true),
        FuzzCase.send("x") {
            try reply(
                "x", to: "x:9876543210", threadKey: "post:1234567890", inReplyTo: "1234567893", visibility: .public)
        },
        FuzzCase.send("x") { try reply("x", to: "x:9876543210", threadKey: "dm:9876543210-1111111111") },
    ]

    static let matrix = [
        FuzzCase.poll("matrix", stopsOnRequest: false, stopKey: "since"),
        FuzzCase.poll("matrix", cursor: ["since": "s72594_4483_1934"], stopsOnRequest: false, stopKey: "since"),
        FuzzCase.send("matrix") {
            try reply("matrix", to: "matrix:@example:example.org", threadKey: "!726s6s6q:example.com", inReplyTo: "$e1")
        },
    ]

    /// A reply as the dispatcher hands it to `send`.
    static func reply(
        _ channel: ChannelID, to address: String, threadKey: String = "t", inReplyTo: String? = nil,
        visibility: Visibility = .private
    ) throws -> OutboundMessage {
        OutboundMessage(
            messageID: "msg_1", conversationID: "con_1", channel: channel, to: try Address(parsing: address),
            threadKey: threadKey, text: "Thanks, on its way", inReplyTo: inReplyTo, visibility: visibility,
            idempotencyKey: "sb-msg_1")
    }
}
