/// What one build of SwitchboardFuzz fuzzes, chosen at run time (`SWITCHBOARD_FUZZ_TARGET` under
/// libFuzzer, the first argument of the replay tool), so one instrumented build serves them all.
enum FuzzTarget: String, CaseIterable, Sendable {
    case config
    case webhook
    case bridge
    case twilio
    case kannel
    case smsHTTP = "sms-http"
    case meta
    case telegram
    case x
    case matrix

    /// The environment variable the fuzzer build reads its target from.
    static let environmentVariable = "SWITCHBOARD_FUZZ_TARGET"

    /// Every valid name, for messages.
    static var names: String { allCases.map(\.rawValue).joined(separator: "|") }

    /// The target called `name`, or a message that lists the valid names.
    static func named(_ name: String?) -> Result<FuzzTarget, UnknownTarget> {
        guard let name, let target = FuzzTarget(rawValue: name) else {
            return .failure(UnknownTarget(name: name))
        }
        return .success(target)
    }

    /// The adapter cases the first input byte chooses from (none for `config`).
    var cases: [FuzzCase] {
        switch self {
        case .config: []
        case .webhook: AdapterTargets.webhook
        case .bridge: AdapterTargets.bridge
        case .twilio: AdapterTargets.twilio
        case .kannel: AdapterTargets.kannel
        case .smsHTTP: AdapterTargets.smsHTTP
        case .meta: AdapterTargets.meta
        case .telegram: AdapterTargets.telegram
        case .x: AdapterTargets.x
        case .matrix: AdapterTargets.matrix
        }
    }

    /// One iteration, run to its end: the input through the target. Returns a summary for the
    /// replay tool (what was read, or why it was refused).
    func run(_ bytes: [UInt8]) async -> String {
        if self == .config { return await ConfigTarget.run(bytes) }
        let cases = self.cases
        var input = FuzzInput(bytes)
        let chosen = cases[input.choose(among: cases.count)]
        return "\(chosen.name): " + (await chosen.run(&input))
    }
}

/// A target name that is not one of ``FuzzTarget``'s.
struct UnknownTarget: Error, CustomStringConvertible {
    var name: String?

    var description: String {
        let given = name.map { "unknown fuzz target '\($0)'" } ?? "no fuzz target given"
        return "\(given); valid targets: \(FuzzTarget.names)"
    }
}
