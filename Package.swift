// swift-tools-version: 6.2
// `Plugins/` holds Switchboard's channel adapters (ordinary library targets), not SwiftPM package plugins.
import Foundation
import PackageDescription

let upcoming: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// Every in-tree channel adapter: the folder under `Plugins/`, its module name and what it needs.
/// A new channel adds one line here and one in `SwitchboardAdapters/BuiltinAdapters.swift`
/// (`scripts/new-adapter.py NAME` writes both; see docs/adapters.md).
let plugins: [(folder: String, module: String, dependencies: [Target.Dependency])] = [
    ("Webhook", "WebhookAdapter", ["SwitchboardAdapterKit"]),
    ("Email", "EmailAdapter", ["SwitchboardAdapterKit", "EmailMIME"]),
    ("Twilio", "TwilioAdapter", ["SwitchboardAdapterKit"]),
    ("Kannel", "KannelAdapter", ["SwitchboardAdapterKit"]),
    ("SMSGateway", "SMSGatewayAdapter", ["SwitchboardAdapterKit"]),
    ("Meta", "MetaAdapter", ["SwitchboardAdapterKit"]),
    ("Telegram", "TelegramAdapter", ["SwitchboardAdapterKit"]),
    ("X", "XAdapter", ["SwitchboardAdapterKit"]),
    ("Matrix", "MatrixAdapter", ["SwitchboardAdapterKit"]),
    // The bridge reads envelopes with the webhook channel's parser: one JSON message format.
    ("Bridge", "BridgeAdapter", ["SwitchboardAdapterKit", "WebhookAdapter"]),
    ("WebChat", "WebChatAdapter", ["SwitchboardAdapterKit"]),
    // scripts/new-adapter.py adds new plugins above this line.
]

var targets: [Target] = [
    // libphonenumber's parsing, from generated metadata: Foundation only.
    .target(name: "SwitchboardPhoneNumbers"),
    .testTarget(
        name: "SwitchboardPhoneNumbersTests", dependencies: ["SwitchboardPhoneNumbers"],
        exclude: ["KnownDisagreements.json"]),
    .target(
        name: "SwitchboardAdapterKit",
        dependencies: [
            "SwitchboardPhoneNumbers",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]
    ),
    .target(
        name: "SwitchboardCore",
        dependencies: [
            "SwitchboardAdapterKit",
            // PBKDF2 for agents' passwords (BoringSSL's, fast enough to use enough rounds).
            .product(name: "CryptoExtras", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            // Counters and gauges for operators; the app exports them for Prometheus.
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]
    ),
    // The store's queries, written once against a small SQL session protocol; the backends below
    // open a database and run their migrations.
    .target(name: "SwitchboardSQLStore", dependencies: ["SwitchboardCore"]),
    .target(
        name: "SwitchboardSQLite",
        dependencies: ["SwitchboardSQLStore", .product(name: "GRDB", package: "GRDB.swift")]
    ),
    .target(
        name: "SwitchboardPostgres",
        dependencies: [
            "SwitchboardSQLStore",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
        ]
    ),
    .target(
        name: "SwitchboardConfig",
        dependencies: ["SwitchboardCore", .product(name: "Yams", package: "Yams")]
    ),
    .systemLibrary(
        name: "CCurl",
        pkgConfig: "libcurl",
        providers: [.apt(["libcurl4-openssl-dev"])]
    ),
    .target(name: "CCurlShim", dependencies: ["CCurl"]),
    .target(
        name: "SwitchboardCurl",
        dependencies: ["CCurl", "CCurlShim", "SwitchboardAdapterKit"]
    ),
    .target(name: "SwitchboardFileBlobs", dependencies: ["SwitchboardAdapterKit"]),
    // Test doubles for adapter tests (a recording HTTP client, a discarding hub, a memory cursor).
    .target(name: "SwitchboardAdapterTesting", dependencies: ["SwitchboardAdapterKit"]),
    // The email plugin's MIME parser and builder: Foundation only, so the fuzz target builds fast.
    .target(name: "EmailMIME", path: "Plugins/Email/MIME"),
    .testTarget(
        name: "EmailMIMETests", dependencies: ["EmailMIME"], path: "Plugins/Email/MIMETests", exclude: ["Corpus"]),
    // `scripts/fuzz-mime.sh` builds this with `--sanitize=fuzzer -Xswiftc -DFUZZING`; a plain build
    // gives a tool that replays files through the parser.
    .executableTarget(name: "MIMEFuzz", dependencies: ["EmailMIME"], path: "Plugins/Email/Fuzz"),
    // The config loader and every adapter's payload parsers under libFuzzer (`scripts/fuzz.sh`, built
    // like MIMEFuzz with `-DFUZZING`); a plain build gives `swift run SwitchboardFuzz TARGET FILE...`.
    .executableTarget(
        name: "SwitchboardFuzz",
        dependencies: [
            "SwitchboardConfig", "SwitchboardAdapters", "SwitchboardAdapterTesting",
            .product(name: "Logging", package: "swift-log"),
        ],
        path: "Fuzz/Sources"),
    .target(
        name: "SwitchboardServer",
        dependencies: [
            "SwitchboardCore",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ],
        resources: [
            .embedInCode("Resources/openapi.yaml"), .embedInCode("Resources/inbox.js"),
            .embedInCode("Resources/inbox.css"),
        ]
    ),
    .target(
        name: "SwitchboardAdapters",
        dependencies: ["SwitchboardCore"] + plugins.map { .target(name: $0.module) }
    ),
    .target(
        name: "SwitchboardApp",
        dependencies: [
            "SwitchboardCore", "SwitchboardSQLStore", "SwitchboardSQLite", "SwitchboardPostgres", "SwitchboardConfig",
            "SwitchboardCurl",
            "SwitchboardServer", "SwitchboardAdapters", "SwitchboardFileBlobs",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]
    ),
    .executableTarget(name: "switchboard", dependencies: ["SwitchboardApp"]),
    // What the benchmarks' reports share: the machine, and their sections in docs/benchmarks.md.
    .target(name: "BenchmarkSupport", path: "Benchmarks/Support"),
    .executableTarget(
        name: "ReadBenchmark",
        dependencies: [
            "BenchmarkSupport", "SwitchboardAdapterKit", "SwitchboardCore", "SwitchboardSQLStore", "SwitchboardSQLite",
            "SwitchboardPostgres",
        ],
        path: "Benchmarks/Reads"
    ),
    .executableTarget(
        name: "IngestBenchmark",
        dependencies: [
            "BenchmarkSupport", "SwitchboardCore", "SwitchboardSQLStore", "SwitchboardSQLite", "SwitchboardPostgres",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Logging", package: "swift-log"),
        ],
        path: "Benchmarks/Ingest"
    ),
    .executableTarget(
        name: "SentimentBenchmark", dependencies: ["BenchmarkSupport", "SwitchboardCore"],
        path: "Benchmarks/Sentiment"),
    .testTarget(name: "SwitchboardCoreTests", dependencies: ["SwitchboardCore"]),
    // The server's pure parts (the reports page's SVG charts); the routes are tested end to end.
    .testTarget(name: "SwitchboardServerTests", dependencies: ["SwitchboardServer"]),
    // The conformance kit checked against an adapter that breaks each rule.
    .testTarget(
        name: "SwitchboardAdapterTestingTests",
        dependencies: ["SwitchboardAdapterTesting", .product(name: "Logging", package: "swift-log")]),
    .testTarget(
        name: "SwitchboardSQLiteTests",
        dependencies: [
            "SwitchboardSQLStore", "SwitchboardSQLite", "SwitchboardPostgres",
            .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]
    ),
    .testTarget(name: "SwitchboardConfigTests", dependencies: ["SwitchboardConfig", "SwitchboardAdapters"]),
    .testTarget(name: "SwitchboardCurlTests", dependencies: ["SwitchboardCurl"]),
    .testTarget(
        name: "EndToEndTests",
        dependencies: [
            "SwitchboardCurl", "MatrixAdapter",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]
    ),
]

for plugin in plugins {
    targets.append(
        .target(
            name: plugin.module, dependencies: plugin.dependencies, path: "Plugins/\(plugin.folder)/Sources"))
    // Recorded payloads in Tests/Fixtures are read by path (by the plugin's tests and the end-to-end tests).
    let fixtures = "Plugins/\(plugin.folder)/Tests/Fixtures"
    let hasFixtures = FileManager.default.fileExists(atPath: Context.packageDirectory + "/" + fixtures)
    targets.append(
        .testTarget(
            name: "\(plugin.module)Tests",
            dependencies: [.target(name: plugin.module), "SwitchboardCore", "SwitchboardAdapterTesting"],
            path: "Plugins/\(plugin.folder)/Tests", exclude: hasFixtures ? ["Fixtures"] : []))
}

for index in targets.indices where targets[index].type != .system {
    targets[index].swiftSettings = (targets[index].swiftSettings ?? []) + upcoming
}

let package = Package(
    name: "switchboard",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "switchboard", targets: ["switchboard"]),
        .library(name: "SwitchboardAdapterKit", targets: ["SwitchboardAdapterKit"]),
    ],
    dependencies: [
        .package(
            url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: targets
)
