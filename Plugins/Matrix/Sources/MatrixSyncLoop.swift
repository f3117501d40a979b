import Foundation
import Logging
import SwitchboardAdapterKit

/// The inbound side: long-polls `/sync` (https://spec.matrix.org/latest/client-server-api/#syncing)
/// from the `since` token kept in the channel's cursor store, hands the new messages of joined rooms
/// to the hub, joins the rooms it is invited to by someone `accept_invites` allows, and only then
/// stores the response's `next_batch`, so a restart neither loses nor repeats a message.
///
/// The very first sync (no token yet) imports at most `initial_history` recent events per room. A
/// later sync whose room timeline is `limited` (more events than fit, e.g. after the hub was down)
/// fetches the gap with `GET /rooms/{roomId}/messages?dir=b&from=<prev_batch>&to=<since>` before
/// delivering, so nothing sent meanwhile is skipped.
struct MatrixSyncLoop: Sendable {
    let configuration: MatrixConfiguration
    let api: MatrixAPI
    let mapper: MatrixEventMapper
    let cursor: any CursorStore
    let sink: any InboundSink
    let logger: Logger

    /// The cursor key of the last stored `next_batch`.
    static let sinceKey = "since"
    /// Timeline events per room in a sync after the first; more than this makes the timeline
    /// `limited`, and the gap is fetched with /messages.
    static let timelineLimit = 50
    static let gapPageSize = 100
    /// A gap longer than this is cut (with a warning) rather than fetched without end.
    static let maxGapEvents = 10_000

    /// What one sync did, for logs and tests.
    struct Report: Sendable, Equatable {
        var delivered = 0
        var joined: [String] = []
        var ignoredInvites: [String] = []
        var gapEvents = 0
    }

    /// Syncs until cancelled. Failures are retried with backoff (1 s doubling to 60 s, or the
    /// homeserver's `retry_after_ms`); a refused access token ends the loop with
    /// ``MatrixCredentialError``, which the hub's supervisor shows and retries slowly.
    func run() async throws {
        var delay = Duration.seconds(1)
        while !Task.isCancelled {
            do {
                let report = try await syncOnce()
                delay = .seconds(1)
                if report != Report() {
                    logger.info(
                        "matrix synced",
                        metadata: [
                            "delivered": "\(report.delivered)", "joined": "\(report.joined)",
                            "ignored_invites": "\(report.ignoredInvites)", "gap_events": "\(report.gapEvents)",
                        ])
                }
            } catch let error as MatrixCredentialError {
                logger.error("\(error.description)")
                throw error
            } catch {
                if Task.isCancelled || error is CancellationError { return }
                let wait = max(delay, (error as? MatrixAPIError)?.retryAfter ?? .zero)
                logger.warning("matrix sync failed; retrying in \(wait): \(error)")
                try await Task.sleep(for: wait)
                delay = min(delay * 2, .seconds(60))
            }
        }
    }

    /// One `/sync`: deliver, join, then remember `next_batch`.
    func syncOnce() async throws -> Report {
        let since = try await cursor.value(for: Self.sinceKey)
        let first = since == nil
        let api = self.api
        let timeout = first ? Duration.zero : configuration.syncTimeout
        let limit = first ? max(configuration.initialHistory, 1) : Self.timelineLimit
        let response = try await checked {
            try await CancellableWait.run { try await api.sync(since: since, timelineLimit: limit, timeout: timeout) }
        }
        guard let next = response["next_batch"]?.string, !next.isEmpty else {
            throw MatrixAPIError(endpoint: "/sync", status: 200, message: "the answer has no next_batch")
        }
        var report = Report()
        var envelopes: [InboundEnvelope] = []
        var seen = Set<String>()
        for (roomID, room) in (response["rooms"]?["join"]?.object ?? [:]).sorted(by: { $0.key < $1.key }) {
            var events = room["timeline"]?["events"]?.array ?? []
            if first && configuration.initialHistory == 0 { events = [] }
            if let since, room["timeline"]?["limited"]?.bool == true,
                let prevBatch = room["timeline"]?["prev_batch"]?.string
            {
                let gap = try await fillGap(roomID: roomID, from: prevBatch, to: since)
                report.gapEvents += gap.count
                events = gap + events
            }
            let messages = events.filter { $0["type"]?.string == "m.room.message" }
            guard !messages.isEmpty else { continue }
            let names = MatrixEventMapper.displayNames((room["state"]?["events"]?.array ?? []) + events)
            let visibility = try await visibility(roomID: roomID, summary: room["summary"])
            let mapped = MatrixEventMapper.Room(id: roomID, visibility: visibility, displayNames: names)
            for event in messages {
                guard let envelope = mapper.envelope(event, in: mapped), seen.insert(envelope.externalID).inserted
                else { continue }
                envelopes.append(envelope)
            }
        }
        if !envelopes.isEmpty {
            let outcomes = try await sink.deliver(envelopes)
            for (envelope, outcome) in zip(envelopes, outcomes) {
                if case .rejected(let reason) = outcome {
                    logger.warning("the hub refused Matrix event \(envelope.externalID): \(reason)")
                }
            }
            report.delivered = envelopes.count
        }
        for (roomID, room) in (response["rooms"]?["invite"]?.object ?? [:]).sorted(by: { $0.key < $1.key }) {
            try await handleInvite(roomID: roomID, state: room["invite_state"]?["events"]?.array ?? [], into: &report)
        }
        try await cursor.setValue(next, for: Self.sinceKey)
        return report
    }

    /// The events between `to` (the previous sync's token) and `from` (the timeline's `prev_batch`),
    /// oldest first.
    func fillGap(roomID: String, from: String, to: String) async throws -> [MatrixJSON] {
        var collected: [MatrixJSON] = []
        var token = from
        while collected.count < Self.maxGapEvents {
            let api = self.api
            let page = try await checked {
                try await api.messages(roomID: roomID, from: token, to: to, limit: Self.gapPageSize)
            }
            let chunk = page["chunk"]?.array ?? []
            collected += chunk
            guard !chunk.isEmpty, let end = page["end"]?.string, end != token else { return collected.reversed() }
            token = end
        }
        logger.warning(
            "room \(roomID) missed more than \(Self.maxGapEvents) events while the hub was away; only the newest are imported"
        )
        return collected.reversed()
    }

    /// `.private` for a room of two joined members (the customer and the hub), `.public` for more.
    /// The count comes from the sync's room summary when it has one (only when it changed), else the
    /// count remembered from an earlier sync, else `GET /joined_members`.
    func visibility(roomID: String, summary: MatrixJSON?) async throws -> Visibility {
        let key = "joined_members:" + roomID
        var count: Int
        if let fromSummary = summary?["m.joined_member_count"]?.int {
            count = Int(fromSummary)
            try await cursor.setValue("\(count)", for: key)
        } else if let remembered = try await cursor.value(for: key).flatMap(Int.init) {
            count = remembered
        } else {
            let api = self.api
            count = try await checked { try await api.joinedMemberCount(roomID: roomID) }
            try await cursor.setValue("\(count)", for: key)
        }
        return count <= 2 ? .private : .public
    }

    /// Joins when the inviter matches `accept_invites`; otherwise leaves the invitation unanswered.
    func handleInvite(roomID: String, state: [MatrixJSON], into report: inout Report) async throws {
        let invite = state.first {
            $0["type"]?.string == "m.room.member" && $0["state_key"]?.string == configuration.userID
                && $0["content"]?["membership"]?.string == "invite"
        }
        let inviter = invite?["sender"]?.string ?? "an unknown user"
        guard configuration.acceptsInvite(from: inviter) else {
            logger.info(
                "ignoring the invitation to Matrix room \(roomID) from \(inviter): not allowed by accept_invites")
            report.ignoredInvites.append(roomID)
            return
        }
        do {
            let api = self.api
            try await checked { try await api.join(roomID: roomID) }
            report.joined.append(roomID)
        } catch let error as MatrixAPIError where error.status.map({ (400..<500).contains($0) && $0 != 429 }) == true {
            // The invitation was withdrawn, or the room is gone: nothing to retry.
            logger.warning("could not join Matrix room \(roomID) (invited by \(inviter)): \(error)")
        }
    }

    /// Runs an API call, turning a refused token into ``MatrixCredentialError``.
    private func checked<T>(_ call: () async throws -> T) async throws -> T {
        do {
            return try await call()
        } catch let error as MatrixAPIError where error.isCredentialError {
            throw MatrixCredentialError(userID: configuration.userID, errcode: error.errcode)
        }
    }
}
