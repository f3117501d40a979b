import ArgumentParser
import Foundation
import SwitchboardAdapterKit
import SwitchboardCore
import SwitchboardSQLStore
import SwitchboardSQLite

/// `--json` and `--config`, shared by the commands that read or change the hub's data. They work
/// on the store directly (safe while the hub runs: SQLite serialises writers, and the hub's
/// dispatcher picks up replies queued here within a second).
struct DataOptions: ParsableArguments {
    @OptionGroup var config: ConfigOption
    @Flag(help: "Print JSON instead of text.") var json = false

    func openStore() throws -> SQLStore {
        let (config, _) = try config.load()
        return try Hub.openStore(config)
    }

    func output(_ value: some Encodable, text: () -> String) throws {
        if json {
            print(String(decoding: try JSONCoding.encoder(pretty: true).encode(value), as: UTF8.self))
        } else {
            print(text())
        }
    }
}

/// Runs a store call and turns its errors into one readable line and a non-zero exit.
/// A customer id as given, or the id of the customer who owns the address given
/// (`email:ana@example.com`); exits with a clear message when there is none.
func customerID(_ text: String, in store: SQLStore) async throws -> String {
    if text.hasPrefix("cus_") {
        guard try await store.profile(id: text) != nil else {
            printError("error: no customer \(text); list customers with `switchboard customers list`")
            throw ExitCode(1)
        }
        return text
    }
    let address: Address
    do {
        address = try Address(parsing: text)
    } catch {
        printError("error: '\(text)' is neither a customer id (cus_…) nor an address: \(error.message)")
        throw ExitCode(2)
    }
    guard let customer = try await store.customer(for: address) else {
        printError("error: no customer has the address \(address)")
        throw ExitCode(1)
    }
    return customer.id
}

func storeCall<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as StoreError {
        printError("error: \(error.message)")
        throw ExitCode(1)
    }
}

struct CustomersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "customers", abstract: "List and inspect customers.",
        subcommands: [List.self, Show.self, Timeline.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List customers, newest first.")
        @OptionGroup var options: DataOptions
        @Option(help: "How many (1–500).") var limit = 50
        @Option(help: "Continue from a previous page's next cursor.") var cursor: String?

        func run() async throws {
            let store = try options.openStore()
            let page = try await storeCall { try await store.customers(limit: limit, cursor: cursor) }
            try options.output(page) {
                var lines = page.items.map {
                    "\($0.id)  \($0.displayName ?? "-")  last seen \(Format.time($0.lastSeen))"
                }
                if let next = page.nextCursor { lines.append("more: --cursor \(next)") }
                return lines.isEmpty ? "no customers yet" : lines.joined(separator: "\n")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a customer with every identity and conversation.")
        @OptionGroup var options: DataOptions
        @Argument(help: "The customer id (cus_…) or one of the customer's addresses (tel:+33612345678).")
        var id: String

        func run() async throws {
            let store = try options.openStore()
            let id = try await customerID(id, in: store)
            guard let profile = try await store.profile(id: id) else {
                printError("error: no customer \(id); list customers with `switchboard customers list`")
                throw ExitCode(1)
            }
            let conversations = try await store.conversations(customerID: id)
            try options.output(
                CustomerView(
                    customer: profile.customer, identities: profile.identities, conversations: conversations,
                    optOuts: profile.optOuts)
            ) {
                var lines = ["\(profile.customer.id)  \(profile.customer.displayName ?? "-")"]
                if let target = profile.customer.mergedInto { lines.append("merged into \(target)") }
                lines += profile.identities.map {
                    "  identity \($0.address)\($0.verified ? " (verified)" : "")  via \($0.provenance)"
                        + ($0.rawHandle.map { "  (written \($0))" } ?? "")
                }
                lines += profile.optOuts.map {
                    "  opted out \($0.address) by texting \($0.keyword) on \($0.channel) at \(Format.time($0.at))"
                }
                lines += conversations.map {
                    "  conversation \($0.id)  \($0.channel)  \($0.status.rawValue)  \($0.subject ?? "")"
                }
                return lines.joined(separator: "\n")
            }
        }
    }

    struct Timeline: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A customer's timeline across every channel, newest first.")
        @OptionGroup var options: DataOptions
        @Argument(help: "The customer id (cus_…) or one of the customer's addresses (email:ana@example.com).")
        var id: String
        @Option(help: "How many entries (1–500).") var limit = 50
        @Option(help: "Continue from a previous page's next cursor.") var cursor: String?

        func run() async throws {
            let store = try options.openStore()
            let id = try await customerID(id, in: store)
            let page = try await storeCall { try await store.timeline(customerID: id, limit: limit, cursor: cursor) }
            try options.output(page) {
                var lines = page.items.map(Format.entry)
                if let next = page.nextCursor { lines.append("more: --cursor \(next)") }
                return lines.isEmpty ? "no messages" : lines.joined(separator: "\n")
            }
        }
    }
}

struct CustomerView: Encodable {
    var customer: Customer
    var identities: [Identity]
    var conversations: [Conversation]
    var optOuts: [OptOut]
}

struct ConversationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conversations", abstract: "Inspect conversations and change their status.",
        subcommands: [Show.self, SetStatus.self])

    struct SetStatus: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-status", abstract: "Set a conversation's status: open, pending, snoozed or resolved.")
        @OptionGroup var options: DataOptions
        @Argument(help: "The conversation id (con_…).") var id: String
        @Argument(help: "open, pending, snoozed or resolved.") var status: String
        @Option(help: "Who is changing it.") var actor = ProcessInfo.processInfo.environment["USER"] ?? "cli"

        func run() async throws {
            guard let newStatus = Conversation.Status(rawValue: status) else {
                printError("error: the status must be one of open, pending, snoozed, resolved")
                throw ExitCode(1)
            }
            let store = try options.openStore()
            let conversation = try await storeCall {
                try await store.setStatus(conversationID: id, to: newStatus, actor: actor)
            }
            try options.output(conversation) { "\(conversation.id) is \(conversation.status.rawValue)" }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a conversation and its messages, oldest first.")
        @OptionGroup var options: DataOptions
        @Argument(help: "The conversation id (con_…).") var id: String

        func run() async throws {
            let store = try options.openStore()
            guard let conversation = try await store.conversation(id: id) else {
                printError("error: no conversation \(id); see the customer's timeline for ids")
                throw ExitCode(1)
            }
            let messages = try await store.messages(conversationID: id)
            try options.output(ConversationView(conversation: conversation, messages: messages)) {
                let head =
                    "\(conversation.id)  \(conversation.channel)  \(conversation.status.rawValue)  \(conversation.subject ?? "")"
                return ([head] + messages.map { Format.entry(.message($0)) }).joined(separator: "\n")
            }
        }
    }
}

struct ConversationView: Encodable {
    var conversation: Conversation
    var messages: [Message]
}

/// Text forms for the terminal.
enum Format {
    static func time(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
    }

    static func entry(_ entry: TimelineEntry) -> String {
        switch entry {
        case .message(let message):
            let arrow = message.direction == .inbound ? "<-" : "->"
            let status = message.deliveryStatus.map { " [\($0)]" } ?? ""
            let text = message.text.replacingOccurrences(of: "\n", with: " ")
            return
                "\(time(message.sentAt))  \(message.channel)  \(arrow) \(message.author): \(text.prefix(120))\(status)  (\(message.id))"
        case .event(let event):
            return "\(time(event.at))  \(event.kind) by \(event.actor): \(event.detail)"
        }
    }
}
