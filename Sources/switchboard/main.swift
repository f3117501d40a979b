import ArgumentParser
import Foundation
import Logging
import SwitchboardApp

LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    let level = ProcessInfo.processInfo.environment["SWITCHBOARD_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:))
    handler.logLevel = level ?? .info
    return handler
}

/// Runs the async `run()` of a parsed subcommand (top-level code would pick the synchronous one).
func runAsync(_ command: inout some AsyncParsableCommand) async throws {
    try await command.run()
}

do {
    var command = try SwitchboardCommand.parseAsRoot()
    if var asyncCommand = command as? any AsyncParsableCommand {
        try await runAsync(&asyncCommand)
    } else {
        try command.run()
    }
} catch {
    SwitchboardCommand.exit(withError: error)
}
