import Foundation
import SwitchboardAdapterKit

/// Filling a gap: when a room's sync timeline is `limited` (more events came than one sync shows, e.g.
/// while the hub was down), the events between the previous sync (`since`) and the timeline's start
/// (`prev_batch`) are fetched with `GET /rooms/{roomId}/messages?dir=f`, oldest first, and each page
/// is handed to the hub as soon as it arrives, so a gap of any length is imported whole.
///
/// After a page is delivered, the page's `end` token is stored under ``MatrixSyncLoop/gapKey(_:)``
/// together with the `since` it belongs to. If the hub stops before the sync finishes, the next
/// attempt (still from the same `since`) resumes after the last delivered page instead of fetching
/// the gap again; a stored token for another `since` is ignored.
extension MatrixSyncLoop {
    /// The cursor key of a room's gap progress: `<since>\n<page token>`.
    static func gapKey(_ roomID: String) -> String { "gap:" + roomID }

    /// Fetches and delivers the gap of `room` from `since` up to `end` (the timeline's `prev_batch`);
    /// returns how many events the gap held. Delivered event ids are added to `seen`.
    func fillGap(in room: MatrixEventMapper.Room, since: String, upTo end: String, seen: inout Set<String>)
        async throws -> Int
    {
        let key = Self.gapKey(room.id)
        var token = since
        if let saved = try await cursor.value(for: key), let newline = saved.firstIndex(of: "\n"),
            saved[..<newline] == since
        {
            let resumed = String(saved[saved.index(after: newline)...])
            if !resumed.isEmpty { token = resumed }
        }
        var count = 0
        var names = room.displayNames
        let api = self.api
        while true {
            try Task.checkCancellation()
            let from = token
            let page = try await checked {
                try await CancellableWait.run {
                    try await api.messages(roomID: room.id, from: from, to: end, limit: Self.gapPageSize)
                }
            }
            let chunk = page["chunk"]?.array ?? []
            count += chunk.count
            names.merge(MatrixEventMapper.displayNames((page["state"]?.array ?? []) + chunk)) { _, new in new }
            let pageRoom = MatrixEventMapper.Room(id: room.id, visibility: room.visibility, displayNames: names)
            var envelopes: [InboundEnvelope] = []
            for event in chunk where MatrixEventMapper.isImported(event) {
                guard let envelope = mapper.envelope(event, in: pageRoom), seen.insert(envelope.externalID).inserted
                else { continue }
                envelopes.append(envelope)
            }
            try await deliver(envelopes)
            guard !chunk.isEmpty, let next = page["end"]?.string, !next.isEmpty, next != token else { return count }
            token = next
            try await cursor.setValue(since + "\n" + next, for: key)
        }
    }
}
