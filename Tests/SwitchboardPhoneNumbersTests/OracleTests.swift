import Foundation
import SwitchboardPhoneNumbers
import Testing

/// Compares `PhoneNumber(parsing:defaultRegion:)` with Google's libphonenumber (the Python
/// `phonenumbers` package, pinned by scripts/peers/oracles.sh) on the test set that
/// scripts/phone-oracle.py generates. Every disagreement fails the test unless it is listed, with a
/// justification, in KnownDisagreements.json next to this file; a listed one that no longer occurs
/// fails it too, so the list stays true.
@Suite struct OracleTests {
    /// One line of the oracle's output.
    struct OracleCase: Decodable {
        let raw: String
        let region: String?
        let e164: String?
        let error: String?
        let kind: String?
    }

    /// One entry of KnownDisagreements.json.
    struct KnownDisagreement: Decodable {
        let raw: String
        let region: String?
        let ours: String
        let oracle: String
        let justification: String
    }

    struct Version: Decodable { let version: String }

    static let setupHint = "run scripts/peers/oracles.sh"

    @Test func agreesWithLibphonenumberOnTheGeneratedSet() throws {
        let started = ContinuousClock.now
        let root = try #require(
            TestPaths.repositoryRoot(), "no scripts/phone-oracle.py above \(#filePath)")
        let output = try runOracle(root: root)
        var lines = output.split(separator: "\n").map { Data($0.utf8) }
        let header = try #require(lines.first, "the oracle printed nothing; \(Self.setupHint)")
        lines.removeFirst()
        let decoder = JSONDecoder()
        let version = try decoder.decode(Version.self, from: header).version
        #expect(
            version == PhoneRegions.metadataVersion,
            """
            the oracle runs phonenumbers \(version) but the metadata was generated from \
            \(PhoneRegions.metadataVersion): \(Self.setupHint), or regenerate with scripts/phone-metadata.py
            """)
        let cases = try lines.map { try decoder.decode(OracleCase.self, from: $0) }
        #expect(cases.count >= 2000, "only \(cases.count) cases")

        let known = try Self.knownDisagreements()
        var unlisted: [String] = []
        var occurred = Set<[UInt32]>()
        for oracleCase in cases {
            let ours = Self.ours(oracleCase.raw, oracleCase.region)
            let theirs = oracleCase.e164 ?? "error:\(oracleCase.error ?? "?")"
            guard !Self.agree(ours: ours, oracle: oracleCase) else { continue }
            let key = Self.key(oracleCase.raw, oracleCase.region)
            if let entry = known[key], entry.ours == ours, entry.oracle == theirs {
                occurred.insert(key)
                continue
            }
            unlisted.append(
                "raw \(Self.show(oracleCase.raw)) region \(oracleCase.region ?? "nil") [\(oracleCase.kind ?? "")]: "
                    + "ours \(ours), oracle \(theirs)")
        }
        let stale = known.filter { !occurred.contains($0.key) }.values
            .map { "raw \(Self.show($0.raw)) region \($0.region ?? "nil")" }.sorted()
        let report = unlisted.joined(separator: "\n")
        #expect(
            unlisted.count == 0, "\(unlisted.count) of \(cases.count) cases disagree with libphonenumber:\n\(report)")
        #expect(stale.count == 0, "listed in KnownDisagreements.json but no longer disagreeing: \(stale)")
        let elapsed = ContinuousClock.now - started
        print(
            "oracle: \(cases.count) cases, \(occurred.count) listed disagreements, \(unlisted.count) unlisted, "
                + "\(elapsed.formatted(.units(allowed: [.seconds, .milliseconds])))")
    }

    /// Our reading: the E.164 text, or "error:" and the reason.
    static func ours(_ raw: String, _ region: String?) -> String {
        do {
            return try PhoneNumber(parsing: raw, defaultRegion: region).e164
        } catch {
            return "error:\(error.reason.rawValue)"
        }
    }

    /// Whether our reading is libphonenumber's (missingRegion is its INVALID_COUNTRY_CODE; both of
    /// its "too short" errors are our tooShort).
    static func agree(ours: String, oracle: OracleCase) -> Bool {
        if let e164 = oracle.e164 { return ours == e164 }
        switch oracle.error {
        case "NOT_A_NUMBER": return ours == "error:notANumber"
        case "INVALID_COUNTRY_CODE": return ours == "error:invalidCountryCode" || ours == "error:missingRegion"
        case "TOO_SHORT_NSN", "TOO_SHORT_AFTER_IDD": return ours == "error:tooShort"
        case "TOO_LONG": return ours == "error:tooLong"
        default: return false
        }
    }

    /// A key by Unicode scalars: `String` equality would take canonically equivalent inputs
    /// (precomposed and decomposed accents) for one.
    static func key(_ raw: String, _ region: String?) -> [UInt32] {
        raw.unicodeScalars.map(\.value) + [UInt32.max] + (region.map { $0.unicodeScalars.map(\.value) } ?? [UInt32.max])
    }

    /// The raw input with control characters made visible.
    static func show(_ raw: String) -> String {
        let data = (try? JSONEncoder().encode(raw)) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    static func knownDisagreements() throws -> [[UInt32]: KnownDisagreement] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("KnownDisagreements.json")
        let entries = try JSONDecoder().decode([KnownDisagreement].self, from: Data(contentsOf: url))
        for entry in entries {
            #expect(!entry.justification.isEmpty, "KnownDisagreements.json: \(entry.raw) has no justification")
        }
        return Dictionary(entries.map { (key($0.raw, $0.region), $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Runs `<venv>/bin/python3 scripts/phone-oracle.py` and returns what it printed.
    func runOracle(root: URL) throws -> String {
        let python = TestPaths.oracleVenv().appendingPathComponent("bin/python3")
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            Issue.record("no Python at \(python.path): \(Self.setupHint)")
            throw OracleUnavailable()
        }
        let process = Process()
        process.executableURL = python
        process.arguments = [root.appendingPathComponent("scripts/phone-oracle.py").path]
        // A deeper, still reproducible run: SWITCHBOARD_PHONE_ORACLE_RANDOM=100000 adds random cases.
        if let random = ProcessInfo.processInfo.environment["SWITCHBOARD_PHONE_ORACLE_RANDOM"], Int(random) != nil {
            process.arguments?.append(contentsOf: ["--random", random])
        }
        process.currentDirectoryURL = root
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            Issue.record(
                """
                scripts/phone-oracle.py exited with \(process.terminationStatus) (\(Self.setupHint)):
                \(String(decoding: errors, as: UTF8.self))
                """)
            throw OracleUnavailable()
        }
        return String(decoding: output, as: UTF8.self)
    }

    struct OracleUnavailable: Error {}
}

/// Where the repository and the oracle venv are.
enum TestPaths {
    /// The directory holding scripts/phone-oracle.py, found by walking up from this file (through
    /// the real path, so a package that links the test folder in still finds the repository).
    static func repositoryRoot(filePath: String = #filePath) -> URL? {
        for start in [URL(fileURLWithPath: filePath), URL(fileURLWithPath: filePath).resolvingSymlinksInPath()] {
            var directory = start.deletingLastPathComponent()
            while directory.path != "/" && !directory.path.isEmpty {
                let script = directory.appendingPathComponent("scripts/phone-oracle.py")
                if FileManager.default.fileExists(atPath: script.path) { return directory }
                directory = directory.deletingLastPathComponent()
            }
        }
        return nil
    }

    /// `$SWITCHBOARD_PEERS_DIR/venv-oracles`, by default under /tmp/switchboard-peers.
    static func oracleVenv() -> URL {
        let peers = ProcessInfo.processInfo.environment["SWITCHBOARD_PEERS_DIR"] ?? "/tmp/switchboard-peers"
        return URL(fileURLWithPath: peers).appendingPathComponent("venv-oracles")
    }
}
