import Foundation
import SwitchboardAdapterKit

/// Decides which thread an incoming mail belongs to, in this order, and remembers what it needs to
/// decide the next time:
///
/// 1. one of **our own Message-IDs**, verified by its MAC, in In-Reply-To, then in References
///    (newest first): the thread key it carries;
/// 2. a Message-ID we have seen before (imported or sent), in In-Reply-To, then References: its
///    thread;
/// 3. a reply to mail we never saw: the thread root (the first of References) names the thread;
/// 4. only if `subject_threading` is on, for a mail with no references at all: the thread of the
///    same sender's latest mail with the same normalised subject;
/// 5. otherwise a new thread, named by the mail's own Message-ID.
///
/// The thread key alone never joins customers: the store files a message into a conversation only
/// if the conversation's customer address is the sender's, so another person's mail that quotes
/// our Message-ID or the subject starts a conversation of its own.
struct ThreadResolver: Sendable {
    /// Which rule decided, for logs and tests.
    enum Rule: String, Sendable { case ourMessageID, knownMessageID, threadRoot, subject, newThread }

    let ours: OurMessageIDs
    let subjectThreading: Bool
    /// The adapter's memory: Message-ID → thread key, Message-ID → References chain.
    let state: any CursorStore

    /// At most this many ids go into the References of a reply (the root and the newest).
    static let maxReferences = 20

    func resolve(
        messageID: String, inReplyTo: [String], references: [String], subject: String?, sender: Address
    ) async throws -> (key: String, rule: Rule) {
        let newestFirst = inReplyTo + references.reversed()
        for id in newestFirst {
            if let key = ours.threadKey(in: id) { return (key, .ourMessageID) }
        }
        for id in newestFirst {
            if let key = try await state.value(for: Self.messageKey(id)) { return (key, .knownMessageID) }
        }
        if let root = references.first ?? inReplyTo.first {
            return (Self.threadKey(forRoot: root), .threadRoot)
        }
        if subjectThreading, let subjectKey = Self.subjectKey(subject, sender: sender),
            let key = try await state.value(for: subjectKey)
        {
            return (key, .subject)
        }
        return (Self.threadKey(forRoot: messageID), .newThread)
    }

    /// Records a mail (received or sent) so later replies to it find its thread and its chain.
    func remember(
        messageID: String, threadKey: String, references: [String], subject: String?, sender: Address?
    ) async throws {
        // The first thread a Message-ID was seen in stays its thread: a later mail that reuses the
        // id (a careless client, or someone who saw it) cannot redirect replies to the original.
        if try await state.value(for: Self.messageKey(messageID)) == nil {
            try await state.setValue(threadKey, for: Self.messageKey(messageID))
        }
        let chain = Self.trimmed(references.filter { $0 != messageID } + [messageID])
        let encoded = String(decoding: try JSONEncoder().encode(chain), as: UTF8.self)
        try await state.setValue(encoded, for: Self.chainKey(messageID))
        if subjectThreading, let sender, let subjectKey = Self.subjectKey(subject, sender: sender) {
            try await state.setValue(threadKey, for: subjectKey)
        }
    }

    /// The References for a reply to `parent`: its chain as remembered, else the parent alone.
    func references(forReplyTo parent: String) async throws -> [String] {
        guard let stored = try await state.value(for: Self.chainKey(parent)),
            let chain = try? JSONDecoder().decode([String].self, from: Data(stored.utf8)), !chain.isEmpty
        else { return [parent] }
        return chain
    }

    /// Keeps the root and the newest ids, as RFC 5322 §3.6.4 suggests for long threads.
    static func trimmed(_ chain: [String]) -> [String] {
        guard chain.count > maxReferences, let root = chain.first else { return chain }
        return [root] + chain.suffix(maxReferences - 1)
    }

    static func threadKey(forRoot id: String) -> String {
        "t-" + String(HMACSignature.sha256Hex(Array(id.utf8)).prefix(24))
    }

    static func messageKey(_ id: String) -> String {
        "mid:" + String(HMACSignature.sha256Hex(Array(id.utf8)).prefix(32))
    }

    static func chainKey(_ id: String) -> String {
        "refs:" + String(HMACSignature.sha256Hex(Array(id.utf8)).prefix(32))
    }

    static func subjectKey(_ subject: String?, sender: Address) -> String? {
        let normalised = normalisedSubject(subject ?? "")
        guard !normalised.isEmpty else { return nil }
        return "subj:" + String(HMACSignature.sha256Hex(Array("\(sender)\n\(normalised)".utf8)).prefix(32))
    }

    /// Lower-cased, whitespace collapsed, without reply and forward prefixes (`Re:`, `Fwd:`, `AW:`,
    /// `SV:`, `Réf. :`, `[External]`…), repeated or numbered (`Re[2]:`).
    static func normalisedSubject(_ subject: String) -> String {
        let prefixes: Set<String> = [
            "re", "fw", "fwd", "aw", "wg", "sv", "vs", "antw", "réf", "ref", "tr", "rv", "enc", "odp", "res",
        ]
        var text = Substring(subject.lowercased())
        while true {
            text = text.drop(while: { $0.isWhitespace })
            if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
                text = text[text.index(after: close)...]
                continue
            }
            guard let colon = text.firstIndex(where: { $0 == ":" || $0 == "：" }) else { break }
            var word = text[..<colon].trimmingCharacters(in: .whitespaces)
            if word.hasSuffix("."), word.count > 1 { word.removeLast() }
            if let bracket = word.firstIndex(where: { $0 == "[" || $0 == "(" }) {
                word = String(word[..<bracket])
            }
            guard prefixes.contains(word) else { break }
            text = text[text.index(after: colon)...]
        }
        return text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
