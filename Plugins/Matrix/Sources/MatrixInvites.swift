import Foundation
import Logging
import SwitchboardAdapterKit

/// An accepted invitation whose `POST /join` failed for a reason that may pass (a 5xx, a 429, no
/// answer): kept in the cursor store under ``MatrixSyncLoop/pendingJoinsKey`` and retried at the
/// start of later syncs, so a failed join neither blocks the sync position nor is forgotten.
struct PendingJoin: Codable, Sendable, Equatable {
    var roomID: String
    /// Who invited the hub (for the logs).
    var inviter: String
    /// Failed attempts so far.
    var attempts: Int
    /// Not retried before this.
    var nextAttempt: Date
}

/// Invitations: the hub joins a room when the inviter matches `accept_invites`, and retries a join
/// that failed for a passing reason a few times with backoff before giving up with a warning.
extension MatrixSyncLoop {
    /// The cursor key of the JSON list of ``PendingJoin``s.
    static let pendingJoinsKey = "pending_joins"
    /// Attempts (the first included) before a join is given up.
    static let maxJoinAttempts = 5

    /// The wait after `attempts` failed attempts: 30 s, 1 min, 2 min, 4 min, …, at most 30 min.
    static func joinBackoff(afterAttempts attempts: Int) -> Duration {
        min(.seconds(30) * (1 << min(max(attempts - 1, 0), 10)), .seconds(1800))
    }

    /// Joins when the inviter matches `accept_invites`; otherwise leaves the invitation unanswered.
    /// Returns the join to retry when it failed for a passing reason.
    ///
    /// The inviter is the sender of the LAST `m.room.member` invite event for the hub in
    /// `invite_state`: the homeserver appends the real invite event after the stripped state the
    /// inviting server supplied, and that stripped state can be forged.
    func handleInvite(roomID: String, state: [MatrixJSON], into report: inout Report) async throws -> PendingJoin? {
        let invite = state.last {
            $0["type"]?.string == "m.room.member" && $0["state_key"]?.string == configuration.userID
                && $0["content"]?["membership"]?.string == "invite"
        }
        let inviter = invite?["sender"]?.string ?? "an unknown user"
        guard configuration.acceptsInvite(from: inviter) else {
            logger.info(
                "ignoring the invitation to Matrix room \(roomID) from \(inviter): not allowed by accept_invites")
            report.ignoredInvites.append(roomID)
            return nil
        }
        let join = PendingJoin(roomID: roomID, inviter: inviter, attempts: 0, nextAttempt: now())
        return try await attemptJoin(join, into: &report)
    }

    /// Tries `join` once: nil when joined or given up, else the join to retry later.
    func attemptJoin(_ join: PendingJoin, into report: inout Report) async throws -> PendingJoin? {
        let api = self.api
        let roomID = join.roomID
        do {
            try await checked { try await CancellableWait.run { try await api.join(roomID: roomID) } }
            report.joined.append(roomID)
            return nil
        } catch let error as MatrixAPIError where error.status.map({ (400..<500).contains($0) && $0 != 429 }) == true {
            // The invitation was withdrawn, or the room is gone: nothing to retry.
            logger.warning("could not join Matrix room \(roomID) (invited by \(join.inviter)): \(error)")
            return nil
        } catch let error as MatrixAPIError {
            var retry = join
            retry.attempts += 1
            guard retry.attempts < Self.maxJoinAttempts else {
                logger.warning(
                    """
                    gave up joining Matrix room \(roomID) (invited by \(join.inviter)) after \(retry.attempts) \
                    attempts: \(error); join it by hand, or ask for a new invitation
                    """)
                return nil
            }
            let wait = max(Self.joinBackoff(afterAttempts: retry.attempts), error.retryAfter ?? .zero)
            retry.nextAttempt = now().addingTimeInterval(Double(wait.components.seconds))
            logger.warning("could not join Matrix room \(roomID) yet (\(error)); retrying in \(wait)")
            return retry
        }
    }

    /// Retries the pending joins that are due; runs at the start of every sync.
    func retryPendingJoins(into report: inout Report) async throws {
        let pending = try await pendingJoins()
        guard !pending.isEmpty else { return }
        let now = self.now()
        var kept: [PendingJoin] = []
        for join in pending {
            try Task.checkCancellation()
            guard join.nextAttempt <= now else {
                kept.append(join)
                continue
            }
            if let retry = try await attemptJoin(join, into: &report) { kept.append(retry) }
        }
        if kept != pending { try await savePendingJoins(kept) }
    }

    /// Adds `joins` to the stored pending joins (replacing older entries for the same rooms).
    func addPendingJoins(_ joins: [PendingJoin]) async throws {
        let rooms = Set(joins.map(\.roomID))
        try await savePendingJoins(try await pendingJoins().filter { !rooms.contains($0.roomID) } + joins)
    }

    /// The stored pending joins; an unreadable value counts as none (with a warning).
    func pendingJoins() async throws -> [PendingJoin] {
        guard let text = try await cursor.value(for: Self.pendingJoinsKey), !text.isEmpty else { return [] }
        do {
            return try JSONDecoder().decode([PendingJoin].self, from: Data(text.utf8))
        } catch {
            logger.warning("the stored list of Matrix joins to retry is unreadable and was dropped: \(error)")
            return []
        }
    }

    func savePendingJoins(_ joins: [PendingJoin]) async throws {
        let text = joins.isEmpty ? "" : String(decoding: try JSONEncoder().encode(joins), as: UTF8.self)
        try await cursor.setValue(text, for: Self.pendingJoinsKey)
    }
}
