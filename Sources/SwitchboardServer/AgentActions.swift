import Foundation
import SwitchboardAdapterKit
import SwitchboardCore

/// What an agent does to a conversation, the same whether it comes from the JSON API or from a
/// form in the web inbox: each action changes the store, then tells open screens and webhook
/// subscribers through the event bus, then wakes the dispatcher when a reply is waiting.
struct AgentActions: Sendable {
    let dependencies: HubServer.Dependencies
    var store: any SwitchboardStore { dependencies.store }

    /// Queues a reply. `channel` picks another channel the customer has written on: the reply
    /// goes to their latest conversation there (so it threads where they will see it); absent or
    /// the conversation's own channel, it goes to this conversation.
    func reply(_ request: ReplyRequest, channel: ChannelID?) async throws -> Message {
        var request = request
        if let channel {
            guard let conversation = try await store.conversation(id: request.conversationID) else {
                throw StoreError(.notFound, "no conversation \(request.conversationID)")
            }
            if channel != conversation.channel {
                let others = try await store.conversations(customerID: conversation.customerID)
                guard let target = others.first(where: { $0.channel == channel }) else {
                    let known = Set(others.map(\.channel.rawValue)).sorted().joined(separator: ", ")
                    throw StoreError(
                        .invalid,
                        "the customer has never written on channel '\(channel.rawValue)'; they are known on \(known)")
                }
                request.conversationID = target.id
            }
        }
        let message = try await store.enqueueReply(request)
        dependencies.replyQueued()
        return message
    }

    func setStatus(conversationID: String, to status: Conversation.Status, actor: String) async throws
        -> Conversation
    {
        let before = try await store.conversation(id: conversationID)?.status
        let conversation = try await store.setStatus(conversationID: conversationID, to: status, actor: actor)
        if before != status {
            dependencies.events.publish(
                .statusChanged(
                    conversationID: conversation.id, customerID: conversation.customerID, status: status.rawValue))
        }
        return conversation
    }

    /// Assignee, tags, priority; one event when anything changed.
    func update(conversationID: String, _ change: ConversationChange, actor: String) async throws -> Conversation {
        let before = try await store.conversation(id: conversationID)
        let after = try await store.update(conversationID: conversationID, change, actor: actor)
        if let before, case let what = after.changedFields(since: before), !what.isEmpty {
            dependencies.events.publish(
                .conversationUpdated(conversationID: after.id, customerID: after.customerID, change: what))
        }
        return after
    }

    func addNote(conversationID: String, text: String, author: String) async throws -> SystemEvent {
        let note = try await store.addNote(conversationID: conversationID, text: text, author: author)
        dependencies.events.publish(
            .conversationUpdated(conversationID: conversationID, customerID: note.customerID, change: "note"))
        return note
    }

    func merge(_ source: String, into target: String, actor: String, reason: String) async throws -> MergeRecord {
        let record = try await store.merge(source, into: target, actor: actor, reason: reason)
        dependencies.events.publish(.merged(record))
        return record
    }

    func unmerge(_ id: String, actor: String) async throws -> MergeRecord {
        let record = try await store.unmerge(id, actor: actor)
        dependencies.events.publish(.unmerged(record))
        return record
    }
}
