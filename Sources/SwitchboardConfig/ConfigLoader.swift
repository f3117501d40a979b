import Foundation
import SwitchboardAdapterKit
import SwitchboardCore
import Yams

/// Reads and checks `switchboard.yaml`: YAML syntax, `${ENV}` secrets, every section, unknown keys
/// (with the closest known key), channel types (with the list of known types) and each channel's
/// own settings, decoded by its adapter's `Configuration`. Reports every problem it finds, not only
/// the first; the hub starts only on a config with none.
public struct ConfigLoader: Sendable {
    public var registry: AdapterRegistry
    public var environment: [String: String]

    public init(registry: AdapterRegistry, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.registry = registry
        self.environment = environment
    }

    /// The checked config, or `nil` with at least one diagnostic.
    public struct Result: Sendable {
        public var config: HubConfig?
        public var diagnostics: [ConfigDiagnostic]
    }

    public func load(path: String) -> Result {
        guard let data = FileManager.default.contents(atPath: path) else {
            return Result(
                config: nil,
                diagnostics: [
                    ConfigDiagnostic(
                        file: path, line: 0, key: "",
                        message: "cannot read the file; check the path and its permissions")
                ])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return Result(
                config: nil,
                diagnostics: [
                    ConfigDiagnostic(file: path, line: 0, key: "", message: "the file is not UTF-8 text")
                ])
        }
        return load(yaml: text, file: path)
    }

    public func load(yaml text: String, file: String) -> Result {
        var diagnostics: [ConfigDiagnostic] = []
        func report(_ line: Int, _ key: String, _ message: String) {
            diagnostics.append(ConfigDiagnostic(file: file, line: line, key: key, message: message))
        }
        let parsed: Node?
        do {
            parsed = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            report(Self.line(of: error), "", "not valid YAML: \(Self.problem(of: error))")
            return Result(config: nil, diagnostics: diagnostics)
        } catch {
            report(0, "", "not valid YAML: \(error)")
            return Result(config: nil, diagnostics: diagnostics)
        }
        guard let parsed else {
            report(1, "", "the file is empty; start from Config/switchboard.yaml")
            return Result(config: nil, diagnostics: diagnostics)
        }
        let tree: ConfigNode
        do {
            tree = try ConfigNode.from(parsed)
        } catch {
            report(
                error.line, "",
                "the file expands to more than \(ConfigNode.nodeLimit) values (through aliases such as *name); "
                    + "a config needs far fewer, so write the values out or use fewer nested aliases")
            return Result(config: nil, diagnostics: diagnostics)
        }
        let root = EnvironmentSubstitution.apply(to: tree, path: "", environment: environment, report: report)
        guard case .mapping = root.value else {
            report(root.line, "", "the top level must be a mapping with server, storage and channels")
            return Result(config: nil, diagnostics: diagnostics)
        }

        let sections = [
            "server", "storage", "identity", "conversations", "outbox", "opt_out", "webhooks", "channels",
            "canned_replies", "business_hours", "sla", "rules", "csat",
        ]
        for entry in Self.entries(root) where !sections.contains(entry.key) {
            report(entry.line, entry.key, Self.unknownKeyMessage(entry.key, known: sections))
        }
        let server: ServerConfig? = section("server", in: root, default: ServerConfig(), report: report)
        let storage: StorageSection? = section("storage", in: root, default: nil, report: report)
        if storage == nil && root.entry("storage") == nil {
            report(root.line, "storage", "required section is missing; add storage: { sqlite: { path: ... } }")
        }
        let backend = storage.flatMap {
            Self.backend($0, line: root.entry("storage")?.line ?? root.line, report: report)
        }
        let identity: IdentitySection? = section("identity", in: root, default: IdentitySection(), report: report)
        let conversations: ConversationsSection? = section(
            "conversations", in: root, default: ConversationsSection(), report: report)
        let outbox: OutboxSection? = section("outbox", in: root, default: OutboxSection(), report: report)
        let optOut: OptOutSection? = section("opt_out", in: root, default: OptOutSection(), report: report)
        let channels = checkChannels(root, report: report)
        let webhooks: [WebhookEntry]? = section("webhooks", in: root, default: [], report: report)
        let canned: [CannedReplyEntry]? = section("canned_replies", in: root, default: [], report: report)
        let businessHours: BusinessHoursSection? = section("business_hours", in: root, default: nil, report: report)
        let sla: [SLAEntry]? = section("sla", in: root, default: [], report: report)
        let rules: [RuleEntry]? = section("rules", in: root, default: [], report: report)
        let csat: SatisfactionSection? = section("csat", in: root, default: nil, report: report)
        if let window = csat?.window?.duration, let conversations,
            window > (conversations.reopenWindow?.duration ?? IngestPolicy().reopenWindow)
        {
            report(
                root.entry("csat")?.value.entry("window")?.line ?? 0, "csat.window",
                "a rating window longer than conversations.reopen_window: a rating after the reopen window would "
                    + "open a new conversation; make it at most the reopen window (7d by default)")
        }
        checkChannelNames(
            (sla ?? []).map { Array($0.policy.channels) }, in: "sla", under: [], root: root, channels: channels ?? [],
            report: report)
        checkChannelNames(
            (rules ?? []).map { Array($0.rule.conditions.channels).sorted { $0.rawValue < $1.rawValue } }, in: "rules",
            under: ["when"], root: root, channels: channels ?? [], report: report)
        if businessHours == nil, let index = rules?.firstIndex(where: { $0.rule.conditions.businessTime != nil }) {
            report(
                root.entry("rules")?.value.item(index)?.entry("when")?.line ?? 0, "rules[\(index)].when.business_hours",
                "a rule on business hours needs a business_hours: section saying when the team works")
        }
        reportRepeated(
            (webhooks ?? []).map(\.endpoint.id), in: "webhooks", key: "id", what: "webhook id", root: root,
            report: report)
        reportRepeated(
            (sla ?? []).map(\.policy.name), in: "sla", key: "name", what: "SLA name", root: root, report: report)
        reportRepeated(
            (rules ?? []).map(\.rule.name), in: "rules", key: "name", what: "rule name", root: root, report: report)

        guard diagnostics.isEmpty, let server, let backend, let identity, let conversations, let outbox, let optOut,
            let channels, let webhooks, let canned, let sla, let rules
        else {
            let masked = diagnostics.map { masking(secretsReferencedIn: text, in: $0) }
            return Result(config: nil, diagnostics: masked.sorted { ($0.line, $0.key) < ($1.line, $1.key) })
        }
        let defaults = RetryPolicy()
        let config = HubConfig(
            server: server, storage: backend,
            identity: IdentityPolicy(
                linkWhatsAppToPhone: identity.linkWhatsAppToPhone ?? true,
                autoMergeOnStrongIdentifier: identity.autoMergeOnStrongIdentifier ?? false,
                addressesInText: identity.addressesInText ?? .suggest),
            reopenWindow: conversations.reopenWindow?.duration ?? IngestPolicy().reopenWindow, optOut: optOut.policy,
            retry: RetryPolicy(
                maxAttempts: outbox.maxAttempts ?? defaults.maxAttempts,
                baseDelay: outbox.baseDelay?.duration ?? defaults.baseDelay,
                maxDelay: outbox.maxDelay?.duration ?? defaults.maxDelay,
                maxRateLimited: outbox.maxRateLimited ?? defaults.maxRateLimited),
            channels: channels, webhooks: webhooks.map(\.endpoint), cannedReplies: canned.map(\.reply),
            businessHours: businessHours?.hours ?? .always, slaPolicies: sla.map(\.policy), rules: rules.map(\.rule),
            satisfaction: csat.map { $0.survey(publicBaseURL: server.publicURL) }, file: file)
        return Result(config: config, diagnostics: [])
    }

    /// Each name of a list section (`key` of every item of `section`) may be used once.
    private func reportRepeated(
        _ names: [String], in section: String, key: String, what: String, root: ConfigNode,
        report: (Int, String, String) -> Void
    ) {
        var lines: [String: Int] = [:]
        for (index, name) in names.enumerated() {
            let line = root.entry(section)?.value.item(index)?.entry(key)?.line ?? 0
            if let first = lines[name] {
                report(line, "\(section)[\(index)].\(key)", "\(what) '\(name)' is already used on line \(first)")
            }
            lines[name] = line
        }
    }

    /// Every channel an SLA or a rule names must be one of the config's channels; `lists[i]` is what
    /// item `i` of `section` names, under the keys `under` (`rules[i].when.channels`).
    private func checkChannelNames(
        _ lists: [[ChannelID]], in section: String, under: [String], root: ConfigNode, channels: [ChannelConfig],
        report: (Int, String, String) -> Void
    ) {
        let known = channels.map(\.id)
        for (index, names) in lists.enumerated() {
            var node = root.entry(section)?.value.item(index)
            for key in under { node = node?.entry(key)?.value }
            let line = node?.entry("channels")?.line ?? root.entry(section)?.value.item(index)?.line ?? 0
            let path = ([section + "[\(index)]"] + under + ["channels"]).joined(separator: ".")
            for channel in names where !known.contains(channel) {
                report(
                    line, path,
                    "no channel '\(channel)' in channels:; known: \(known.map(\.rawValue).joined(separator: ", "))")
            }
        }
    }

    /// Replaces the value of every environment variable the file references with its name, so a
    /// diagnostic that quotes a value (`found '…'`) never prints a secret.
    func masking(secretsReferencedIn text: String, in diagnostic: ConfigDiagnostic) -> ConfigDiagnostic {
        var diagnostic = diagnostic
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            let name = rest[start.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            if let value = environment[String(name)], value.count >= 4 {
                diagnostic.message = diagnostic.message.replacingOccurrences(of: value, with: "<value of $\(name)>")
            }
            rest = rest[start.upperBound...]
        }
        return diagnostic
    }

    /// A decoder over a channel's `settings:`, for creating its adapter.
    public func settingsDecoder(for channel: ChannelConfig) -> any Decoder {
        let node = channel.settings?.node ?? ConfigNode(value: .mapping([]), line: 0)
        return StrictDecoder(
            node: node, path: channel.settings?.path ?? "settings", tracker: DecodeTracker(), codingPath: [])
    }

    private func checkChannels(_ root: ConfigNode, report: (Int, String, String) -> Void) -> [ChannelConfig]? {
        guard let entry = root.entry("channels") else { return [] }
        guard case .sequence(let items) = entry.value.value else {
            if case .scalar(_, true) = entry.value.value { return [] }
            report(entry.line, "channels", "expected a list of channels, found \(entry.value.typeName)")
            return nil
        }
        var channels: [ChannelConfig] = []
        var failed = false
        var seen: [ChannelID: Int] = [:]
        for (index, item) in items.enumerated() {
            let path = "channels[\(index)]"
            guard var channel: ChannelConfig = decode(item, path: path, report: report) else {
                failed = true
                continue
            }
            channel.typeLine = item.entry("type")?.line ?? item.line
            if let first = seen[channel.id] {
                report(
                    item.entry("id")?.line ?? item.line, "\(path).id",
                    "channel id '\(channel.id)' is already used on line \(first)")
                failed = true
            }
            seen[channel.id] = item.entry("id")?.line ?? item.line
            guard registry.knows(channel.type) else {
                let known = registry.kinds.map(\.rawValue)
                let hint =
                    Suggestion.closest(to: channel.type.rawValue, among: known).map { " (did you mean '\($0)'?)" } ?? ""
                report(
                    channel.typeLine, "\(path).type",
                    "unknown channel type '\(channel.type)'\(hint); known types: \(known.joined(separator: ", "))")
                failed = true
                continue
            }
            let settings =
                channel.settings
                ?? ConfigSubtree(node: ConfigNode(value: .mapping([]), line: item.line), path: "\(path).settings")
            let tracker = DecodeTracker()
            let decoder = StrictDecoder(node: settings.node, path: settings.path, tracker: tracker, codingPath: [])
            do {
                try registry.validateSettings(kind: channel.type, from: decoder)
            } catch {
                tracker.failed = true
                Self.report(error, root: settings.node, base: settings.path, report: report)
                failed = true
            }
            Self.reportUnknownKeys(tracker, report: report)
            channels.append(channel)
        }
        return failed ? nil : channels
    }

    private func section<T: Decodable>(
        _ key: String, in root: ConfigNode, default fallback: T?, report: (Int, String, String) -> Void
    ) -> T? {
        guard let entry = root.entry(key) else { return fallback }
        if case .scalar(_, true) = entry.value.value, let fallback { return fallback }
        return decode(entry.value, path: key, report: report)
    }

    private func decode<T: Decodable>(_ node: ConfigNode, path: String, report: (Int, String, String) -> Void) -> T? {
        let tracker = DecodeTracker()
        let decoder = StrictDecoder(node: node, path: path, tracker: tracker, codingPath: [])
        defer { Self.reportUnknownKeys(tracker, report: report) }
        do {
            return try T(from: decoder)
        } catch {
            tracker.failed = true
            Self.report(error, root: node, base: path, report: report)
            return nil
        }
    }
}
