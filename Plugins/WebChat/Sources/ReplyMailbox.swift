import Foundation
import SwitchboardAdapterKit
import Synchronization

/// One agent reply as the widget shows it.
struct ChatReply: Sendable, Hashable, Codable {
    var id: String
    var text: String
    var author: String
    var at: Date
}

/// Each visitor's replies, kept in the channel's durable key-value store (the last
/// ``ReplyMailbox/kept`` per visitor) so a widget that was closed or offline gets them when it
/// reconnects, and handed at once to the visitor's widgets that are connected to this process.
///
/// Writes to one mailbox are serialised in this process. With several hub processes on one
/// database, a widget connected to another process picks new replies up by re-reading the
/// mailbox every few seconds (``ReplyMailbox/replies(for:)``).
final class ReplyMailbox: Sendable {
    static let kept = 100

    private let cursor: any CursorStore
    private let listeners = Mutex<[String: [UUID: AsyncStream<ChatReply>.Continuation]]>([:])
    private let writing = WriteLock()

    init(cursor: any CursorStore) {
        self.cursor = cursor
    }

    static func key(_ visitor: String) -> String { "replies:\(visitor)" }

    func replies(for visitor: String) async throws -> [ChatReply] {
        guard let text = try await cursor.value(for: Self.key(visitor)) else { return [] }
        return (try? JSONCoder.decoder.decode([ChatReply].self, from: Data(text.utf8))) ?? []
    }

    /// Keeps the reply (once, whatever the retries), then tells the visitor's open widgets.
    func append(_ reply: ChatReply, visitor: String) async throws {
        let added = try await writing.run {
            var list = try await replies(for: visitor)
            guard !list.contains(where: { $0.id == reply.id }) else { return false }
            list.append(reply)
            list = Array(list.suffix(Self.kept))
            let data = try JSONCoder.encoder.encode(list)
            try await cursor.setValue(String(decoding: data, as: UTF8.self), for: Self.key(visitor))
            return true
        }
        guard added else { return }
        let targets = listeners.withLock { Array(($0[visitor] ?? [:]).values) }
        for target in targets { target.yield(reply) }
    }

    /// Replies for `visitor` from now on, until the stream is dropped.
    func listen(_ visitor: String) -> AsyncStream<ChatReply> {
        let (stream, continuation) = AsyncStream.makeStream(of: ChatReply.self, bufferingPolicy: .bufferingNewest(100))
        let id = UUID()
        listeners.withLock { $0[visitor, default: [:]][id] = continuation }
        continuation.onTermination = { [weak self] _ in
            self?.listeners.withLock { listeners in
                listeners[visitor]?[id] = nil
                if listeners[visitor]?.isEmpty == true { listeners[visitor] = nil }
            }
        }
        return stream
    }
}

/// Runs one operation at a time, in order of arrival.
actor WriteLock {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func run<T: Sendable>(_ operation: @Sendable () async throws -> T) async throws -> T {
        if busy {
            await withCheckedContinuation { waiting.append($0) }
        }
        busy = true
        defer {
            if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
        }
        return try await operation()
    }
}

/// JSON as the widget reads it: ISO 8601 times.
enum JSONCoder {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}

/// At most `perMinute` messages per visitor in any minute (a sliding window), in this process.
final class VisitorRateLimiter: Sendable {
    let perMinute: Int
    private let sent = Mutex<[String: [Date]]>([:])

    init(perMinute: Int) {
        self.perMinute = perMinute
    }

    /// Seconds to wait, or `nil` when the message may go now (it is then counted).
    func admit(_ visitor: String, now: Date = Date()) -> Int? {
        sent.withLock { sent in
            if sent.count > 50_000 { sent = sent.filter { ($0.value.last ?? .distantPast) > now - 60 } }
            let recent = (sent[visitor] ?? []).filter { $0 > now - 60 }
            if recent.count >= perMinute, let oldest = recent.first {
                sent[visitor] = recent
                return max(1, Int((oldest + 60).timeIntervalSince(now).rounded(.up)))
            }
            sent[visitor] = recent + [now]
            return nil
        }
    }
}
