import Foundation
import SwitchboardAdapterKit
import SwitchboardAdapterTesting
import Synchronization
import Testing

@testable import MetaAdapter

@Suite struct InstagramCommentTests {
    @Test func commentsArePublicMessagesThreadedByMedia() async throws {
        let envelopes = try await deliver(signedPost(instagramComments), to: instagram().webhookRoutes).envelopes
        #expect(envelopes.count == 1)
        let comment = try #require(envelopes.first)
        #expect(comment.externalID == "17865799348089039")
        #expect(comment.visibility == .public)
        #expect(comment.threadKey == "17887498072083520")
        #expect(comment.from.description == "instagram:17841400000000001/6661234567890123")
        #expect(comment.hints.displayName == "jane.doe")
        #expect(comment.text == "This is an example.")
        #expect(comment.sentAt == Date(timeIntervalSince1970: 1_520_622_968))
    }

    func commentReply(_ visibility: Visibility, inReplyTo: String? = "17865799348089039") throws -> OutboundMessage {
        OutboundMessage(
            messageID: "msg_2", conversationID: "con_2", channel: "instagram",
            to: try Address(parsing: "instagram:17841400000000001/6661234567890123"), threadKey: "17887498072083520",
            text: "Glad you like it", inReplyTo: inReplyTo, visibility: visibility, idempotencyKey: "key-2")
    }

    @Test func publicReplyGoesUnderTheComment() async throws {
        let http = RecordingHTTPClient { _ in HTTPClientResponse(status: 200, body: Array(#"{"id":"17999"}"#.utf8)) }
        let receipt = try await instagram(http: http).send(try commentReply(.public))
        #expect(receipt.externalID == "17999")
        let (request, json) = try firstRequest(http)
        #expect(request.url == "http://graph.test/v23.0/17865799348089039/replies")
        #expect(json["message"] as? String == "Glad you like it")
    }

    @Test func privateReplyIsAddressedByTheComment() async throws {
        let http = RecordingHTTPClient { _ in
            HTTPClientResponse(
                status: 200, body: Array(#"{"recipient_id":"6661234567890123","message_id":"m_P1"}"#.utf8))
        }
        let receipt = try await instagram(http: http).send(try commentReply(.private))
        #expect(receipt.externalID == "m_P1")
        let (request, json) = try firstRequest(http)
        #expect(request.url == "http://graph.test/v23.0/17841400000000001/messages")
        #expect((json["recipient"] as? [String: Any])?["comment_id"] as? String == "17865799348089039")
        #expect((json["recipient"] as? [String: Any])?["id"] == nil)
    }

    @Test func aCommentReplyWithoutTheCommentIsRefused() async throws {
        let http = RecordingHTTPClient()
        await #expect(throws: SendError.self) {
            _ = try await instagram(http: http).send(try commentReply(.public, inReplyTo: nil))
        }
        #expect(http.requests.withLock { $0.isEmpty })
    }
}
