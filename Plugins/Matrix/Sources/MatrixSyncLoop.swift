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
/// fetches the gap with `GET /rooms/{roomId}/messages?dir=f&from=<since>&to=<prev_batch>` first,
/// delivering each page as it comes (see `MatrixGapFill.swift`); joins that failed for a passing
/// reason are retried at the start of later syncs (see `MatrixInvites.swift`).
struct MatrixSyncLoop: Sendable {
    let configuration: MatrixConfiguration
    let api: MatrixAPI
    let mapper: MatrixEventMapper
    let cursor: any CursorStore
    let sink: any InboundSink
    let logger: Logger
    /// The clock of the join retries (tests move it on).
    var now: @Sendable () -> Date = { Date() }

    /// The cursor key of the last stored `next_batch`.
    static let sinceKey = "since"
    /// Timeline events per room in a sync after the first; more than this makes the timeline
    /// `limited`, and the gap is fetched with /messages.
    static let timelineLimit = 50
    static let gapPageSize = 100

    /// What one sync did, for logs and tests.
    struct Report: Sendable, Equatable {
        var delivered = 0
        var joined: [String] = []
        var ignoredInvites: [String] = []
        var gapEvents = 0
    }

    /// Syncs until cancelled. Failures are retried with backoff (1 s doubling to 60 s, or the
    /// homeserver's `retry_after_ms`, at most 10 minutes); a refused access token ends the loop with
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
                let wait = Self.retryWait(backoff: delay, error: error)
                logger.warning("matrix sync failed; retrying in \(wait): \(error)")
                try await Task.sleep(for: wait)
                delay = min(delay * 2, .seconds(60))
            }
        }
    }

    /// The wait before the next attempt: the backoff, or longer when the homeserver asked for it,
    /// never more than ``MatrixAPIError/maxRetryAfter``.
    static func retryWait(backoff: Duration, error: any Error) -> Duration {
        let asked = MatrixAPIError.clamped((error as? MatrixAPIError)?.retryAfter) ?? .zero
        return min(max(backoff, asked), MatrixAPIError.maxRetryAfter)
    }

    /// One `/sync`: retry due joins, fill gaps, deliver, join, then remember `next_batch`.
    func syncOnce() async throws -> Report {
        var report = Report()
        try await retryPendingJoins(into: &report)
        let since = try await cursor.value(for: Self.sinceKey)
        let first = since == nil
        let api = self.api
        let timeout = first ? Duration.zero : configuration.syncTimeout
        let limit = first ? max(configuration.initialHistory, 1) : Self.timelineLimit
        let response = try await checked {
            try await CancellableWait.run { try await api.sync(since: since, timelineLimit: limit, timeout: timeout) }
        }
        guard let next = response["next_batch"]?.string, !next.isEmpty else {
            throw MatrixAPIError(
                endpoint: "/sync", status: 200,
                message: "the answer has no next_batch: is homeserver_url a Matrix homeserver, not a proxy or web page?"
            )
        }
        var envelopes: [InboundEnvelope] = []
        var seen = Set<String>()
        var gapRooms: [String] = []
        for (roomID, room) in (response["rooms"]?["join"]?.object ?? [:]).sorted(by: { $0.key < $1.key }) {
            try Task.checkCancellation()
            var events = room["timeline"]?["events"]?.array ?? []
            if first && configuration.initialHistory == 0 { events = [] }
            let gapEnd = room["timeline"]?["limited"]?.bool == true ? room["timeline"]?["prev_batch"]?.string : nil
            let imported = events.filter(MatrixEventMapper.isImported)
            guard !imported.isEmpty || (since != nil && gapEnd != nil) else { continue }
            let names = MatrixEventMapper.displayNames((room["state"]?["events"]?.array ?? []) + events)
            let visibility = try await visibility(roomID: roomID, summary: room["summary"])
            let mapped = MatrixEventMapper.Room(id: roomID, visibility: visibility, displayNames: names)
            if let since, let gapEnd {
                report.gapEvents += try await fillGap(in: mapped, since: since, upTo: gapEnd, seen: &seen)
                gapRooms.append(roomID)
            }
            for event in imported {
                guard let envelope = mapper.envelope(event, in: mapped), seen.insert(envelope.externalID).inserted
                else { continue }
                envelopes.append(envelope)
            }
        }
        try await deliver(envelopes)
        report.delivered = seen.count
        var failedJoins: [PendingJoin] = []
        for (roomID, room) in (response["rooms"]?["invite"]?.object ?? [:]).sorted(by: { $0.key < $1.key }) {
            try Task.checkCancellation()
            let state = room["invite_state"]?["events"]?.array ?? []
            if let failed = try await handleInvite(roomID: roomID, state: state, into: &report) {
                failedJoins.append(failed)
            }
        }
        if !failedJoins.isEmpty { try await addPendingJoins(failedJoins) }
        try await cursor.setValue(next, for: Self.sinceKey)
        for roomID in gapRooms { try await cursor.setValue("", for: Self.gapKey(roomID)) }
        return report
    }

    /// Hands `envelopes` to the hub (which dedups by event id). A refused event stops the sync
    /// before its position is saved (``DeliveryRefused``), as every poller does, so it is never
    /// skipped: the loop retries with backoff, logging why, until what refused it is fixed.
    func deliver(_ envelopes: [InboundEnvelope]) async throws {
        _ = try await sink.deliverAll(envelopes)
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
            count = try await checked {
                try await CancellableWait.run { try await api.joinedMemberCount(roomID: roomID) }
            }
            try await cursor.setValue("\(count)", for: key)
        }
        return count <= 2 ? .private : .public
    }

    /// Runs an API call, turning a refused token into ``MatrixCredentialError``.
    func checked<T>(_ call: () async throws -> T) async throws -> T {
        do {
            return try await call()
        } catch let error as MatrixAPIError where error.isCredentialError {
            throw MatrixCredentialError(userID: configuration.userID, errcode: error.errcode)
        }
    }
}
