import ArgumentParser
import Foundation
import SwitchboardAdapterKit
import SwitchboardConfig
import SwitchboardCore
import SwitchboardSQLStore

/// `switchboard generate`: fills the configured store with a made-up but realistic history, for
/// benchmarks and for trying `migrate-store` (never on a store with real customers in it).
struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Fill the configured store with a generated history (for benchmarks and migration tests).",
        discussion: """
            Customers write by email, WhatsApp, SMS and web chat (some on two channels, merged by an
            agent where the identity rules cannot link them), in short and long threads; some
            conversations have replies. The same --seed gives the same history.
            """)

    @OptionGroup var options: ConfigOption
    @Option(help: "How many customers.") var customers = 100_000
    @Option(help: "How many inbound messages in all.") var messages = 1_000_000
    @Option(help: "Seed of the generator.") var seed: UInt64 = 1
    @Option(help: "Envelopes per ingest transaction.") var batchSize = 1000
    @Option(
        help: ArgumentHelp(
            "Spread the history over the last N days and answer and resolve most conversations in it.",
            discussion: "For trying the reports page; without it, the history starts in November 2023."))
    var days: Int?

    func run() async throws {
        guard customers > 0, messages >= customers, batchSize > 0 else {
            printError("error: --customers must be at least 1 and --messages at least --customers")
            throw ExitCode(2)
        }
        if let days, !(1...400).contains(days) {
            printError("error: --days is 1 to 400")
            throw ExitCode(2)
        }
        let (config, _) = try options.load()
        let store = try Hub.openStore(config)
        let existing = try await store.customers(limit: 1, cursor: nil).items
        guard existing.isEmpty else {
            printError("error: the store already has customers; generate fills an empty store only")
            throw ExitCode(1)
        }
        let now = Date()
        var history = GeneratedHistory(
            customers: customers, messages: messages, seed: seed,
            span: days.map { (start: now.addingTimeInterval(-Double($0) * 86_400), end: now) })
        let bar = ProgressBar()
        var batch: [InboundEnvelope] = []
        var stored = 0
        while let envelope = try history.next() {
            batch.append(envelope)
            if batch.count == batchSize {
                stored += try await ingest(batch, into: store)
                batch.removeAll(keepingCapacity: true)
                bar.show(stored, of: messages, "messages \(stored)/\(messages)")
            }
        }
        stored += try await ingest(batch, into: store)
        bar.show(stored, of: messages, "messages \(stored)/\(messages)")
        bar.finish()
        // An agent merged the customers who wrote on both channels, and answered some threads.
        var merged = 0
        for (email, phone) in history.sameCustomer {
            guard let target = try await store.customer(for: email), let source = try await store.customer(for: phone),
                target.id != source.id
            else { continue }
            _ = try await store.merge(source.id, into: target.id, actor: "generator", reason: "same person")
            merged += 1
        }
        let replies: Int
        if days != nil {
            // The ratings are asked as the configured hub asks them (its question, its link).
            let survey = config.satisfaction ?? SatisfactionSurvey(publicBaseURL: config.server.publicURL)
            replies = try await answer(store, survey: survey, seed: seed, now: now)
        } else {
            replies = try await replyToEveryTenth(store)
        }
        print("generated \(stored) messages from \(customers) customers; \(merged) merges, \(replies) replies queued")
    }

    /// Without --days: a reply, queued now, in one conversation of every tenth customer.
    private func replyToEveryTenth(_ store: SQLStore) async throws -> Int {
        var replies = 0
        for customer in stride(from: 0, to: customers, by: 10) {
            let address = try Address(parsing: "email:customer\(customer)@example.com")
            guard let owner = try await store.customer(for: address),
                let conversation = try await store.conversations(customerID: owner.id).first
            else { continue }
            _ = try await store.enqueueReply(
                ReplyRequest(conversationID: conversation.id, text: "Thanks, we're on it.", author: "Generator"))
            replies += 1
        }
        return replies
    }

    /// With --days: most conversations get an answer minutes to hours after they opened, and most
    /// answered ones are resolved later, each at its time in the past (never after `now`), so the
    /// event log holds a history the reports can measure.
    private func answer(_ store: SQLStore, survey: SatisfactionSurvey, seed: UInt64, now: Date) async throws -> Int {
        var random = SplitMix64(seed: seed &+ 1)
        var replies = 0
        var cursor: String?
        repeat {
            let page = try await store.customers(limit: 500, cursor: cursor)
            for customer in page.items {
                for conversation in try await store.conversations(customerID: customer.id) {
                    guard random.unit() < 0.85,
                        let opened = try await store.messages(conversationID: conversation.id).first?.sentAt
                    else { continue }
                    // Mostly within the hour, some after a night.
                    let answeredAt = opened.addingTimeInterval(120 + pow(random.unit(), 3) * 16 * 3_600)
                    guard answeredAt < now else { continue }
                    _ = try await store.enqueueReply(
                        ReplyRequest(
                            conversationID: conversation.id, text: "Thanks, we're on it.", author: "Generator"),
                        at: answeredAt)
                    replies += 1
                    let resolvedAt = answeredAt.addingTimeInterval(600 + random.unit() * 30 * 3_600)
                    guard random.unit() < 0.75, resolvedAt < now else { continue }
                    _ = try await store.setStatus(
                        conversationID: conversation.id, to: .resolved, actor: "Generator", at: resolvedAt)
                    try await afterResolution(conversation, resolvedAt, store, survey, &random, now: now)
                }
            }
            cursor = page.nextCursor
        } while cursor != nil
        return replies
    }

    /// Half the customers are asked for a rating and most of those answer (a bare number, as on
    /// SMS); a few others write again and reopen the conversation.
    private func afterResolution(
        _ conversation: Conversation, _ resolvedAt: Date, _ store: SQLStore, _ survey: SatisfactionSurvey,
        _ random: inout SplitMix64, now: Date
    ) async throws {
        let later = resolvedAt.addingTimeInterval(60 + random.unit() * 3 * 3_600)
        let asked = random.unit() < 0.5
        let answers = random.unit()
        guard later < now else { return }
        if asked {
            guard answers < 0.8,
                try await store.askForRating(
                    conversationID: conversation.id, survey: survey, now: resolvedAt.addingTimeInterval(30)) != nil
            else { return }
            let score = [5, 5, 5, 4, 4, 4, 3, 2, 1][Int(random.unit() * 9)]
            _ = try await ingest([reply(conversation, "\(score)", at: later)], into: store)
        } else if answers < 0.15 {
            _ = try await ingest([reply(conversation, "It happened again.", at: later)], into: store)
        }
    }

    /// The customer's message in `conversation` at `at`.
    private func reply(_ conversation: Conversation, _ text: String, at: Date) -> InboundEnvelope {
        InboundEnvelope(
            channel: conversation.channel, externalID: "gen-after-\(conversation.id)",
            from: conversation.customerAddress,
            threadKey: conversation.threadKey, subject: conversation.subject.map { "Re: \($0)" }, text: text, sentAt: at
        )
    }

    private func ingest(_ batch: [InboundEnvelope], into store: SQLStore) async throws -> Int {
        guard !batch.isEmpty else { return 0 }
        var stored = 0
        for outcome in try await store.ingest(batch, policy: IngestPolicy()) {
            if case .stored = outcome { stored += 1 }
        }
        return stored
    }
}

/// A deterministic history over four channels: customers write by email (mail); one in 11 by
/// WhatsApp only; some of every 20th also by SMS from a number not yet linked (merged afterwards,
/// as an agent would); some of every 13th also in a web chat with the same address. Thread lengths
/// are skewed (most threads short, a few long); times move forward a few minutes per message.
struct GeneratedHistory {
    let customers: Int
    let messages: Int
    private var random: SplitMix64
    private var produced = 0
    private var time: Date
    /// Mean seconds between two messages, when the history is spread over a span.
    private let step: Double?
    /// No message is later than this (the span's end).
    private let end: Date
    /// (email, phone) of the customers who wrote by email and by SMS.
    private(set) var sameCustomer: [(Address, Address)] = []
    private var merged: Set<Int> = []

    /// - Parameter span: when the history happens; nil: from November 2023, a few minutes per message.
    init(customers: Int, messages: Int, seed: UInt64, span: (start: Date, end: Date)? = nil) {
        self.customers = customers
        self.messages = messages
        random = SplitMix64(seed: seed)
        time = span?.start ?? Date(timeIntervalSince1970: 1_700_000_000)
        // A little under the even share, so the sum of the random steps rarely reaches the end.
        step = span.map { max(1, 0.95 * $0.end.timeIntervalSince($0.start) / Double(max(messages, 1))) }
        end = span?.end ?? .distantFuture
    }

    mutating func next() throws -> InboundEnvelope? {
        guard produced < messages else { return nil }
        defer { produced += 1 }
        // The first pass gives every customer a message; then customers are drawn with a skew.
        let customer = produced < customers ? produced : Int(Double(customers) * pow(random.unit(), 2))
        let email = try Address(parsing: "email:customer\(customer)@example.com")
        let thread = Int(pow(random.unit(), 3) * 5)
        // Without a span, 1 to 300 s (as the benchmarks' histories always were).
        time = min(end, time + Double(1 + Int(random.unit() * (step.map { 2 * $0 - 1 } ?? 300))))
        let words = ["order", "refund", "delivery", "invoice", "password", "account", "parcel", "late", "thanks"]
        let text = (0..<(3 + Int(random.unit() * 30))).map { _ in words[Int(random.unit() * Double(words.count))] }
            .joined(separator: " ")
        let (channel, from, threadKey, subject): (ChannelID, Address, String, String?)
        if customer % 11 == 4 {
            // WhatsApp only.
            let number = try Address(parsing: "whatsapp:+1415\(String(format: "%07d", 6_000_000 + customer))")
            (channel, from, threadKey, subject) = ("whatsapp", number, "whatsapp", nil)
        } else if customer % 20 == 0 && random.unit() < 0.3 {
            // SMS from a number nobody linked yet: a second profile, until an agent merges them.
            let phone = try Address(parsing: "tel:+1415\(String(format: "%07d", 5_000_000 + customer))")
            if !merged.contains(customer) {
                merged.insert(customer)
                sameCustomer.append((email, phone))
            }
            (channel, from, threadKey, subject) = ("sms", phone, "sms", nil)
        } else if customer % 13 == 5 && random.unit() < 0.3 {
            // Web chat with the same email address: the same profile, another channel.
            (channel, from, threadKey, subject) = ("chat", email, "chat-\(customer)", nil)
        } else {
            (channel, from, threadKey, subject) = ("mail", email, "thread-\(customer)-\(thread)", "Question \(thread)")
        }
        return InboundEnvelope(
            channel: channel, externalID: "gen-\(produced)", from: from, threadKey: threadKey, subject: subject,
            text: text, sentAt: time,
            hints: IdentityHints(displayName: channel == "mail" ? "Customer \(customer)" : nil))
    }
}

/// A small, fast, seeded generator (Steele, Lea and Flood's SplitMix64), so a seed always gives the same history.
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// In [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
