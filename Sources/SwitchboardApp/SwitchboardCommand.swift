import ArgumentParser
import Foundation
import Logging
import SwitchboardAdapterKit
import SwitchboardAdapters
import SwitchboardConfig
import SwitchboardCore

/// `switchboard`: serve the hub, check its config, and look after customers from the shell.
public struct SwitchboardCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "switchboard",
        abstract: "A self-hosted customer conversation hub: one profile and one timeline per customer.",
        subcommands: [
            ServeCommand.self, ConfigCommand.self, CustomersCommand.self, ConversationsCommand.self,
            MergeCommand.self, UnmergeCommand.self, MergesCommand.self, ReplyCommand.self, RetryCommand.self,
            MigrateStoreCommand.self, GenerateCommand.self, UsersCommand.self, ReportCommand.self,
        ])

    public init() {}
}

/// `--config PATH`, shared by every command that opens the hub's data.
struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: "The config file (default: $SWITCHBOARD_CONFIG or Config/switchboard.yaml).")
    var config: String?

    var path: String { config ?? Self.defaultPath }

    static var defaultPath: String {
        ProcessInfo.processInfo.environment["SWITCHBOARD_CONFIG"] ?? "Config/switchboard.yaml"
    }

    /// The checked config, or exit 2 after printing every problem.
    func load(registry: AdapterRegistry = BuiltinAdapters.registry) throws -> (HubConfig, ConfigLoader) {
        let loader = ConfigLoader(registry: registry)
        let result = loader.load(path: path)
        guard let config = result.config else {
            for diagnostic in result.diagnostics { printError(diagnostic.description) }
            printError("\(result.diagnostics.count) problem(s) in \(path); fix them and try again")
            throw ExitCode(2)
        }
        return (config, loader)
    }
}

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the hub.")
    @OptionGroup var options: ConfigOption
    @Option(help: "Listen on this port instead of server.port (0 picks a free one).") var port: Int?

    func run() async throws {
        var (config, loader) = try options.load()
        if let port { config.server.port = port }
        let logger = Logger(label: "switchboard")
        let host = config.server.host
        let hub = try Hub(config: config, loader: loader, registry: BuiltinAdapters.registry, logger: logger) { port in
            FileHandle.standardOutput.write(Data("switchboard listening on http://\(host):\(port)\n".utf8))
        }
        try await hub.run()
    }
}

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Work with the config file.", subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Report every problem in a config file as file:line: key: message.")
        @Argument(help: "The config file (default: $SWITCHBOARD_CONFIG or Config/switchboard.yaml).") var path: String?

        func run() async throws {
            let path = path ?? ConfigOption.defaultPath
            let result = ConfigLoader(registry: BuiltinAdapters.registry).load(path: path)
            guard let config = result.config else {
                for diagnostic in result.diagnostics { print(diagnostic.description) }
                print("\(result.diagnostics.count) problem(s)")
                throw ExitCode(2)
            }
            let enabled = config.channels.filter(\.enabled).map { "\($0.id) (\($0.type))" }
            print(
                "\(path): OK — \(config.channels.count) channel(s), enabled: \(enabled.isEmpty ? "none" : enabled.joined(separator: ", "))"
            )
        }
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
