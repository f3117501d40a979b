import Foundation

/// One widget's connection: the visitor's kept replies after the last one it saw, then new
/// replies as this process sends them, and every 5 s a look at the mailbox for replies another
/// hub process sent; a comment line every 15 s keeps proxies from closing the stream.
struct ReplyStream: Sendable {
    let mailbox: ReplyMailbox
    let visitor: String
    let lastID: String?

    func bytes() -> AsyncStream<[UInt8]> {
        let (output, sink) = AsyncStream.makeStream(of: [UInt8].self, bufferingPolicy: .bufferingNewest(200))
        // Listening starts before the mailbox is read, so nothing sent in between is missed.
        let live = mailbox.listen(visitor)
        let (mailbox, visitor, lastID) = (self.mailbox, self.visitor, self.lastID)
        let task = Task {
            var sent = Set<String>()
            func emit(_ replies: [ChatReply]) {
                for reply in replies where !sent.contains(reply.id) {
                    sent.insert(reply.id)
                    if let event = Self.event(reply) { sink.yield(event) }
                }
            }
            sink.yield(Array("retry: 3000\n: connected\n\n".utf8))
            let stored = (try? await mailbox.replies(for: visitor)) ?? []
            if let lastID, let index = stored.firstIndex(where: { $0.id == lastID }) {
                sent.formUnion(stored[...index].map(\.id))
            }
            emit(stored)
            let (signals, signal) = AsyncStream.makeStream(of: ChatReply?.self)
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await reply in live { signal.yield(reply) }
                    signal.finish()
                }
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .seconds(5))
                        signal.yield(nil)
                    }
                }
                var ticks = 0
                for await item in signals {
                    if let item {
                        emit([item])
                    } else {
                        ticks += 1
                        emit((try? await mailbox.replies(for: visitor)) ?? [])
                        if ticks % 3 == 0 { sink.yield(Array(": keep-alive\n\n".utf8)) }
                    }
                }
                group.cancelAll()
            }
            sink.finish()
        }
        sink.onTermination = { _ in task.cancel() }
        return output
    }

    static func event(_ reply: ChatReply) -> [UInt8]? {
        guard let data = try? JSONCoder.encoder.encode(reply) else { return nil }
        return Array("id: \(reply.id)\nevent: reply\ndata: \(String(decoding: data, as: UTF8.self))\n\n".utf8)
    }
}
