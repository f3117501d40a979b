import Foundation
import SwitchboardAdapterKit

/// The real mail servers that `scripts/peers/mail.sh` runs on 127.0.0.1 (Dovecot IMAP, IMAPS and
/// LMTP; two aiosmtpd SMTP peers relaying to Dovecot), as tests use them.
///
/// Call `try await MailPeers.start()` first in every test that needs them: the script runs once
/// per test process (it installs what is missing, and is a no-op when the peers already run) and a
/// failure throws with the script's output, so the test fails rather than skips. The peers stay up
/// after the tests; `scripts/peers/mail.sh stop` stops them.
///
/// Tests run in parallel against the same peers, again and again: give each its own folder
/// (``uniqueFolder(_:)``; `user+folder@example.test` delivers into it) and its own Message-IDs.
///
/// Self-contained (Foundation and SwitchboardAdapterKit only), so other test targets can copy it.
enum MailPeers {
    static let host = "127.0.0.1"
    static let imapPort = 23143
    static let imapsPort = 23993
    static let lmtpPort = 23124
    /// Plain SMTP, no AUTH; spools to ``spoolDirectory``.
    static let smtpPort = 23125
    /// SMTP with STARTTLS and AUTH (support@example.test); spools to ``tlsSpoolDirectory``.
    static let smtpTLSPort = 23126
    /// The users `mail.sh` creates: each one's password is the user name plus `pass`.
    static let users = ["alice", "bob", "support", "sales"]

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }
    static var script: String { repositoryRoot.appendingPathComponent("scripts/peers/mail.sh").path }
    static var deliverScript: String { repositoryRoot.appendingPathComponent("scripts/peers/deliver.sh").path }
    static var stateDirectory: String {
        ProcessInfo.processInfo.environment["SWITCHBOARD_PEERS_DIR"] ?? "/tmp/switchboard-peers"
    }
    /// The self-signed certificate of every TLS port (for `caFile`).
    static var caFile: String { stateDirectory + "/tls/cert.pem" }
    static var spoolDirectory: String { stateDirectory + "/spool" }
    static var tlsSpoolDirectory: String { stateDirectory + "/spool-tls" }

    static func address(_ user: String, folder: String? = nil) -> String {
        folder.map { "\(user)+\($0)@example.test" } ?? "\(user)@example.test"
    }
    static func password(_ user: String) -> String { user + "pass" }

    /// Starts the peers once for this process; throws with the script's output if they cannot start.
    static func start() async throws {
        try await startup.value
    }

    private static let startup = Task<Void, any Error> {
        let result = try await run("/bin/bash", [script, "start"])
        guard result.status == 0 else {
            throw PeerError("scripts/peers/mail.sh start failed (exit \(result.status)):\n\(result.output)")
        }
    }

    /// A folder name no other test uses: `user+<name>@example.test` delivers into it.
    static func uniqueFolder(_ prefix: String = "t") -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// A Message-ID no other test uses, without the angle brackets.
    static func uniqueMessageID() -> String { "\(UUID().uuidString.lowercased())@tests.example.test" }

    /// The mailbox of `user` (`alice`) on the peers. `.implicit` uses IMAPS, the others IMAP.
    static func mailbox(
        _ user: String, folder: String, tls: MailTLS = .none, password: String? = nil, caFile: String? = nil,
        timeout: Duration = .seconds(20)
    ) -> IMAPMailbox {
        let url = tls == .implicit ? "imaps://\(host):\(imapsPort)" : "imap://\(host):\(imapPort)"
        return IMAPMailbox(
            serverURL: url, folder: folder, username: address(user), password: password ?? Self.password(user),
            tls: tls, caFile: caFile, timeout: timeout)
    }

    /// A small message with CRLF line ends.
    static func message(
        messageID: String, from: String = "Customer <customer@example.org>", to: String = "alice@example.test",
        subject: String = "Test", body: String = "Hello from a test.\r\n"
    ) -> [UInt8] {
        let text =
            "From: \(from)\r\nTo: \(to)\r\nSubject: \(subject)\r\nMessage-ID: <\(messageID)>\r\n"
            + "Date: Mon, 23 Nov 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=UTF-8\r\n\r\n\(body)"
        return Array(text.utf8)
    }

    /// Puts `message` straight into `user`'s `folder` (created if missing; any name) through
    /// `scripts/peers/deliver.sh`, as if a customer's mail had arrived.
    static func deliver(_ message: [UInt8], to user: String, folder: String? = nil) async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sb-mail-\(UUID().uuidString).eml")
        try Data(message).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try await run(
            "/bin/bash", [deliverScript, address(user), file.path] + (folder.map { [$0] } ?? []))
        guard result.status == 0 else {
            throw PeerError("deliver.sh \(address(user)) failed (exit \(result.status)):\n\(result.output)")
        }
    }

    /// Puts every message, in order, into `user`'s `folder` over one LMTP connection: many mails
    /// in a second or two, where ``deliver(_:to:folder:)`` starts a process per mail.
    static func deliverAll(_ messages: [[UInt8]], to user: String, folder: String) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-mails-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (index, message) in messages.enumerated() {
            let name = String(repeating: "0", count: max(0, 8 - String(index).count)) + "\(index).eml"
            try Data(message).write(to: directory.appendingPathComponent(name))
        }
        let result = try await run("/bin/bash", [deliverScript, address(user), directory.path, folder])
        guard result.status == 0 else {
            throw PeerError("deliver.sh \(address(user)) failed (exit \(result.status)):\n\(result.output)")
        }
    }

    /// The spooled copy (`X-Test-Mail-From`, `X-Test-Rcpt-To`, then the message as received) of
    /// the message with this Message-ID that an SMTP peer accepted; waits up to `timeout`.
    static func spooled(
        messageID: String, in directory: String = spoolDirectory, timeout: Duration = .seconds(10)
    ) async throws -> [UInt8] {
        let needle = Array("<\(messageID)>".utf8)
        let deadline = ContinuousClock.now + timeout
        repeat {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            for name in names where name.hasSuffix(".eml") && !name.hasPrefix(".") {
                guard let data = FileManager.default.contents(atPath: directory + "/" + name) else { continue }
                let bytes = [UInt8](data)
                if bytes.firstRange(of: needle) != nil { return bytes }
            }
            try await Task.sleep(for: .milliseconds(100))
        } while ContinuousClock.now < deadline
        throw PeerError("no message with Message-ID <\(messageID)> in \(directory)")
    }

    struct ProcessResult: Sendable {
        var status: Int32
        var output: String
    }

    /// Runs a program to its end without blocking a cooperative thread; stdout and stderr together.
    static func run(_ executable: String, _ arguments: [String]) async throws -> ProcessResult {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("sb-peers-\(UUID().uuidString).log")
        guard FileManager.default.createFile(atPath: log.path, contents: nil) else {
            throw PeerError("cannot create \(log.path)")
        }
        defer { try? FileManager.default.removeItem(at: log) }
        let output = try FileHandle(forWritingTo: log)
        defer { try? output.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        // Keep `process` alive until its termination handler has run.
        withExtendedLifetime(process) {}
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return ProcessResult(status: status, output: text)
    }
}

/// A mail peer could not be started or used.
struct PeerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
