import Foundation

/// Twilio's own `RequestValidator` (twilio-python 9.13, in the venv `scripts/peers/oracles.sh`
/// makes), run through `scripts/twilio-sign.py`: the tests sign their requests with it, so the
/// hub's signature check is tested against Twilio's implementation rather than against itself.
enum TwilioOracle {
    struct Signed {
        var signature: String
        var validByTwilio: Bool
    }

    static var python: String {
        let state = ProcessInfo.processInfo.environment["SWITCHBOARD_PEERS_DIR"] ?? "/tmp/switchboard-peers"
        return state + "/venv-oracles/bin/python3"
    }

    static var script: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/twilio-sign.py").path
    }

    /// Signs each (url, parameters) with `token`.
    static func sign(token: String, _ requests: [(url: String, parameters: [(name: String, value: String)])]) throws
        -> [Signed]
    {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw E2EError("the Twilio oracle is not installed (\(python)); run scripts/peers/oracles.sh")
        }
        let input = try requests.map { request in
            let object: [String: Any] = ["url": request.url, "params": request.parameters.map { [$0.name, $0.value] }]
            return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        }.joined(separator: "\n")
        let directory = FileManager.default.temporaryDirectory
        let inURL = directory.appendingPathComponent("twilio-\(UUID().uuidString).in")
        let outURL = directory.appendingPathComponent("twilio-\(UUID().uuidString).out")
        try input.write(to: inURL, atomically: true, encoding: .utf8)
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: inURL)
            try? FileManager.default.removeItem(at: outURL)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, token]
        process.standardInput = try FileHandle(forReadingFrom: inURL)
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw E2EError("twilio-sign.py failed (\(process.terminationStatus))")
        }
        let lines = try String(contentsOf: outURL, encoding: .utf8).split(separator: "\n")
        let signed = try lines.map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let signature = object["signature"] as? String
            else { throw E2EError("twilio-sign.py printed \(line)") }
            return Signed(signature: signature, validByTwilio: object["valid"] as? Bool ?? false)
        }
        guard signed.count == requests.count else {
            throw E2EError("twilio-sign.py signed \(signed.count) of \(requests.count)")
        }
        return signed
    }
}
