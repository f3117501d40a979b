import Foundation
import Hummingbird
import NIOCore
import ServiceLifecycle
import SwitchboardCore

/// `GET /api/v1/events`: every hub event, from this process and (on PostgreSQL) from the others,
/// as Server-Sent Events, so open screens update without reloading. A comment line every 15 s
/// keeps proxies from closing an idle stream; the stream ends when the client leaves or the hub
/// shuts down.
struct EventStreamRoute: Sendable {
    let events: EventBus
    var heartbeat: Duration = .seconds(15)

    func response() -> Response {
        let events = events.subscribe(bufferingNewest: 1000, includingRemote: true)
        let heartbeat = heartbeat
        let (lines, sink) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(1000))
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache"],
            body: ResponseBody { writer in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await event in events.cancelOnGracefulShutdown() {
                            if let text = try? LiveEvent.serverSentEvent(event) { sink.yield(text) }
                        }
                        sink.finish()
                    }
                    group.addTask {
                        while true {
                            try await Task.sleep(for: heartbeat)
                            sink.yield(": keep-alive\n\n")
                        }
                    }
                    try await writer.write(ByteBuffer(string: ": connected\n\n"))
                    for await line in lines {
                        try await writer.write(ByteBuffer(string: line))
                    }
                    group.cancelAll()
                }
                try await writer.finish(nil)
            })
    }
}
