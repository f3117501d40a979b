import Foundation
import SwitchboardAdapterKit
import SwitchboardCurl
import Testing

/// The out-of-process path, end to end: a real IRC server (ngircd, `scripts/peers/ngircd.sh`, on
/// 127.0.0.1:26667), the example bridge `Plugins/Bridge/Example/irc_bridge.py` (Python, standard
/// library only) and a hub with a `type: bridge` channel. A customer on IRC writes to the bot; the
/// message reaches the timeline; the agent's reply reaches the customer on IRC. Every body the
/// bridge sent or received is then checked against the protocol's JSON Schemas. Fails, never
/// skips, when ngircd cannot be started.
@Suite(.serialized) struct BridgeEndToEndTests {
    static let bridgePort = 23183
    static let repository = MailPeers.repository
    static let example = repository.appendingPathComponent("Plugins/Bridge/Example")

    static let channelYAML = """
          - id: irc
            type: bridge
            settings:
              secret: ${E2E_SECRET}
              outbound_url: http://127.0.0.1:\(bridgePort)/outbound
              health_url: http://127.0.0.1:\(bridgePort)/health
              health_interval: 1s
              capabilities:
                visibilities: [private, public]
                max_text_length: 2000
        """

    /// A Python program of the example, started with the bridge's secret in its environment only.
    static func python(_ script: String, _ arguments: [String]) throws -> (Process, OutputCapture) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [example.appendingPathComponent(script).path] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["BRIDGE_SECRET"] = HubProcess.secret
        process.environment = environment
        let output = OutputCapture()
        process.standardOutput = output.pipe
        process.standardError = output.errorPipe
        try process.run()
        return (process, output)
    }

    /// Stops a Python program at once (SIGTERM, then SIGKILL), so a failed expectation never leaves
    /// a bridge holding its port for the next run.
    static func stop(_ process: Process) {
        if process.isRunning { process.terminate() }
        for _ in 0..<100 where process.isRunning { usleep(50_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    @Test func aMessageFromIRCReachesTheTimelineAndTheAgentsReplyReachesIRC() async throws {
        try MailPeers.peer("ngircd.sh", ["start"])
        let run = UUID().uuidString.prefix(6).lowercased()
        let bot = "hubbot\(run)"
        let customer = "ana\(run)"
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("sb-irc-bridge-\(run)")
        let record = state.appendingPathComponent("traffic.jsonl").path
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: state) }

        let hub = try await HubProcess.start(channelsYAML: Self.channelYAML)
        defer { Task { await hub.stop() } }
        let (bridge, bridgeLog) = try Self.python(
            "irc_bridge.py",
            [
                "--irc", "127.0.0.1:26667", "--nick", bot, "--channels", "#support-\(run)",
                "--hub", "\(hub.baseURL)/webhooks/irc", "--listen", "127.0.0.1:\(Self.bridgePort)",
                "--state", state.path, "--record", record,
            ])
        defer { Self.stop(bridge) }
        let http = CurlHTTPClient()
        #expect(
            try await eventually(timeout: .seconds(30)) {
                let health = try? await http.execute(
                    HTTPClientRequest(url: "http://127.0.0.1:\(Self.bridgePort)/health", timeout: .seconds(2)))
                return health?.status == 200 && health?.text.contains(#""irc_connected": true"#) == true
            }, "the bridge connected to IRC: \(bridgeLog.text)")

        // (1) A private message to the bot lands in the customer's timeline, once.
        let (ana, anaOutput) = try Self.python(
            "irc_customer.py",
            [
                "--irc", "127.0.0.1:26667", "--nick", customer, "--to", bot, "--say",
                "Hello, is my order 42 on its way?", "--expect", "It ships today, Ana.", "--timeout", "90",
            ])
        defer { Self.stop(ana) }
        let address = "irc:\(customer)"
        #expect(
            try await eventually(timeout: .seconds(30)) {
                try timeline(hub, address, limit: 100).contains {
                    $0["text"] as? String == "Hello, is my order 42 on its way?"
                }
            }, "bridge: \(bridgeLog.text)\nhub: \(hub.log.suffix(2000))")
        let conversation = try #require(try conversations(hub, address).first?["id"] as? String)

        // (2) The agent's reply leaves through the bridge and reaches the customer on IRC; the
        // bridge's status report marks it sent.
        let reply = try hub.cli(["reply", conversation, "--text", "It ships today, Ana.", "--author", "Bo", "--json"])
        #expect(reply.status == 0, "\(reply.error)")
        let replyID = try #require((try jsonObject(reply.output) as? [String: Any])?["id"] as? String)
        #expect(
            try await eventually(timeout: .seconds(60)) { !ana.isRunning },
            "the customer got the reply: \(anaOutput.text)")
        #expect(ana.terminationStatus == 0, "\(anaOutput.text)")
        #expect(anaOutput.text.contains(#""from": "\#(bot)""#) && anaOutput.text.contains("It ships today, Ana."))
        #expect(try await eventually { try await deliveryStatus(hub, conversation, replyID) == "sent" })

        // (3) A public mention in a channel arrives as a public message in the same profile.
        let (mention, mentionOutput) = try Self.python(
            "irc_customer.py",
            [
                "--irc", "127.0.0.1:26667", "--nick", customer, "--to", bot, "--channel", "#support-\(run)",
                "--say", "Thanks, and the invoice?", "--timeout", "30",
            ])
        defer { Self.stop(mention) }
        #expect(
            try await eventually(timeout: .seconds(30)) {
                try timeline(hub, address, limit: 100).contains {
                    $0["text"] as? String == "Thanks, and the invoice?" && $0["visibility"] as? String == "public"
                }
            }, "\(mentionOutput.text)\n\(bridgeLog.text)")

        // (4) The hub's reply, posted again with its Idempotency-Key (a retry after a lost answer),
        // gets the same id from the bridge and is not sent again; a forged post is refused.
        let lines = ((try? String(contentsOfFile: record, encoding: .utf8)) ?? "").split(separator: "\n")
        let entries = lines.compactMap { try? jsonObject(String($0)) as? [String: Any] }
        let outbound = try #require(entries.last { $0["schema"] as? String == "outbound" }?["body"] as? [String: Any])
        let sentID = try #require(
            (entries.last { $0["schema"] as? String == "send-result" }?["body"] as? [String: Any])?["id"] as? String)
        let body = try JSONSerialization.data(withJSONObject: outbound)
        func post(secret: String) async throws -> HTTPClientResponse {
            let timestamp = String(Int(Date().timeIntervalSince1970))
            let signature =
                "sha256=" + IndependentHMAC.sha256Hex(secret: secret, body: Array((timestamp + ".").utf8) + body)
            return try await http.execute(
                HTTPClientRequest(
                    method: "POST", url: "http://127.0.0.1:\(Self.bridgePort)/outbound",
                    headers: [
                        ("Content-Type", "application/json"), ("X-Switchboard-Timestamp", timestamp),
                        ("X-Switchboard-Signature", signature),
                        ("Idempotency-Key", outbound["idempotency_key"] as? String ?? ""),
                    ], body: Array(body)))
        }
        let again = try await post(secret: HubProcess.secret)
        let answered = try json(again)["id"] as? String
        #expect(again.status == 200 && answered == sentID, "\(again.text)")
        #expect(try await post(secret: "not-the-bridge-secret-0123").status == 401)
        #expect(
            bridgeLog.text.components(separatedBy: "reply \(sentID) sent to").count == 2,
            "the bridge sent the reply to IRC once: \(bridgeLog.text)")

        // (5) Every body that crossed the bridge matches the protocol's JSON Schemas.
        let check = try MailPeers.shell([
            TwilioOracle.python, Self.example.appendingPathComponent("check_schemas.py").path, record,
        ])
        #expect(check.status == 0, "\(check.output)")
        let recorded = (try? String(contentsOfFile: record, encoding: .utf8)) ?? ""
        for schema in ["envelopes", "status", "outbound", "send-result", "hub-answer"] {
            #expect(recorded.contains(#""schema": "\#(schema)""#), "traffic of \(schema) was recorded and checked")
        }
        #expect(!bridgeLog.text.contains(HubProcess.secret) && !hub.log.contains(HubProcess.secret))
        Self.stop(bridge)
        await hub.stop()
    }
}
