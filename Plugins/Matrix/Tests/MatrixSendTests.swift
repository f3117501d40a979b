import Foundation
import SwitchboardAdapterKit
import SwitchboardAdapterTesting
import Synchronization
import Testing

@testable import MatrixAdapter

/// Replies: the `PUT …/send` request (transaction id = idempotency key, HTML, reply relation) and
/// every failure classified into a `SendError` an agent can act on.
@Suite struct MatrixSendTests {
    /// The send answer of the spec's example: https://spec.matrix.org/latest/client-server-api/#put_matrixclientv3roomsroomidsendeventtypetxnid
    static let sent = #"{"event_id": "$YUwRidLecu:example.com"}"#

    @Test func aReplyIsOnePutWithTheIdempotencyKeyAsTransactionID() async throws {
        let harness = MatrixHarness()
        harness.http.answer(200, Self.sent)
        let receipt = try await harness.adapter.send(
            try outbound(
                text: "Your order ships today", html: "Your order ships <b>today</b>",
                inReplyTo: "$143273582443PhrSn:example.org",
                key: "sb-msg/1 é"))
        #expect(receipt.externalID == "$YUwRidLecu:example.com")
        let request = try #require(harness.http.requests.withLock { $0.first })
        #expect(request.method == "PUT")
        #expect(
            request.url
                == "\(homeserver)/_matrix/client/v3/rooms/%21726s6s6q%3Aexample.com/send/m.room.message/sb-msg%2F1%20%C3%A9"
        )
        #expect(request.headers.contains { $0.name == "Authorization" && $0.value == "Bearer \(accessToken)" })
        let body = jsonBody(request)
        #expect(body["msgtype"] as? String == "m.text")
        #expect(body["body"] as? String == "Your order ships today")
        #expect(body["format"] as? String == "org.matrix.custom.html")
        #expect(body["formatted_body"] as? String == "Your order ships <b>today</b>")
        let relation = body["m.relates_to"] as? [String: Any]
        #expect(
            (relation?["m.in_reply_to"] as? [String: Any])?["event_id"] as? String == "$143273582443PhrSn:example.org")
    }

    @Test func aPlainReplyHasNoFormatAndNoRelation() async throws {
        let harness = MatrixHarness()
        harness.http.answer(200, Self.sent)
        _ = try await harness.adapter.send(try outbound())
        let body = jsonBody(try #require(harness.http.requests.withLock { $0.first }))
        #expect(Set(body.keys) == ["msgtype", "body"])
    }

    @Test func aRetryUsesTheSameTransactionID() async throws {
        let harness = MatrixHarness()
        harness.http.answer(502, "Bad Gateway")
        harness.http.answer(200, Self.sent)
        let message = try outbound()
        await #expect(throws: SendError.self) { try await harness.adapter.send(message) }
        _ = try await harness.adapter.send(message)
        let urls = harness.urls
        #expect(urls.count == 2 && urls[0] == urls[1] && urls[0].hasSuffix("/send/m.room.message/sb-msg_1"))
    }

    func failure(_ status: Int, _ body: String) async throws -> SendError {
        let harness = MatrixHarness()
        harness.http.answer(status, body)
        do {
            _ = try await harness.adapter.send(try outbound())
        } catch let error as SendError {
            return error
        }
        throw E2EStoreDown()
    }

    /// Error bodies as the spec's standard error response shows them:
    /// https://spec.matrix.org/latest/client-server-api/#standard-error-response
    @Test func errorsAreClassified() async throws {
        let limited = try await failure(
            429, #"{"errcode": "M_LIMIT_EXCEEDED", "error": "Too many requests", "retry_after_ms": 2000}"#)
        #expect(limited.code == .rateLimited)
        #expect(limited.retryAfter == .milliseconds(2000))

        let token = try await failure(401, #"{"errcode": "M_UNKNOWN_TOKEN", "error": "Invalid access token passed."}"#)
        #expect(token.code == .unauthorized)
        #expect(token.message.contains("access_token") && !token.message.contains(accessToken))

        let forbidden = try await failure(
            403, #"{"errcode": "M_FORBIDDEN", "error": "User @hub:example.org not in room !726s6s6q:example.com"}"#)
        #expect(forbidden.code == .permanent)
        #expect(forbidden.message.contains("may not post in room !726s6s6q:example.com"))
        #expect(forbidden.message.contains("M_FORBIDDEN") && forbidden.message.contains("invite it back"))

        let missing = try await failure(404, #"{"errcode": "M_NOT_FOUND", "error": "Unknown room"}"#)
        #expect(missing.code == .invalidRecipient)

        let down = try await failure(502, "<html>Bad Gateway</html>")
        #expect(down.code == .transient)

        let large = try await failure(413, #"{"errcode": "M_TOO_LARGE", "error": "event too large"}"#)
        #expect(large.code == .permanent)
    }

    @Test func aNetworkFailureIsTransient() async throws {
        let harness = MatrixHarness()
        harness.http.answers.withLock { $0.append(.failure(TransportError(isRetryable: true, "connection refused"))) }
        let error = await #expect(throws: SendError.self) { try await harness.adapter.send(try outbound()) }
        #expect(error?.code == .transient)
    }

    @Test func aConversationThatIsNotARoomIsRefusedBeforeAnyCall() async throws {
        let harness = MatrixHarness()
        let error = await #expect(throws: SendError.self) {
            try await harness.adapter.send(try outbound(room: "tel:+33612345678"))
        }
        #expect(error?.code == .invalidRecipient)
        #expect(harness.urls.isEmpty)
    }
}
