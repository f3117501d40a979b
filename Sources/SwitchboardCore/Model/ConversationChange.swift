import Foundation

/// What an agent changes on a conversation besides its status: who owns it, its tags, its
/// priority. A field left `nil` stays as it is; `assignee: .some(nil)` unassigns.
public struct ConversationChange: Sendable, Hashable {
    public var assignee: String??
    public var tags: [String]?
    public var priority: Int?
    /// Relative changes, applied to the conversation as it is when the change is written (not as
    /// it was read before): what rules use, so an agent's change made meanwhile is kept.
    /// Tags added to those the conversation has.
    public var addingTags: [String] = []
    /// The priority raised to at least this; never lowered.
    public var raisingPriorityTo: Int?
    /// The assignee, only if the conversation has none.
    public var assigneeIfNone: String?

    public init(assignee: String?? = nil, tags: [String]? = nil, priority: Int? = nil) {
        self.assignee = assignee
        self.tags = tags
        self.priority = priority
    }

    /// The highest priority; 0 is normal.
    public static let priorities = 0...3

    /// Tags as stored: trimmed, lowercased, without repeats, each 1 to 40 letters, digits, `-`,
    /// `_` or `.`. Throws `invalid` naming the first tag that is not.
    public static func normalizedTags(_ tags: [String]) throws -> [String] {
        var result: [String] = []
        for tag in tags {
            let normalized = tag.trimmingCharacters(in: .whitespaces).lowercased()
            guard (1...40).contains(normalized.count),
                normalized.unicodeScalars.allSatisfy({
                    CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)
                })
            else {
                throw StoreError(
                    .invalid, "tag '\(tag.prefix(60))' must be 1 to 40 letters, digits, '-', '_' or '.'")
            }
            if !result.contains(normalized) { result.append(normalized) }
        }
        guard result.count <= 20 else { throw StoreError(.invalid, "a conversation has at most 20 tags") }
        return result
    }
}

extension Conversation {
    /// What an update changed since `before`, as the live `conversation.updated` event names it:
    /// `assignment`, `tags` and `priority`, comma-separated; empty when nothing changed.
    public func changedFields(since before: Conversation) -> String {
        [
            before.assignee != assignee ? "assignment" : nil, before.tags != tags ? "tags" : nil,
            before.priority != priority ? "priority" : nil,
        ].compactMap { $0 }.joined(separator: ",")
    }
}
