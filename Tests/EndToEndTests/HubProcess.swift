import Foundation
import SwitchboardAdapterKit
import SwitchboardCurl
import Synchronization

/// A `switchboard` binary started for one test: its own temporary directory, config and SQLite
/// file, listening on a free port on 127.0.0.1. Stopped (SIGTERM, then SIGKILL) by `stop()`.
final class HubProcess: Sendable {
    static let apiToken = "e2e-token-0123456789abcdef"
    static let secret = "e2e-webhook-secret-0123456789"

    let directory: URL
    let configPath: String
    let port: Int
    private let process: Process
    private let output: OutputCapture

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// The built binary: `$SWITCHBOARD_BINARY`, or `switchboard` beside the test bundle.
    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["SWITCHBOARD_BINARY"] { return path }
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("switchboard").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/switchboard").path
    }

    /// Writes a config with one webhook channel `shop` (replies to `outboundURL`) plus `channelsYAML`
    /// (more `channels:` entries, indented by two spaces) and starts the hub. With `directory`, the
    /// hub reuses that directory's database (a restart).
    static func start(
        outboundURL: String? = nil, extraYAML: String = "", channelsYAML: String = "", directory reused: URL? = nil,
        port fixedPort: Int = 0, storageYAML: String? = nil
    ) async throws -> HubProcess {
        let directory =
            reused ?? FileManager.default.temporaryDirectory.appendingPathComponent("sb-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = """
            server:
              host: 127.0.0.1
              port: \(fixedPort)
              api_token: ${E2E_API_TOKEN}
            storage:
            \(storageYAML ?? "  sqlite:\n    path: \(directory.path)/hub.sqlite")
            outbox:
              base_delay: 200ms
              max_delay: 1s
            \(extraYAML)
            channels:
              - id: shop
                type: webhook
                settings:
                  secret: ${E2E_SECRET}
            \(outboundURL.map { "      outbound_url: \($0)" } ?? "")
            \(channelsYAML)
            """
        let configPath = directory.appendingPathComponent("switchboard.yaml").path
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", "--config", configPath]
        process.environment = environment
        let output = OutputCapture()
        process.standardOutput = output.pipe
        process.standardError = output.errorPipe
        try process.run()
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let port = output.listeningPort() {
                return HubProcess(
                    directory: directory, configPath: configPath, port: port, process: process, output: output)
            }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.terminate()
        throw E2EError("the hub did not start: \(output.text)")
    }

    static var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["E2E_API_TOKEN"] = apiToken
        environment["E2E_SECRET"] = secret
        return environment
    }

    private init(directory: URL, configPath: String, port: Int, process: Process, output: OutputCapture) {
        self.directory = directory
        self.configPath = configPath
        self.port = port
        self.process = process
        self.output = output
    }

    /// Stops the hub; unless `keepingData`, removes its directory and database.
    func stop(keepingData: Bool = false) async {
        if process.isRunning { process.terminate() }
        for _ in 0..<100 where process.isRunning { try? await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        if !keepingData { try? FileManager.default.removeItem(at: directory) }
    }

    /// Kills the hub with SIGKILL (a crash: nothing is given back), keeping its directory.
    func crash() async {
        Glibc.kill(process.processIdentifier, SIGKILL)
        for _ in 0..<100 where process.isRunning { try? await Task.sleep(for: .milliseconds(50)) }
    }

    /// Everything the hub printed so far.
    var log: String { output.text }

    // MARK: HTTP

    let client = CurlHTTPClient()

    /// Posts `body` to a webhook path, signed with `secret` unless `signature` overrides it.
    func postWebhook(_ path: String, body: String, signature: String? = nil, contentType: String = "application/json")
        async throws -> HTTPClientResponse
    {
        let bytes = Array(body.utf8)
        var headers = [(name: "Content-Type", value: contentType)]
        let sig = signature ?? "sha256=" + IndependentHMAC.sha256Hex(secret: Self.secret, body: bytes)
        if !sig.isEmpty { headers.append((WebhookHeader.signature, sig)) }
        return try await client.execute(
            HTTPClientRequest(method: "POST", url: baseURL + path, headers: headers, body: bytes))
    }

    func api(_ method: String, _ path: String, json: String? = nil, token: String? = HubProcess.apiToken) async throws
        -> HTTPClientResponse
    {
        var headers: [(name: String, value: String)] = [("Content-Type", "application/json")]
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        return try await client.execute(
            HTTPClientRequest(
                method: method, url: baseURL + "/api/v1" + path, headers: headers, body: Array((json ?? "").utf8)))
    }

    /// Runs a CLI command against this hub's config; returns exit status and stdout.
    func cli(_ arguments: [String], input: String? = nil) throws -> (status: Int32, output: String, error: String) {
        try runBinary(arguments + ["--config", configPath], input: input)
    }
}

enum WebhookHeader {
    static let signature = "X-Switchboard-Signature"
}

/// ``runBinary(_:environment:)`` without blocking a thread of Swift's cooperative pool while it
/// runs: for commands that take long (`generate`, `migrate-store`). On 2 cores the pool has 2
/// threads, and a test that blocks one for a minute starves every other test.
func runBinaryAsync(_ arguments: [String], environment: [String: String] = HubProcess.environment) async throws
    -> (status: Int32, output: String, error: String)
{
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(with: Result { try runBinary(arguments, environment: environment) })
        }
    }
}

/// Runs the binary to completion; output goes through files, so a large output cannot block it.
func runBinary(_ arguments: [String], environment: [String: String] = HubProcess.environment, input: String? = nil)
    throws -> (status: Int32, output: String, error: String)
{
    let directory = FileManager.default.temporaryDirectory
    let outURL = directory.appendingPathComponent("sb-cli-\(UUID().uuidString).out")
    let errURL = directory.appendingPathComponent("sb-cli-\(UUID().uuidString).err")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    defer {
        try? FileManager.default.removeItem(at: outURL)
        try? FileManager.default.removeItem(at: errURL)
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: HubProcess.binary)
    process.arguments = arguments
    process.environment = environment
    process.standardOutput = try FileHandle(forWritingTo: outURL)
    process.standardError = try FileHandle(forWritingTo: errURL)
    let inputURL = directory.appendingPathComponent("sb-cli-\(UUID().uuidString).in")
    if let input {
        _ = FileManager.default.createFile(atPath: inputURL.path, contents: Data(input.utf8))
        process.standardInput = try FileHandle(forReadingFrom: inputURL)
    }
    defer { try? FileManager.default.removeItem(at: inputURL) }
    try process.run()
    process.waitUntilExit()
    let out = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
    let err = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
    return (process.terminationStatus, out, err)
}

/// Collects a child's stdout and stderr as they arrive.
final class OutputCapture: Sendable {
    let pipe = Pipe()
    let errorPipe = Pipe()
    private let buffer = Mutex("")

    init() {
        for handle in [pipe.fileHandleForReading, errorPipe.fileHandleForReading] {
            handle.readabilityHandler = { [weak self] handle in
                let data = handle.availableData
                self?.buffer.withLock { $0 += String(decoding: data, as: UTF8.self) }
            }
        }
    }

    var text: String { buffer.withLock { $0 } }

    func listeningPort() -> Int? {
        let text = self.text
        guard let range = text.range(of: "switchboard listening on http://127.0.0.1:") else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }
}

struct E2EError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Parses a JSON object response.
func json(_ response: HTTPClientResponse) throws -> [String: Any] {
    guard let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
        throw E2EError("not a JSON object: \(response.text)")
    }
    return object
}

func jsonArray(_ response: HTTPClientResponse) throws -> [[String: Any]] {
    guard let array = try JSONSerialization.jsonObject(with: Data(response.body)) as? [[String: Any]] else {
        throw E2EError("not a JSON array: \(response.text)")
    }
    return array
}

func jsonObject(_ text: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(text.utf8))
}

/// Polls `condition` until it holds or `timeout` passes (used to wait for background work, never to
/// measure speed).
func eventually(timeout: Duration = .seconds(20), _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(100))
    }
    return try await condition()
}

/// Starts a hub, runs `body` with it, and stops it whatever happens.
func withHub<T>(outboundURL: String? = nil, _ body: (HubProcess) async throws -> T) async throws -> T {
    let hub = try await HubProcess.start(outboundURL: outboundURL)
    do {
        let result = try await body(hub)
        await hub.stop()
        return result
    } catch {
        await hub.stop()
        throw error
    }
}
