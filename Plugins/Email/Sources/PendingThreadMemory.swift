import SwitchboardAdapterKit
import Synchronization

/// The thread memory of one batch of mail, before the hub has stored the batch.
///
/// The poller maps a batch of mails before handing it to the hub in one call, and a mail may
/// answer one earlier in the same batch. So each mapped mail is remembered here at once: reads
/// see these values first, then the adapter's store. Nothing reaches the store until the hub has
/// stored the mails, and then only what the stored mails remembered (``writes(ofFirst:)``), in one
/// write: a batch the hub refused leaves no memory of its mails behind.
final class PendingThreadMemory: CursorStore {
    private let base: any CursorStore
    /// Each write with the index of the mail that made it, in order.
    private let log = Mutex<[(mail: Int, key: String, value: String)]>([])
    /// The mail whose writes ``setValue(_:for:)`` records now.
    private let currentMail = Mutex(0)

    init(base: any CursorStore) { self.base = base }

    /// Attributes the writes that follow to mail `index` of the batch.
    func beginMail(_ index: Int) { currentMail.withLock { $0 = index } }

    func value(for key: String) async throws -> String? {
        let pending = log.withLock { entries in entries.last(where: { $0.key == key })?.value }
        if let pending { return pending }
        return try await base.value(for: key)
    }

    func setValue(_ value: String, for key: String) async throws {
        let mail = currentMail.withLock { $0 }
        log.withLock { $0.append((mail, key, value)) }
    }

    /// What the first `count` mails of the batch remembered, the last write of each key winning.
    func writes(ofFirst count: Int) -> [String: String] {
        log.withLock { entries in
            var values: [String: String] = [:]
            for entry in entries where entry.mail < count { values[entry.key] = entry.value }
            return values
        }
    }
}
