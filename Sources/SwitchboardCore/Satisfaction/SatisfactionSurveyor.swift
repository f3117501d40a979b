import Foundation
import Logging
import ServiceLifecycle
import SwitchboardAdapterKit

/// Asks for a rating when a conversation is resolved: listens to the hub's events and, for each
/// `resolved`, has the store queue the question (once per conversation) on a channel that sends.
public struct SatisfactionSurveyor: Service {
    let survey: SatisfactionSurvey
    let store: any SatisfactionStore
    /// Channel instances the hub sends on; conversations elsewhere are not asked.
    let channels: Set<ChannelID>
    let conversations: any TimelineReader
    let events: AsyncStream<HubEvent>
    let queued: @Sendable () -> Void
    let logger: Logger

    /// Subscribes to `bus` at once, so no resolution published after the hub is wired is missed.
    public init(
        survey: SatisfactionSurvey, store: any SatisfactionStore & TimelineReader, channels: Set<ChannelID>,
        bus: EventBus, logger: Logger, queued: @escaping @Sendable () -> Void = {}
    ) {
        self.survey = survey
        self.store = store
        self.conversations = store
        self.channels = channels
        self.events = bus.subscribe(bufferingNewest: 10_000)
        self.logger = logger
        self.queued = queued
    }

    public func run() async throws {
        for await event in events.cancelOnGracefulShutdown() {
            guard case .statusChanged(let id, _, let status) = event, status == Conversation.Status.resolved.rawValue
            else { continue }
            await ask(id)
        }
    }

    func ask(_ conversationID: String) async {
        do {
            guard let conversation = try await conversations.conversation(id: conversationID),
                channels.contains(conversation.channel)
            else { return }
            if try await store.askForRating(conversationID: conversationID, survey: survey, now: Date()) != nil {
                queued()
            }
        } catch {
            logger.error(
                "could not ask for a rating", metadata: ["conversation": "\(conversationID)", "error": "\(error)"])
        }
    }
}
