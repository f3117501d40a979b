import Crypto
import Foundation
import SwitchboardAdapterKit
import SwitchboardCurl
import Testing

/// X in a running hub: the Account Activity CRC challenge and signature, a documented mention and
/// DM of one person becoming public and private messages of one customer, and replies leaving as a
/// reply post or a DM (and "we've sent you a DM" as one action) against a local stand-in of the
/// X API. Payloads from docs.x.com (sources in `XPayloads`).
@Suite(.serialized) struct XEndToEndTests {
    static let consumerSecret = "e2e-x-consumer-secret-0123456789"
    static let accessToken = "e2e-x-user-access-token-0123456789"

    static func channel(api: String) -> String {
        """
          - id: x
            type: x
            settings:
              account_id: "4337869213"
              access_token: \(accessToken)
              consumer_secret: \(consumerSecret)
              mode: webhook
              api_base_url: \(api)
        """
    }

    /// X API v2: the conversation lookup, post creation and DM creation, as documented.
    static func api() -> StandIn {
        StandIn { request in
            switch (request.method, request.path) {
            case ("GET", "/2/tweets"): return .init(status: 200, body: XPayloads.conversationLookup)
            case ("POST", "/2/tweets"): return .init(status: 201, body: XPayloads.createPostResponse)
            case ("POST", let path) where path.hasPrefix("/2/dm_conversations/with/"):
                return .init(status: 201, body: XPayloads.createDMResponse)
            default:
                return .init(status: 404, body: #"{"title":"Not Found Error","detail":"no such path","status":404}"#)
            }
        }
    }

    /// `sha256=` + base64(HMAC-SHA256(consumer secret, bytes)), X's rule for both the CRC answer and
    /// the `x-twitter-webhooks-signature` header (https://docs.x.com/x-api/webhooks/quickstart).
    static func signature(_ text: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(
            for: Array(text.utf8), using: SymmetricKey(data: Array(consumerSecret.utf8)))
        return "sha256=" + Data(mac).base64EncodedString()
    }

    @Test func crcMentionAndDMRepliesAndMovingToPrivate() async throws {
        let api = Self.api()
        try await api.run { apiURL in
            let hub = try await HubProcess.start(channelsYAML: Self.channel(api: apiURL))
            defer { Task { await hub.stop() } }
            // The CRC challenge.
            let crc = try await hub.request("GET", "/webhooks/x/webhook?crc_token=challenge-0123")
            #expect(crc.status == 200)
            #expect(try json(crc)["response_token"] as? String == Self.signature("challenge-0123"))

            // Signed and unsigned deliveries.
            let body = XPayloads.accountActivityMentionAndDM
            func post(_ signature: String?) async throws -> HTTPClientResponse {
                var headers: [(name: String, value: String)] = [("Content-Type", "application/json")]
                if let signature { headers.append(("x-twitter-webhooks-signature", signature)) }
                return try await hub.request("POST", "/webhooks/x/webhook", headers: headers, body: body)
            }
            #expect(try await post(nil).status == 403)
            #expect(try await post(Self.signature(body + " ")).status == 403)
            #expect(try hub.cli(["customers", "show", "x:3001969357"]).status != 0, "nothing stored")
            #expect(try await post(Self.signature(body)).status == 200)
            #expect(try await post(Self.signature(body)).status == 200, "a redelivery stores nothing new")

            // One customer, a public mention and a private DM.
            let list = try conversations(hub, "x:3001969357")
            #expect(list.count == 2)
            let messages = try timeline(hub, "x:3001969357")
            #expect(messages.count == 2)
            #expect(Set(messages.compactMap { $0["visibility"] as? String }) == ["public", "private"])
            let mention = try #require(
                list.first { ($0["thread_key"] as? String)?.hasPrefix("post:") == true }?["id"] as? String)
            let dm = try #require(
                list.first { ($0["thread_key"] as? String)?.hasPrefix("dm:") == true }?["id"] as? String)

            // A reply to the mention is a reply post; a reply to the DM is a DM.
            let publicReply = try hub.cli(["reply", mention, "--text", "Thanks for the mention!", "--json"])
            let publicID = try #require((try jsonObject(publicReply.output) as? [String: Any])?["id"] as? String)
            #expect(try await eventually { try await deliveryStatus(hub, mention, publicID) == "sent" })
            let post = try #require(api.requests.last { $0.method == "POST" && $0.path == "/2/tweets" }).json()
            #expect(post["text"] as? String == "Thanks for the mention!")
            #expect((post["reply"] as? [String: Any])?["in_reply_to_tweet_id"] as? String == "1307025659294674945")
            #expect(api.requests.last?.headers["authorization"] == "Bearer \(Self.accessToken)")

            let privateReply = try hub.cli(["reply", dm, "--text", "Hello Jordan", "--json"])
            let privateID = try #require((try jsonObject(privateReply.output) as? [String: Any])?["id"] as? String)
            #expect(try await eventually { try await deliveryStatus(hub, dm, privateID) == "sent" })
            let dmSends = api.requests.filter { $0.path == "/2/dm_conversations/with/3001969357/messages" }
            #expect(try dmSends.last?.json()["text"] as? String == "Hello Jordan")

            // Moving the public conversation to private: the notice as a reply post, the answer as a DM.
            let posts = api.requests(to: "/2/tweets").filter { $0.method == "POST" }.count
            let move = try hub.cli([
                "reply", mention, "--private", "--public-notice", "We've sent you a DM", "--text",
                "Could you send your order number here?", "--json",
            ])
            let movedID = try #require((try jsonObject(move.output) as? [String: Any])?["id"] as? String)
            #expect(try await eventually { try await deliveryStatus(hub, mention, movedID) == "sent" })
            // The notice is sent on its own: wait for its post too.
            #expect(try await eventually { api.requests(to: "/2/tweets").filter { $0.method == "POST" }.count > posts })
            let newPosts = api.requests(to: "/2/tweets").filter { $0.method == "POST" }.dropFirst(posts)
            #expect(try newPosts.map { try $0.json()["text"] as? String } == ["We've sent you a DM"])
            let newDMs = api.requests.filter { $0.path == "/2/dm_conversations/with/3001969357/messages" }
            #expect(try newDMs.last?.json()["text"] as? String == "Could you send your order number here?")
            #expect(!hub.log.contains(Self.accessToken) && !hub.log.contains(Self.consumerSecret))
            await hub.stop()
        }
    }

    /// Listening: a post found by a `listen` query opens a conversation tagged `listening`, and
    /// nobody is messaged automatically, even on a channel with an acknowledgement.
    @Test func listeningPostsAreTaggedAndNeverAnsweredAutomatically() async throws {
        let api = StandIn { request in
            switch request.path {
            case "/2/tweets/search/recent": return .init(status: 200, body: XPayloads.recentSearchWithExpansions)
            case "/2/users/4337869213/mentions", "/2/dm_events":
                return .init(status: 200, body: #"{"meta":{"result_count":0}}"#)
            default:
                return .init(status: 404, body: #"{"title":"Not Found Error","detail":"no such path","status":404}"#)
            }
        }
        try await api.run { apiURL in
            let channel = """
                  - id: x
                    type: x
                    acknowledge: "Thanks, we will get back to you."
                    settings:
                      account_id: "4337869213"
                      access_token: \(Self.accessToken)
                      mode: polling
                      listen: ["Python"]
                      poll_interval: 15s
                      api_base_url: \(apiURL)
                """
            let hub = try await HubProcess.start(channelsYAML: channel)
            defer { Task { await hub.stop() } }
            #expect(try await eventually { try hub.cli(["customers", "show", "x:9876543210"]).status == 0 })
            let search = try #require(api.requests(to: "/2/tweets/search/recent").first)
            #expect(search.query.removingPercentEncoding?.contains("Python") == true)
            let conversation = try #require(try conversations(hub, "x:9876543210").first)
            #expect(conversation["tags"] as? [String] == ["listening"])
            let timeline = try hub.cli(["customers", "timeline", "x:9876543210", "--json"])
            let message = try #require(try items(timeline.output).first?["message"] as? [String: Any])
            #expect(message["visibility"] as? String == "public")
            #expect(message["text"] as? String == "Just started learning Python and loving it!")
            // The dispatcher polls every 500 ms: give an acknowledgement time to leave, if one were queued.
            try await Task.sleep(for: .seconds(2))
            #expect(!api.requests.contains { $0.method == "POST" }, "nobody is messaged automatically")
            let messages = try json(try await hub.api("GET", "/conversations/\(conversation["id"] as? String ?? "")"))
            #expect((messages["messages"] as? [[String: Any]])?.count == 1, "no acknowledgement was queued")
            await hub.stop()
        }
    }
}
