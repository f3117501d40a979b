import Foundation
import Logging
import SwitchboardAdapterKit
import Synchronization

/// Runs the config's ``Rule``s on each message the router stored, and takes their actions through
/// the same store calls an agent's actions use, with the rule's name as the actor, so that each
/// automatic change is in the event log and the timeline like a person's.
///
/// An automatic answer is loop-safe: never to a message that is itself automatic (an
/// out-of-office reply, a bounce, list mail), never to a no-reply sender, never in public, and at
/// most one per conversation within the rule's window (counting every automatic message the hub
/// sent there, the per-channel acknowledgement included).
public final class RuleRunner: Sendable {
    public let rules: [Rule]
    let store: any SwitchboardStore
    let hours: BusinessHours
    let scorer: SentimentScorer
    let events: EventBus
    let queued: @Sendable () -> Void
    let logger: Logger
    /// The agent each round-robin rule gave the last conversation to (per process: after a restart,
    /// or across hub processes, the turn starts again from the first name).
    private let lastAssigned = Mutex<[String: String]>([:])

    /// - Parameter queued: called after an automatic answer is queued (wakes the dispatcher).
    public init(
        rules: [Rule], store: any SwitchboardStore, hours: BusinessHours, events: EventBus,
        scorer: SentimentScorer = .standard, logger: Logger, queued: @escaping @Sendable () -> Void = {}
    ) {
        self.rules = rules
        self.store = store
        self.hours = hours
        self.scorer = scorer
        self.events = events
        self.logger = logger
        self.queued = queued
    }

    /// Evaluates every rule on `stored` (an inbound message just stored) and applies those that
    /// match, in config order. A failing action is logged and the next one still runs: the
    /// message is stored whatever happens here.
    public func run(_ stored: StoredMessage, now: Date = Date()) async {
        // A keyword (STOP) or a rating ("4") is not a message for rules.
        guard stored.message.direction == .inbound, stored.optOut == nil, stored.rating == nil, !rules.isEmpty else {
            return
        }
        // History being imported (a mailbox read for the first time) is not work to hand out or close.
        guard now.timeIntervalSince(stored.message.sentAt) < Double(Acknowledger.maxAge.components.seconds) else {
            return
        }
        var attributes: [String: String] = [:]
        if rules.contains(where: \.conditions.needsCustomer) {
            attributes = (try? await store.profile(id: stored.conversation.customerID))?.customer.attributes ?? [:]
        }
        var subject = RuleConditions.Subject(
            message: stored.message, conversation: stored.conversation, newConversation: stored.newConversation,
            customerAttributes: attributes, sentiment: stored.sentiment ?? scorer.score(stored.message.text).sentiment,
            isOpen: hours.isOpen(at: stored.message.receivedAt))
        for rule in rules {
            // Each rule sees what the rules before it did (a tag one adds, another may ask for).
            guard rule.conditions.match(subject) else { continue }
            do {
                if let changed = try await apply(rule, to: stored, now: now) { subject.conversation = changed }
            } catch {
                logger.error(
                    "a rule's action failed",
                    metadata: [
                        "rule": "\(rule.name)", "conversation": "\(stored.conversation.id)", "error": "\(error)",
                    ])
            }
        }
    }

    /// Takes `rule`'s actions; returns the conversation as they left it.
    private func apply(_ rule: Rule, to stored: StoredMessage, now: Date) async throws -> Conversation? {
        let actions = rule.actions
        guard var conversation = try await store.conversation(id: stored.conversation.id) else { return nil }
        // Relative changes: the store applies them to the conversation as it is when it writes, so
        // an agent who tagged or took the conversation meanwhile keeps what they did.
        var change = ConversationChange()
        change.addingTags = actions.addTags.filter { !conversation.tags.contains($0) }
        if let priority = actions.priority, priority > conversation.priority { change.raisingPriorityTo = priority }
        if let among = actions.assignRoundRobin, conversation.assignee == nil {
            change.assigneeIfNone = try await nextAgent(for: rule, among: among, now: now)
        }
        if change != ConversationChange() {
            conversation = try await update(conversation, change, actor: rule.actor)
        }
        if let template = actions.acknowledge {
            try await answer(stored, with: template, rule: rule, now: now)
        }
        if actions.close && conversation.status != .resolved {
            conversation = try await store.setStatus(conversationID: conversation.id, to: .resolved, actor: rule.actor)
            events.publish(
                .statusChanged(
                    conversationID: conversation.id, customerID: conversation.customerID,
                    status: Conversation.Status.resolved.rawValue))
        }
        return conversation
    }

    private func update(_ before: Conversation, _ change: ConversationChange, actor: String) async throws
        -> Conversation
    {
        let after = try await store.update(conversationID: before.id, change, actor: actor)
        let what = after.changedFields(since: before)
        if !what.isEmpty {
            events.publish(.conversationUpdated(conversationID: after.id, customerID: after.customerID, change: what))
        }
        return after
    }

    /// The signed-in agent after the one this rule chose last, in name order; nil when nobody of
    /// `among` (everyone, when empty) is signed in.
    private func nextAgent(for rule: Rule, among: [String], now: Date) async throws -> String? {
        let available = try await store.signedInUsers(now: now).map(\.name)
            .filter { among.isEmpty || among.contains($0) }.sorted()
        guard let first = available.first else {
            logger.notice("no agent is signed in to take a conversation", metadata: ["rule": "\(rule.name)"])
            return nil
        }
        return lastAssigned.withLock { last in
            let next = last[rule.name].flatMap { previous in available.first { $0 > previous } } ?? first
            last[rule.name] = next
            return next
        }
    }

    private func answer(_ stored: StoredMessage, with template: CannedReply, rule: Rule, now: Date) async throws {
        let window = rule.actions.acknowledgeWindow
        if let reason = Self.refusal(stored.message, conversation: stored.conversation, now: now) {
            logger.debug("no automatic answer", metadata: ["rule": "\(rule.name)", "why": "\(reason)"])
            return
        }
        let name = (try? await store.profile(id: stored.conversation.customerID))?.customer.displayName
        let text = template.render(for: CannedReply.People(customerName: name, agentName: nil)).text
        // The window is checked in the same transaction as the write: one answer, however many
        // messages (and hub processes) arrive at once.
        let queuedAnswer = try await store.enqueueAutomaticReply(
            ReplyRequest(conversationID: stored.conversation.id, text: text, author: rule.actor, isAutomatic: true),
            unlessAutomaticSince: now.addingTimeInterval(-window.timeInterval))
        if queuedAnswer != nil {
            queued()
        } else {
            logger.debug(
                "no automatic answer", metadata: ["rule": "\(rule.name)", "why": "one was sent within the window"])
        }
    }

    /// Why `message` gets no automatic answer, or nil when it may get one. (At most one per window is
    /// checked where the answer is written: ``OutboxStore/enqueueAutomaticReply(_:unlessAutomaticSince:)``.)
    public static func refusal(_ message: Message, conversation: Conversation, now: Date) -> String? {
        if message.isAutomatic { return "the message is automatic (an out-of-office reply, a bounce, list mail)" }
        if message.visibility != .private { return "the message is public" }
        if conversation.customerAddress.isNoReplySender { return "the sender does not take replies" }
        if now.timeIntervalSince(message.sentAt) >= Double(Acknowledger.maxAge.components.seconds) {
            return "the message is old (history being imported)"
        }
        return nil
    }
}

extension Address {
    /// Mailer daemons, postmasters and no-reply senders, on any channel, and addresses the adapter
    /// could not read (`.invalid`): nobody reads what is sent to them.
    public var isNoReplySender: Bool {
        let value = self.value.lowercased()
        if value.hasSuffix(".invalid") { return true }
        let local = value.split(separator: "@").first.map(String.init) ?? value
        let markers = ["noreply", "no-reply", "no_reply", "donotreply", "do-not-reply", "do_not_reply"]
        return local == "mailer-daemon" || local == "postmaster" || markers.contains { local.contains($0) }
    }
}
