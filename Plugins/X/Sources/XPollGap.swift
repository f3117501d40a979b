import Foundation
import SwitchboardAdapterKit

/// The part of a source's backlog a poll left unread because it hit ``XPoller/maxPages``.
///
/// X pages newest to oldest, so a capped poll has read the newest items and left a gap between
/// the stored position and the oldest item read. That gap is remembered here (in its own cursor
/// key, written only after the hub stored what was read) and filled on the next polls, before the
/// source's position moves: only when the gap is closed does the position become ``newest``.
/// Nothing is lost to the cap, and nothing is read twice.
struct XPollGap: Codable, Sendable, Hashable {
    /// The newest id already delivered: the source's position once the gap is closed.
    var newest: String
    /// The oldest id already delivered: the gap is everything older than it (and newer than the
    /// stored position). Posts are read with `until_id` set to it.
    var oldest: String
    /// Where paging stopped, for endpoints without `until_id` (DM events): the `pagination_token`
    /// of the next older page.
    var nextToken: String?

    /// The gap stored under `key`; none when nothing is stored, it was cleared, or it is stale (its
    /// newest id is not past `position`, which happens when a restart came between storing the
    /// position and clearing the gap).
    static func stored(in cursor: any CursorStore, key: String, position: String?) async throws -> XPollGap? {
        guard let text = try await cursor.value(for: key), !text.isEmpty,
            let gap = try? JSONDecoder().decode(XPollGap.self, from: Data(text.utf8)),
            XIDs.isNewer(gap.newest, than: position)
        else { return nil }
        return gap
    }

    /// Writes the gap under `key`.
    func store(in cursor: any CursorStore, key: String) async throws {
        let data = try JSONEncoder().encode(self)
        try await cursor.setValue(String(decoding: data, as: UTF8.self), for: key)
    }

    /// Closes the gap: the position moves to `newest` first, then the gap is cleared (a restart
    /// in between finds a stale gap and ignores it).
    static func close(
        at newest: String?, previous: String?, in cursor: any CursorStore, positionKey: String, gapKey: String
    )
        async throws
    {
        if let newest, newest != previous { try await cursor.setValue(newest, for: positionKey) }
        if try await cursor.value(for: gapKey)?.isEmpty == false { try await cursor.setValue("", for: gapKey) }
    }
}
