import Foundation
import SwitchboardAdapterKit
import Testing

/// Acceptance 5, through the binary: every problem with file and line, and a non-zero exit;
/// `serve` refuses such a config.
struct ConfigCheckTests {
    static let broken = """
        server:
          host: 127.0.0.1
          prot: 8080
        storage:
          sqlite:
            path: /tmp/never-created.sqlite
        channels:
          - id: shop
            type: webhook
            settings:
              secret: ${SB_E2E_UNSET_SECRET}
          - id: sms
            type: twillio
        """

    @Test func configCheckReportsEveryProblemWithFileAndLine() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sb-broken-\(UUID().uuidString).yaml")
            .path
        try Self.broken.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var environment = HubProcess.environment
        environment.removeValue(forKey: "SB_E2E_UNSET_SECRET")

        let check = try runBinary(["config", "check", path], environment: environment)
        #expect(check.status == 2)
        let lines = check.output.split(separator: "\n").map(String.init)
        #expect(lines.contains("\(path):3: server.prot: unknown key 'prot'; did you mean 'port'?"))
        #expect(
            lines.contains(
                "\(path):11: channels[0].settings.secret: environment variable SB_E2E_UNSET_SECRET is not set; export it before starting the hub"
            ))
        #expect(
            lines.contains(
                "\(path):13: channels[1].type: unknown channel type 'twillio' (did you mean 'twilio'?); known types: "
                    + "bridge, email, instagram, kannel, matrix, messenger, sms-http, telegram, twilio, webchat, webhook, whatsapp, x"
            ))
        #expect(lines.last == "3 problem(s)")

        let serve = try runBinary(["serve", "--config", path], environment: environment)
        #expect(serve.status == 2)
        #expect(serve.error.contains("\(path):13: channels[1].type"))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never-created.sqlite"))
    }
}
