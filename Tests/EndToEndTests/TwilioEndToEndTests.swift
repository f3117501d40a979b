import Foundation
import SwitchboardAdapterKit
import SwitchboardCurl
import Testing

/// The Twilio channel in a running hub: webhooks signed by Twilio's own RequestValidator, replies
/// through a stand-in for Twilio's REST API, WhatsApp and SMS from one number as one customer.
@Suite(.serialized) struct TwilioEndToEndTests {
    static let accountSID = "AC0123456789abcdef0123456789abcdef"
    static let token = "e2e0123456789abcdef0123456789abc"
    /// The hub sits "behind a proxy": Twilio signs this URL, not the hub's own address.
    static let publicURL = "https://hub.example.test/webhooks/twilio"

    static func channel(api: String) -> String {
        """
          - id: twilio
            type: twilio
            settings:
              account_sid: \(accountSID)
              auth_token: \(token)
              from: "+15005550006"
              whatsapp_from: "whatsapp:+14155238886"
              default_region: US
              public_url: \(publicURL)
              api_base_url: \(api)
        """
    }

    /// `http://127.0.0.1:<port>` of the fake's Messages URL.
    static func base(of url: String) -> String {
        String(url[..<(url.range(of: "/2010-04-01")?.lowerBound ?? url.endIndex)])
    }

    /// A fake of Twilio's Messages API: 201 with a new SID, as the real one answers.
    static func fakeAPI() -> Receiver {
        Receiver(path: "/2010-04-01/Accounts/\(accountSID)/Messages.json") { count in
            (201, #"{"sid": "SM\#(String(format: "%032d", count))", "status": "queued"}"#)
        }
    }

    static func sms(_ sid: String, from: String, body: String, to: String = "+15005550006")
        -> [(name: String, value: String)]
    {
        [
            ("ToCountry", "US"), ("SmsMessageSid", sid), ("NumMedia", "0"), ("SmsSid", sid), ("SmsStatus", "received"),
            ("Body", body), ("To", to), ("NumSegments", "1"), ("MessageSid", sid), ("AccountSid", accountSID),
            ("From", from), ("ApiVersion", "2010-04-01"),
        ]
    }

    func post(_ hub: HubProcess, _ path: String, _ parameters: [(name: String, value: String)], signature: String?)
        async throws -> HTTPClientResponse
    {
        var headers: [(name: String, value: String)] = [("Content-Type", "application/x-www-form-urlencoded")]
        if let signature { headers.append(("X-Twilio-Signature", signature)) }
        return try await hub.client.execute(
            HTTPClientRequest(
                method: "POST", url: hub.baseURL + "/webhooks/twilio" + path, headers: headers,
                body: Array(FormEncoding.encode(parameters).utf8)))
    }

    func customerExists(_ hub: HubProcess, _ address: String) throws -> Bool {
        try hub.cli(["customers", "show", address, "--json"]).status == 0
    }

    /// Acceptance 1: what Twilio's RequestValidator signs is accepted; a changed parameter, URL or
    /// signature is refused with 403 and stores nothing.
    @Test func signaturesAgreeWithTwiliosRequestValidator() async throws {
        try await Self.fakeAPI().run { api in
            let hub = try await HubProcess.start(channelsYAML: Self.channel(api: Self.base(of: api)))
            defer { Task { await hub.stop() } }
            let good: [[(name: String, value: String)]] = [
                Self.sms("SM00000000000000000000000000000a01", from: "+14155550100", body: "Hello é world 👋"),
                Self.sms("SM00000000000000000000000000000a02", from: "+14155550101", body: "a+b=c & d%20e"),
                Self.sms("SM00000000000000000000000000000a03", from: "whatsapp:+14155550102", body: "Hi on WhatsApp")
                    + [("ProfileName", "Dee"), ("WaId", "14155550102")],
                [
                    ("MessageSid", "MM00000000000000000000000000000a04"), ("AccountSid", Self.accountSID),
                    ("From", "+14155550103"), ("To", "+15005550006"), ("Body", ""), ("NumMedia", "2"),
                    (
                        "MediaUrl0",
                        "https://api.twilio.com/2010-04-01/Accounts/\(Self.accountSID)/Messages/MM1/Media/ME1"
                    ),
                    ("MediaContentType0", "image/jpeg"),
                    (
                        "MediaUrl1",
                        "https://api.twilio.com/2010-04-01/Accounts/\(Self.accountSID)/Messages/MM1/Media/ME2"
                    ),
                    ("MediaContentType1", "image/png"),
                ],
            ]
            let url = Self.publicURL + "/sms"
            let signed = try TwilioOracle.sign(token: Self.token, good.map { (url, $0) })
            #expect(signed.allSatisfy { $0.validByTwilio })
            for (parameters, signature) in zip(good, signed) {
                let response = try await post(hub, "/sms", parameters, signature: signature.signature)
                #expect(response.status == 200, "\(response.text)")
                #expect(response.header("Content-Type")?.hasPrefix("text/xml") == true)
            }
            for address in ["tel:+14155550100", "tel:+14155550101", "whatsapp:+14155550102", "tel:+14155550103"] {
                #expect(try customerExists(hub, address), "\(address) was stored")
            }
            let timeline = try hub.cli(["customers", "timeline", "tel:+14155550100", "--json"])
            #expect(try messageTexts(timeline.output) == ["Hello é world 👋"])

            // Each refused request comes from a new number, so "nothing stored" is checkable.
            let victim = Self.sms("SM00000000000000000000000000000b01", from: "+14155550199", body: "Refund me")
            let victimSignature = try TwilioOracle.sign(token: Self.token, [(url, victim)])[0].signature
            var changedBody = victim
            changedBody[5] = ("Body", "Refund me twice")
            let added = victim + [("Extra", "1")]
            let otherURL = try TwilioOracle.sign(token: Self.token, [(hub.baseURL + "/webhooks/twilio/sms", victim)])[0]
            let otherToken = try TwilioOracle.sign(token: "another0123456789abcdef012345678", [(url, victim)])[0]
            let attempts: [(String, [(name: String, value: String)], String?)] = [
                ("a changed parameter", changedBody, victimSignature),
                ("an added parameter", added, victimSignature),
                ("a signature for another URL", victim, otherURL.signature),
                ("a signature under another token", victim, otherToken.signature),
                ("a mangled signature", victim, "x" + victimSignature.dropFirst()),
                ("no signature", victim, nil),
            ]
            for (what, parameters, signature) in attempts {
                let response = try await post(hub, "/sms", parameters, signature: signature)
                #expect(response.status == 403, "\(what): \(response.status) \(response.text)")
                #expect(!response.text.contains(Self.token))
            }
            #expect(!(try customerExists(hub, "tel:+14155550199")), "nothing stored for refused requests")
            // The untouched request is still good: the refusals were about the changes.
            #expect(try await post(hub, "/sms", victim, signature: victimSignature).status == 200)
            #expect(try customerExists(hub, "tel:+14155550199"))
            #expect(!hub.log.contains(Self.token), "the auth token never reaches a log line")
            await hub.stop()
        }
    }

    /// Acceptance 4 (Twilio half): SMS and WhatsApp from one number are one customer, one timeline —
    /// even when WhatsApp reports a Brazilian mobile in its old 8-digit form. A reply leaves on the
    /// channel the customer used, and Twilio's status callbacks mark it delivered.
    @Test func smsAndWhatsAppFromOneNumberAreOneCustomer() async throws {
        let api = Self.fakeAPI()
        try await api.run { apiURL in
            let hub = try await HubProcess.start(channelsYAML: Self.channel(api: Self.base(of: apiURL)))
            defer { Task { await hub.stop() } }
            let url = Self.publicURL + "/sms"
            let sms = Self.sms("SM00000000000000000000000000000c01", from: "+5511987654321", body: "Oi, pedido 42?")
            let whatsapp =
                Self.sms(
                    "SM00000000000000000000000000000c02", from: "whatsapp:+551187654321", body: "Também pelo WhatsApp",
                    to: "whatsapp:+14155238886") + [("ProfileName", "Ana"), ("WaId", "551187654321")]
            let signed = try TwilioOracle.sign(token: Self.token, [(url, sms), (url, whatsapp)])
            #expect(try await post(hub, "/sms", sms, signature: signed[0].signature).status == 200)
            #expect(try await post(hub, "/sms", whatsapp, signature: signed[1].signature).status == 200)

            let show = try hub.cli(["customers", "show", "tel:+5511987654321", "--json"])
            #expect(show.status == 0, "\(show.error)")
            let view = try #require(try jsonObject(show.output) as? [String: Any])
            let identities = (view["identities"] as? [[String: Any]] ?? []).compactMap { $0["address"] as? String }
            #expect(Set(identities) == ["tel:+5511987654321", "whatsapp:+5511987654321"])
            let raw = (view["identities"] as? [[String: Any]] ?? []).compactMap { $0["raw_handle"] as? String }
            #expect(raw == ["whatsapp:+551187654321"], "the number as WhatsApp wrote it is kept")
            let timeline = try hub.cli(["customers", "timeline", "whatsapp:+5511987654321", "--json"])
            #expect(Set(try messageTexts(timeline.output)) == ["Oi, pedido 42?", "Também pelo WhatsApp"])

            // The reply to the WhatsApp conversation leaves through Twilio to the WhatsApp address.
            let conversations = (view["conversations"] as? [[String: Any]] ?? [])
            let whatsappConversation = try #require(
                conversations.first { ($0["customer_address"] as? String)?.hasPrefix("whatsapp:") == true }?["id"]
                    as? String)
            let reply = try await hub.api(
                "POST", "/conversations/\(whatsappConversation)/replies",
                json: #"{"text":"Chega amanhã!","author":"Bo"}"#)
            #expect(reply.status == 202, "\(reply.text)")
            let replyID = try #require(try json(reply)["id"] as? String)
            #expect(try await eventually { api.requests.count == 1 })
            let form = Dictionary(FormEncoding.parse(bytes: api.requests[0].body).map { ($0.name, $0.value) }) { a, _ in
                a
            }
            #expect(form["To"] == "whatsapp:+5511987654321")
            #expect(form["From"] == "whatsapp:+14155238886")
            #expect(form["StatusCallback"] == Self.publicURL + "/status")
            let credentials = Data("\(Self.accountSID):\(Self.token)".utf8).base64EncodedString()
            #expect(api.requests[0].headers["authorization"] == "Basic \(credentials)")
            #expect(try await eventually { try await deliveryStatus(hub, whatsappConversation, replyID) == "sent" })

            let callback: [(name: String, value: String)] = [
                ("AccountSid", Self.accountSID), ("MessageSid", "SM00000000000000000000000000000001"),
                ("MessageStatus", "delivered"), ("SmsSid", "SM00000000000000000000000000000001"),
                ("SmsStatus", "delivered"), ("To", "whatsapp:+5511987654321"), ("From", "whatsapp:+14155238886"),
                ("ApiVersion", "2010-04-01"),
            ]
            let callbackSignature = try TwilioOracle.sign(token: Self.token, [(Self.publicURL + "/status", callback)])
            #expect(try await post(hub, "/status", callback, signature: callbackSignature[0].signature).status == 200)
            #expect(try await deliveryStatus(hub, whatsappConversation, replyID) == "delivered")
            await hub.stop()
        }
    }
}
