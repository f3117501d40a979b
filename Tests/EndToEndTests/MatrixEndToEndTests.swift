import Foundation
import Logging
import MatrixAdapter
import SwitchboardAdapterKit
import SwitchboardCurl
import Testing

/// A real Synapse (`scripts/peers/synapse.sh`, server name `hub.test` on 127.0.0.1:23008) and a
/// running hub with a `type: matrix` channel. Each run registers its own `hubbot-…` and `alice-…`
/// accounts and a new room, so runs never see each other's messages. The test fails, never skips,
/// when Synapse cannot be started.
@Suite(.serialized) struct MatrixEndToEndTests {
    static let homeserver = "http://127.0.0.1:23008"
    static let http = CurlHTTPClient()

    static func synapse(_ arguments: String...) throws -> String {
        try MailPeers.peer("synapse.sh", arguments)
    }

    /// One client-server API call as a Matrix user; the JSON answer.
    static func matrix(_ method: String, _ path: String, token: String?, _ body: [String: Any]? = nil) async throws
        -> [String: Any]
    {
        var headers: [(name: String, value: String)] = [("Content-Type", "application/json")]
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        let bytes = try body.map { Array(try JSONSerialization.data(withJSONObject: $0)) } ?? []
        let response = try await http.execute(
            HTTPClientRequest(
                method: method, url: homeserver + "/_matrix/client/v3" + path, headers: headers, body: bytes))
        guard response.status == 200 else {
            throw E2EError("\(method) \(path) answered \(response.status): \(response.text)")
        }
        return try json(response)
    }

    /// Registers `name` with the shared secret and logs in: the access token.
    static func account(_ name: String) async throws -> String {
        _ = try synapse("register", name, "\(name)-pass")
        let login = try await matrix(
            "POST", "/login", token: nil,
            [
                "type": "m.login.password", "identifier": ["type": "m.id.user", "user": name],
                "password": "\(name)-pass",
            ])
        guard let token = login["access_token"] as? String else { throw E2EError("login of \(name): \(login)") }
        return token
    }

    static func enc(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id
    }

    /// Alice sends one text message; its event id.
    static func say(_ text: String, in room: String, token: String) async throws -> String {
        let answer = try await matrix(
            "PUT", "/rooms/\(enc(room))/send/m.room.message/\(UUID().uuidString)", token: token,
            ["msgtype": "m.text", "body": text])
        return answer["event_id"] as? String ?? ""
    }

    /// Every `m.room.message` in the room, oldest first, as alice's `/messages` shows them.
    static func roomMessages(_ room: String, token: String) async throws -> [[String: Any]] {
        var events: [[String: Any]] = []
        var from: String?
        repeat {
            let query = "dir=b&limit=100" + (from.map { "&from=\(enc($0))" } ?? "")
            let page = try await matrix("GET", "/rooms/\(enc(room))/messages?\(query)", token: token)
            let chunk = page["chunk"] as? [[String: Any]] ?? []
            events += chunk.filter { $0["type"] as? String == "m.room.message" }
            from = chunk.isEmpty ? nil : page["end"] as? String
        } while from != nil
        return events.reversed()
    }

    static func channelYAML(user: String, token: String) -> String {
        """
          - id: matrix
            type: matrix
            settings:
              homeserver_url: \(homeserver)
              user_id: "\(user)"
              access_token: \(token)
              accept_invites: ["@*:hub.test"]
              sync_timeout: 2s
              initial_history: 20
        """
    }

    @Test func roomMessagesRepliesIdempotentSendsAndTheGapWhileDown() async throws {
        _ = try Self.synapse("start")
        let run = UUID().uuidString.prefix(8).lowercased()
        let botName = "hubbot-\(run)"
        let aliceName = "alice-\(run)"
        let bot = "@\(botName):hub.test"
        let aliceAddress = "matrix:@\(aliceName):hub.test"
        let botToken = try await Self.account(botName)
        let aliceToken = try await Self.account(aliceName)
        let room = try #require(
            try await Self.matrix(
                "POST", "/createRoom", token: aliceToken,
                ["preset": "private_chat", "invite": [bot], "is_direct": true, "name": "Support \(run)"])["room_id"]
                as? String)

        // The hub accepts alice's invitation (she is on hub.test) and imports what she writes.
        var hub = try await HubProcess.start(channelsYAML: Self.channelYAML(user: bot, token: botToken))
        defer { Task { [hub] in await hub.stop() } }
        #expect(
            try await eventually {
                let members = try await Self.matrix("GET", "/rooms/\(Self.enc(room))/joined_members", token: aliceToken)
                return (members["joined"] as? [String: Any])?[bot] != nil
            }, "the hub joined the room: \(hub.log)")
        let first = try await Self.say("Bonjour, ma commande 42 ?", in: room, token: aliceToken)
        #expect(
            try await eventually {
                try timelineTexts(hub, aliceAddress, limit: 500).contains("Bonjour, ma commande 42 ?")
            })
        let conversation = try #require(try conversations(hub, aliceAddress).first?["id"] as? String)

        // (2) An agent's reply from the CLI appears in the room, as a reply to her message.
        let queued = try hub.cli(["reply", conversation, "--text", "Elle part demain.", "--author", "Bo"])
        #expect(queued.status == 0, "\(queued.error)")
        var reply: [String: Any]?
        #expect(
            try await eventually {
                reply = try await Self.roomMessages(room, token: aliceToken).first {
                    ($0["content"] as? [String: Any])?["body"] as? String == "Elle part demain."
                }
                return reply != nil
            })
        #expect(reply?["sender"] as? String == bot)
        let relation = (reply?["content"] as? [String: Any])?["m.relates_to"] as? [String: Any]
        #expect((relation?["m.in_reply_to"] as? [String: Any])?["event_id"] as? String == first)

        // (3) A send retried with the same idempotency key (the transaction id) posts one event.
        let adapter = MatrixAdapter(
            configuration: MatrixConfiguration(homeserverURL: Self.homeserver, userID: bot, accessToken: botToken),
            context: AdapterContext(
                channel: "matrix", logger: Logger(label: "e2e"), inbound: NoHub(), cursor: NoHub(), http: Self.http,
                publicBaseURL: "http://127.0.0.1:9"))
        let retried = OutboundMessage(
            messageID: "msg_retry_\(run)", conversationID: conversation, channel: "matrix",
            to: try Address(parsing: aliceAddress), threadKey: room, text: "Sent once \(run)",
            idempotencyKey: "sb-msg_retry_\(run)")
        let firstSend = try await adapter.send(retried)
        let secondSend = try await adapter.send(retried)
        #expect(firstSend.externalID == secondSend.externalID)
        let copies = try await Self.roomMessages(room, token: aliceToken).filter {
            ($0["content"] as? [String: Any])?["body"] as? String == "Sent once \(run)"
        }
        #expect(copies.count == 1, "the homeserver deduplicated the retried transaction")

        // (4) While the hub is down alice writes more than one sync shows (timeline limit 50): after
        // the restart the gap is fetched, and every message is imported exactly once.
        await hub.stop(keepingData: true)
        let firstHubLog = hub.log
        let gap = (1...60).map { "message \($0) while the hub was down" }
        for text in gap { _ = try await Self.say(text, in: room, token: aliceToken) }
        hub = try await HubProcess.start(
            channelsYAML: Self.channelYAML(user: bot, token: botToken), directory: hub.directory)
        let restarted = hub
        defer { Task { await restarted.stop() } }
        #expect(
            try await eventually(timeout: .seconds(60)) {
                Set(try timelineTexts(hub, aliceAddress, limit: 500)).isSuperset(of: gap)
            }, "\(hub.log.suffix(3000))")
        let texts = try timelineTexts(hub, aliceAddress, limit: 500)
        for text in gap + ["Bonjour, ma commande 42 ?"] {
            #expect(texts.filter { $0 == text }.count == 1, "\(text) imported once")
        }
        #expect(!texts.contains("Sent once \(run)"), "the hub's own events are not imported")
        #expect(!firstHubLog.contains(botToken), "the access token never reaches a log line (first hub)")
        #expect(!hub.log.contains(botToken), "the access token never reaches a log line (restarted hub)")
        await hub.stop()
    }
}

/// The hub's inbound side for an adapter used only to send.
struct NoHub: InboundSink, CursorStore {
    func deliver(_ batch: [InboundEnvelope]) async throws -> [DeliveryOutcome] { [] }
    func apply(_ updates: [StatusUpdate]) async throws {}
    func value(for key: String) async throws -> String? { nil }
    func setValue(_ value: String, for key: String) async throws {}
}
