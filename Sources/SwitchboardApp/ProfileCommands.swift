import ArgumentParser
import Foundation
import SwitchboardAdapterKit
import SwitchboardCore
import SwitchboardSQLStore
import SwitchboardSQLite

struct MergeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge", abstract: "Merge one customer profile into another (reversible with unmerge).")
    @OptionGroup var options: DataOptions
    @Argument(help: "The profile to merge away (cus_…).") var source: String
    @Option(help: "The profile that keeps everything (cus_…).") var into: String
    @Option(help: "Why: recorded in the merge history.") var reason: String
    @Option(help: "Who is merging.") var actor = ProcessInfo.processInfo.environment["USER"] ?? "cli"

    func run() async throws {
        let store = try options.openStore()
        let record = try await storeCall { try await store.merge(source, into: into, actor: actor, reason: reason) }
        try options.output(record) {
            "merged \(source) into \(into) as \(record.id); undo with `switchboard unmerge \(record.id)`"
        }
    }
}

struct UnmergeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unmerge", abstract: "Undo a merge: every identity and message goes back where it came from.")
    @OptionGroup var options: DataOptions
    @Argument(help: "The merge id (mrg_…), from `switchboard merges list`.") var mergeID: String
    @Option(help: "Who is undoing it.") var actor = ProcessInfo.processInfo.environment["USER"] ?? "cli"

    func run() async throws {
        let store = try options.openStore()
        let record = try await storeCall { try await store.unmerge(mergeID, actor: actor) }
        try options.output(record) {
            "undid \(record.id): \(record.sourceCustomerID) and \(record.targetCustomerID) are separate again"
        }
    }
}

struct MergesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merges", abstract: "Merge history and suggestions.", subcommands: [List.self, Suggestions.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every merge and un-merge, newest first.")
        @OptionGroup var options: DataOptions
        @Option(help: "Only merges involving this customer.") var customer: String?

        func run() async throws {
            let store = try options.openStore()
            let merges = try await store.merges(customerID: customer)
            try options.output(merges) {
                merges.isEmpty
                    ? "no merges"
                    : merges.map { merge in
                        let undone =
                            merge.unmergedAt.map { "  undone \(Format.time($0)) by \(merge.unmergedBy ?? "?")" } ?? ""
                        return
                            "\(merge.id)  \(merge.sourceCustomerID) -> \(merge.targetCustomerID)  by \(merge.actor) at \(Format.time(merge.mergedAt)): \(merge.reason)\(undone)"
                    }.joined(separator: "\n")
            }
        }
    }

    struct Suggestions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Profiles that may be one person, for an agent to decide.")
        @OptionGroup var options: DataOptions

        func run() async throws {
            let store = try options.openStore()
            let suggestions = try await store.mergeSuggestions()
            try options.output(suggestions) {
                suggestions.isEmpty
                    ? "no suggestions"
                    : suggestions.map { "\($0.customerID) ~ \($0.otherCustomerID): \($0.reason)" }
                        .joined(separator: "\n")
            }
        }
    }
}

struct ReplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reply", abstract: "Queue a reply; it leaves on the conversation's channel.")
    @OptionGroup var options: DataOptions
    @Argument(help: "The conversation id (con_…).") var conversation: String
    @Option(help: "The reply text (may be left out with --template).") var text: String = ""
    @Option(help: "The agent's name, shown in the timeline.") var author =
        ProcessInfo.processInfo.environment["USER"] ?? "agent"
    @Flag(help: "Answer privately (a DM) even where the customer wrote publicly.")
    var `private` = false
    @Option(help: "With --private on a public conversation: the public reply posted first (\"We've sent you a DM\").")
    var publicNotice: String?
    @Option(help: "An approved template to send instead of free text (WhatsApp outside its 24-hour window).")
    var template: String?
    @Option(help: "The template's language code, such as en_US.") var language = "en_US"
    @Option(name: .customLong("param"), help: "A template parameter ({{1}}, {{2}}, … in order); repeat it.")
    var parameters: [String] = []

    func validate() throws {
        if text.isEmpty && template == nil {
            throw ValidationError("give --text, or --template with its --param values")
        }
        if publicNotice != nil && !`private` { throw ValidationError("--public-notice goes with --private") }
        if !parameters.isEmpty && template == nil { throw ValidationError("--param goes with --template") }
    }

    func run() async throws {
        let store = try options.openStore()
        let request = ReplyRequest(
            conversationID: conversation, text: text, author: author, visibility: `private` ? .private : nil,
            publicNotice: publicNotice,
            template: template.map { MessageTemplate(name: $0, language: language, parameters: parameters) })
        let message = try await storeCall { try await store.enqueueReply(request) }
        try options.output(message) {
            "queued \(message.id) (\(message.visibility)) on \(message.channel); the running hub sends it"
        }
    }
}

struct RetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry", abstract: "Send a failed (dead-lettered) reply again.")
    @OptionGroup var options: DataOptions
    @Argument(help: "The message id (msg_…).") var message: String

    func run() async throws {
        let store = try options.openStore()
        guard try await store.retry(messageID: message) else {
            printError("error: message \(message) has no failed send to retry")
            throw ExitCode(1)
        }
        try options.output(["queued": message]) { "queued \(message) again" }
    }
}
