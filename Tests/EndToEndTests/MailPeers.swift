import Foundation
import Synchronization

/// The real mail servers of `scripts/peers/mail.sh` (Dovecot IMAP/LMTP and an SMTP peer that
/// spools and relays into Dovecot), started once per test process. A test that needs them fails
/// with the script's output when they cannot start; it never skips.
enum MailPeers {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let state = URL(
        fileURLWithPath: ProcessInfo.processInfo.environment["SWITCHBOARD_PEERS_DIR"] ?? "/tmp/switchboard-peers")
    static var caFile: String { state.appendingPathComponent("tls/cert.pem").path }
    static var spool: URL { state.appendingPathComponent("spool") }

    private static let started = Mutex<Result<Void, E2EError>?>(nil)

    /// Starts the peers if this process has not yet (the script is idempotent).
    static func start() throws {
        try started.withLock { result in
            if result == nil {
                let run = try shell(["bash", repository.appendingPathComponent("scripts/peers/mail.sh").path, "start"])
                result = run.status == 0 ? .success(()) : .failure(E2EError("mail peers did not start:\n\(run.output)"))
            }
            try result?.get()
        }
    }

    /// Delivers `message` (LF or CRLF) into `user`'s `folder` over LMTP, as a customer's mail arrives.
    static func deliver(_ message: String, to user: String, folder: String) throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sb-mail-\(UUID().uuidString).eml")
        try Data(message.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n").utf8)
            .write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let run = try shell([
            "bash", repository.appendingPathComponent("scripts/peers/deliver.sh").path, user, file.path, folder,
        ])
        guard run.status == 0 else { throw E2EError("delivery to \(user)/\(folder) failed: \(run.output)") }
    }

    /// Every message the SMTP peer accepted so far, as text.
    static func spooled() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: spool.path)) ?? []
        return names.filter { $0.hasSuffix(".eml") }.sorted().compactMap {
            try? String(contentsOf: spool.appendingPathComponent($0), encoding: .utf8)
        }
    }

    /// The channel entry for an inbox reading `folder` of `user` on the peers.
    static func channelYAML(
        id: String, user: String, password: String, folder: String, acknowledge: String? = nil
    ) -> String {
        """
          - id: \(id)
            type: email
        \(acknowledge.map { "    acknowledge: \"\($0)\"" } ?? "")
            settings:
              address: \(user)
              display_name: Switchboard Tests
              imap:
                url: imap://127.0.0.1:23143
                tls: starttls
                ca_file: \(caFile)
                username: \(user)
                password: \(password)
                folder: \(folder)
              smtp:
                url: smtp://127.0.0.1:23125
                tls: none
              poll_interval: 200ms
        """
    }

    /// Runs `scripts/peers/<script> <arguments>` (kannel.sh, synapse.sh, ngircd.sh); its output,
    /// or an error with that output when it fails, so a peer that cannot start fails the test.
    @discardableResult
    static func peer(_ script: String, _ arguments: [String]) throws -> String {
        let run = try shell(["bash", repository.appendingPathComponent("scripts/peers/\(script)").path] + arguments)
        guard run.status == 0 else {
            throw E2EError("\(script) \(arguments.joined(separator: " ")) failed:\n\(run.output)")
        }
        return run.output
    }

    static func shell(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("sb-sh-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return (process.terminationStatus, (try? String(contentsOf: output, encoding: .utf8)) ?? "")
    }
}

/// One header of a raw message (unfolded), or nil.
func mailHeader(_ name: String, in message: String) -> String? {
    let head = message.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n").first ?? ""
    var value: String?
    for line in head.components(separatedBy: "\n") {
        if let current = value {
            if line.hasPrefix(" ") || line.hasPrefix("\t") {
                value = current + " " + line.trimmingCharacters(in: .whitespaces)
                continue
            }
            return current
        }
        if line.lowercased().hasPrefix(name.lowercased() + ":") {
            value = String(line.dropFirst(name.count + 1)).trimmingCharacters(in: .whitespaces)
        }
    }
    return value
}
