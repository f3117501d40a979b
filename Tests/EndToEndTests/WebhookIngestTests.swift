import Foundation
import SwitchboardAdapterKit
import SwitchboardCurl
import Testing

/// Acceptance 1 and 2 of the spine issue, against the built binary over HTTP.
@Suite(.serialized)
struct WebhookIngestTests {
    @Test func healthAnswersAndSignedWebhookIsStoredOnceAndBadRequestsStoreNothing() async throws {
        try await withHub { hub in try await ingestScenario(hub) }
    }

    func ingestScenario(_ hub: HubProcess) async throws {
        let health = try await hub.client.execute(.init(url: hub.baseURL + "/health"))
        #expect(health.status == 200)
        #expect(try json(health)["status"] as? String == "ok")

        let body =
            #"{"id":"order-7-1","from":"email:Ana@Example.COM","name":"Ana Lima","subject":"Order 7","text":"Where is my order?","thread":"order-7"}"#
        let first = try await hub.postWebhook("/webhooks/shop/inbound", body: body)
        #expect(first.status == 200, "\(first.text)")
        let stored = try #require((try json(first)["results"] as? [[String: Any]])?.first)
        #expect(stored["result"] as? String == "stored")
        let customerID = try #require(stored["customer_id"] as? String)

        let again = try await hub.postWebhook("/webhooks/shop/inbound", body: body)
        #expect(again.status == 200)
        #expect((try json(again)["results"] as? [[String: Any]])?.first?["result"] as? String == "duplicate")

        // A different message that must not be stored: no signature, a wrong one, a malformed body.
        let other = #"{"id":"x-1","from":"email:eve@example.com","text":"hi"}"#
        let unsigned = try await hub.postWebhook("/webhooks/shop/inbound", body: other, signature: "")
        #expect(unsigned.status == 401)
        #expect(unsigned.text.contains("missing X-Switchboard-Signature"))
        let wrong = try await hub.postWebhook(
            "/webhooks/shop/inbound", body: other, signature: "sha256=" + String(repeating: "0", count: 64))
        #expect(wrong.status == 401)
        let tampered = try await hub.postWebhook(
            "/webhooks/shop/inbound", body: other.replacingOccurrences(of: "hi", with: "ho"),
            signature: "sha256=" + hmac(other))
        #expect(tampered.status == 401)
        let truncated = try await hub.postWebhook("/webhooks/shop/inbound", body: #"{"id":"x-2","from":"#)
        #expect(truncated.status == 400)
        #expect(try json(truncated)["error"] as? String == "the body is not valid JSON")
        let noFrom = try await hub.postWebhook("/webhooks/shop/inbound", body: #"{"id":"x-3","text":"hi"}"#)
        #expect(noFrom.status == 400)
        #expect(try json(noFrom)["error"] as? String == "'from' is required")
        let badAddress = try await hub.postWebhook(
            "/webhooks/shop/inbound", body: #"{"id":"x-4","from":"email:nobody","text":"hi"}"#)
        #expect(badAddress.status == 400)
        #expect((try json(badAddress)["error"] as? String)?.contains("'@'") == true)
        let notJSON = try await hub.postWebhook(
            "/webhooks/shop/inbound", body: "id=x-5", contentType: "application/x-www-form-urlencoded")
        #expect(notJSON.status == 415)

        // Exactly one customer, one conversation, one message.
        let customers = try json(try await hub.api("GET", "/customers"))
        let items = try #require(customers["items"] as? [[String: Any]])
        #expect(items.count == 1)
        #expect(items.first?["id"] as? String == customerID)
        let detail = try json(try await hub.api("GET", "/customers/\(customerID)"))
        #expect((detail["conversations"] as? [[String: Any]])?.count == 1)
        #expect((detail["identities"] as? [[String: Any]])?.first?["address"] as? String == "email:Ana@example.com")
        let timeline = try json(try await hub.api("GET", "/customers/\(customerID)/timeline"))
        let entries = try #require(timeline["items"] as? [[String: Any]])
        #expect(entries.count == 1)
        let message = try #require(entries.first?["message"] as? [String: Any])
        #expect(message["text"] as? String == "Where is my order?")
        #expect(message["subject"] as? String == "Order 7")
        // The inbox lists it among the open conversations, not the resolved ones.
        let inbox = try json(try await hub.api("GET", "/conversations?status=open,pending"))
        let listed = try #require(inbox["items"] as? [[String: Any]])
        #expect(listed.map { $0["customer_id"] as? String } == [customerID])
        let resolved = try json(try await hub.api("GET", "/conversations?status=resolved&channel=shop"))
        #expect((resolved["items"] as? [[String: Any]])?.isEmpty == true)
        // The reply checklist knows the customer's name from the profile.
        let conversationID = try #require(listed.first?["id"] as? String)
        let check = try json(
            try await hub.api(
                "POST", "/conversations/\(conversationID)/reply-check",
                json: #"{"text":"Hello,\nunfortunately it is late.","author":"Bo Berg"}"#))
        let findings = try #require(check["findings"] as? [[String: Any]])
        #expect(findings.compactMap { $0["rule"] as? String } == ["customer_name", "signature", "negative_phrase"])
        #expect((findings.first?["message"] as? String)?.contains("Ana") == true)
        let badStatus = try await hub.api("GET", "/conversations?status=closed")
        #expect(badStatus.status == 400)
        #expect((try json(badStatus)["error"] as? String)?.contains("open, pending, snoozed, resolved") == true)
        #expect(!hub.log.contains(HubProcess.secret))
    }

    @Test func apiRequiresTheToken() async throws {
        let statuses = try await withHub { hub in
            [
                try await hub.api("GET", "/customers", token: nil).status,
                try await hub.api("GET", "/customers", token: "not-the-token-at-all").status,
                try await hub.api("GET", "/customers").status,
                try await hub.api("GET", "/customers/cus_nope").status,
                try await hub.api("GET", "/customers?limit=0").status,
            ]
        }
        #expect(statuses == [401, 401, 200, 404, 400])
    }

    /// Issue 6, acceptance 4 (the API part): users' tokens, hashed in the store; an agent's token
    /// gets 403 on admin routes; a revoked token is refused.
    @Test func agentsAndAdminsHaveTheirOwnTokensAndAgentsCannotManageUsers() async throws {
        try await withHub { hub in
            let added = try hub.cli(["users", "add", "Ana Admin", "--role", "admin", "--json"])
            #expect(added.status == 0, "\(added.error)")
            let admin = try #require(try JSONSerialization.jsonObject(with: Data(added.output.utf8)) as? [String: Any])
            let adminToken = try #require(admin["token"] as? String)
            #expect(try hub.cli(["users", "add", "Ana Admin"]).status == 1, "a name is taken once")

            let created = try await hub.api(
                "POST", "/users", json: #"{"name":"Bo Agent","role":"agent"}"#, token: adminToken)
            #expect(created.status == 201, "\(created.text)")
            let agentToken = try #require(try json(created)["token"] as? String)

            #expect(try await hub.api("GET", "/customers", token: agentToken).status == 200)
            #expect(try await hub.api("GET", "/conversations", token: agentToken).status == 200)
            let forbidden = try await hub.api("GET", "/users", token: agentToken)
            #expect(forbidden.status == 403)
            #expect(try json(forbidden)["error"] as? String == "this needs an admin; Bo Agent is an agent")
            #expect(try await hub.api("POST", "/users", json: #"{"name":"Eve"}"#, token: agentToken).status == 403)
            #expect(try await hub.api("GET", "/users", token: adminToken).status == 200)
            #expect(try await hub.api("GET", "/users").status == 200, "server.api_token acts as an admin")

            // Revoked: refused at once. The token itself is nowhere in the store or the log.
            let users = try #require(
                try JSONSerialization.jsonObject(with: Data(try hub.cli(["users", "list", "--json"]).output.utf8))
                    as? [[String: Any]])
            #expect(users.compactMap { $0["name"] as? String } == ["Ana Admin", "Bo Agent"])
            let issued = try await hub.api(
                "POST", "/users/\(users[1]["id"] as? String ?? "")/tokens", token: adminToken)
            #expect(issued.status == 201)
            let record = try #require(try json(issued)["record"] as? [String: Any])
            let revoke = try hub.cli(["users", "revoke", record["id"] as? String ?? ""])
            #expect(revoke.status == 0, "\(revoke.error)")
            let revokedToken = try #require(try json(issued)["token"] as? String)
            let refused = try await hub.api("GET", "/customers", token: revokedToken)
            #expect(refused.status == 401)
            #expect(try json(refused)["error"] as? String == "the token is unknown or revoked")
            #expect(!hub.log.contains(agentToken) && !hub.log.contains(adminToken))
            // The database, its WAL and the config's directory: no token in clear anywhere.
            let files = try FileManager.default.contentsOfDirectory(atPath: hub.directory.path)
            #expect(files.contains("hub.sqlite"))
            for file in files where !file.hasSuffix("blobs") {
                let bytes = try Data(contentsOf: hub.directory.appendingPathComponent(file))
                #expect(bytes.range(of: Data(agentToken.utf8)) == nil, "\(file)")
                #expect(bytes.range(of: Data(adminToken.utf8)) == nil, "\(file)")
            }
        }
    }

    @Test func theOpenAPIDocumentIsServedWithoutAToken() async throws {
        let document = try await withHub { hub in try await hub.api("GET", "/openapi.yaml", token: nil) }
        #expect(document.status == 200)
        #expect(document.text.hasPrefix("openapi: 3.0.3"))
        #expect(document.text.contains("/api/v1/conversations/{id}/replies:"))
    }
}

func hmac(_ body: String) -> String {
    IndependentHMAC.sha256Hex(secret: HubProcess.secret, body: Array(body.utf8))
}
