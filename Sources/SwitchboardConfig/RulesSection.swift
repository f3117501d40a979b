import Foundation
import SwitchboardAdapterKit
import SwitchboardCore

/// One entry of `rules:` — conditions on an inbound message and what to do when it meets them all:
///
/// ```yaml
/// rules:
///   - name: refunds
///     when:
///       message: first                 # first (opens a conversation) or follow_up
///       channels: [shop, mail]         # any of them; absent: every channel
///       keywords: [refund, money back] # any of them, as whole words, ignoring case
///       pattern: 'order\s*#?\d+'       # a regular expression the text matches
///       customer: { plan: gold }       # customer attributes with these values
///       tags: [vip]                    # the conversation carries all of them
///       business_hours: closed         # open or closed (config business_hours:)
///       sentiment: negative            # positive, neutral or negative
///     then:
///       tag: [refund]
///       priority: 2                    # raised to at least this, 0 to 3
///       assign: round_robin            # or { round_robin: [alice, bob] }: signed-in agents in turn
///       acknowledge: "Thanks {{customer.first_name|}}, we have your message."
///       acknowledge_window: 24h        # at most one automatic answer per conversation in this time
///       close: true
/// ```
struct RuleEntry: Decodable {
    var rule: Rule

    enum CodingKeys: String, CodingKey { case name, when, then }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let name = try ConfigName.decode(.name, in: container, what: "a rule name")
        // Both halves are read before a mistake in either is reported, so the other is not called unknown.
        var conditions = RuleConditions()
        var actions = RuleActions()
        var mistake: (any Error)?
        do {
            conditions = try container.decodeIfPresent(RuleWhen.self, forKey: .when)?.conditions ?? RuleConditions()
        } catch {
            mistake = error
        }
        do {
            actions = try container.decode(RuleThen.self, forKey: .then).actions
        } catch {
            mistake = mistake ?? error
        }
        if let mistake { throw mistake }
        guard !actions.isEmpty else {
            throw DecodingError.dataCorruptedError(
                forKey: .then, in: container,
                debugDescription: "rule '\(name)' does nothing; give tag, priority, assign, acknowledge or close")
        }
        rule = Rule(name: name, conditions: conditions, actions: actions)
    }
}

/// A rule's `when:`.
struct RuleWhen: Decodable {
    var conditions: RuleConditions

    enum CodingKeys: String, CodingKey {
        case message, channels, keywords, pattern, customer, tags, sentiment
        case businessHours = "business_hours"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        var conditions = RuleConditions()
        conditions.message = try Self.choice(RuleConditions.MessagePosition.self, .message, in: container)
        conditions.businessTime = try Self.choice(RuleConditions.BusinessTime.self, .businessHours, in: container)
        conditions.sentiment = try Self.choice(Sentiment.self, .sentiment, in: container)
        conditions.channels = Set(
            (try container.decodeIfPresent([String].self, forKey: .channels) ?? []).map { ChannelID($0) })
        conditions.keywords = try container.decodeIfPresent([String].self, forKey: .keywords) ?? []
        if conditions.keywords.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            throw DecodingError.dataCorruptedError(
                forKey: .keywords, in: container, debugDescription: "a keyword must not be empty")
        }
        if let source = try container.decodeIfPresent(String.self, forKey: .pattern) {
            do {
                conditions.pattern = try RulePattern(source)
            } catch {
                throw DecodingError.dataCorruptedError(
                    forKey: .pattern, in: container,
                    debugDescription:
                        "'\(source.prefix(80))' is not a regular expression (ICU syntax; quote it with '…' in YAML)")
            }
        }
        conditions.customerAttributes = try container.decodeIfPresent([String: String].self, forKey: .customer) ?? [:]
        do {
            conditions.tags = try ConversationChange.normalizedTags(
                try container.decodeIfPresent([String].self, forKey: .tags) ?? [])
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .tags, in: container, debugDescription: "\(error)")
        }
        self.conditions = conditions
    }

    /// One of `T`'s names, or an error that lists them.
    static func choice<T: RawRepresentable & CaseIterable>(
        _ type: T.Type, _ key: CodingKeys, in container: KeyedDecodingContainer<CodingKeys>
    ) throws -> T? where T.RawValue == String {
        guard let text = try container.decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let value = T(rawValue: text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container,
                debugDescription: "'\(text)' is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }
}

/// A rule's `then:`.
struct RuleThen: Decodable {
    var actions: RuleActions

    enum CodingKeys: String, CodingKey {
        case tag, priority, assign, acknowledge, close
        case acknowledgeWindow = "acknowledge_window"
    }

    enum AssignKeys: String, CodingKey { case roundRobin = "round_robin" }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        var actions = RuleActions()
        do {
            actions.addTags = try ConversationChange.normalizedTags(
                try container.decodeIfPresent([String].self, forKey: .tag) ?? [])
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .tag, in: container, debugDescription: "\(error)")
        }
        if let priority = try container.decodeIfPresent(Int.self, forKey: .priority) {
            guard ConversationChange.priorities.contains(priority) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .priority, in: container, debugDescription: "a priority is 0 (normal) to 3")
            }
            actions.priority = priority
        }
        if container.contains(.assign) {
            if let word = try? container.decode(String.self, forKey: .assign) {
                guard word == "round_robin" else {
                    throw DecodingError.dataCorruptedError(
                        forKey: .assign, in: container,
                        debugDescription: "write assign: round_robin, or assign: { round_robin: [alice, bob] }")
                }
                actions.assignRoundRobin = []
            } else {
                let assign = try container.nestedContainer(keyedBy: AssignKeys.self, forKey: .assign)
                actions.assignRoundRobin = try assign.decode([String].self, forKey: .roundRobin)
            }
        }
        if let text = try container.decodeIfPresent(String.self, forKey: .acknowledge) {
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw DecodingError.dataCorruptedError(
                    forKey: .acknowledge, in: container, debugDescription: "the acknowledgement text is empty")
            }
            do {
                actions.acknowledge = try CannedReply(name: "acknowledge", text: text)
            } catch {
                throw DecodingError.dataCorruptedError(
                    forKey: .acknowledge, in: container, debugDescription: "\(error)")
            }
        }
        if let window = try container.decodeIfPresent(ConfigDuration.self, forKey: .acknowledgeWindow) {
            guard actions.acknowledge != nil else {
                throw DecodingError.dataCorruptedError(
                    forKey: .acknowledgeWindow, in: container,
                    debugDescription: "acknowledge_window needs an acknowledge: text in the same rule")
            }
            actions.acknowledgeWindow = window.duration
        }
        actions.close = try container.decodeIfPresent(Bool.self, forKey: .close) ?? false
        self.actions = actions
    }
}
