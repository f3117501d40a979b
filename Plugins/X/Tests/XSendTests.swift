import Foundation
import SwitchboardAdapterKit
import SwitchboardAdapterTesting
import Synchronization
import Testing

@testable import XAdapter

@Suite struct XSendTests {
    @Test func aPublicReplyIsAPostAnsweringTheCustomersLatestPost() async throws {
        let http = fakeXAPI()
        http.answer(201, createPostResponse)
        let receipt = try await makeAdapter(http: http).send(try outbound())
        #expect(receipt.externalID == "1445880548472328192")
        let request = try #require(http.requests.withLock { $0.first })
        #expect(request.method == "POST")
        #expect(request.url == apiBase + "/2/tweets")
        #expect(request.headers.contains { $0.name == "Authorization" && $0.value == "Bearer \(accessToken)" })
        #expect(request.headers.contains { $0.name == "Content-Type" && $0.value == "application/json" })
        let body = jsonBody(request)
        #expect(body["text"] as? String == "Thanks, we're on it")
        #expect((body["reply"] as? [String: Any])?["in_reply_to_tweet_id"] as? String == "1234567893")
    }

    @Test func aPrivateReplyIsADMToTheSamePerson() async throws {
        let http = fakeXAPI()
        http.answer(201, createDMResponse)
        // "Move to private": the conversation is public, the agent's answer goes out as a DM.
        let message = try outbound(text: "Could you send us your order number?", visibility: .private)
        let receipt = try await makeAdapter(http: http).send(message)
        #expect(receipt.externalID == "dm:1582106224379559940")
        let request = try #require(http.requests.withLock { $0.first })
        #expect(request.url == apiBase + "/2/dm_conversations/with/9876543210/messages")
        #expect(jsonBody(request) as? [String: String] == ["text": "Could you send us your order number?"])
    }

    @Test func aPublicReplyNeedsAPostToAnswer() async throws {
        let http = fakeXAPI()
        for parent in [nil, "dm:1234567890"] as [String?] {
            let error = await sendError { _ = try await makeAdapter(http: http).send(try outbound(inReplyTo: parent)) }
            #expect(error?.code == .permanent)
            #expect(error?.message.contains("privately") == true)
        }
        #expect(http.requests.withLock { $0.isEmpty })
    }

    @Test func publicRepliesOver280CharactersAreRefusedDMsAreNot() async throws {
        let http = fakeXAPI()
        let long = String(repeating: "é", count: 281)
        let error = await sendError { _ = try await makeAdapter(http: http).send(try outbound(text: long)) }
        #expect(error?.code == .permanent)
        #expect(error?.message.contains("280") == true)
        #expect(http.requests.withLock { $0.isEmpty })

        http.answer(201, createDMResponse)
        _ = try await makeAdapter(http: http).send(try outbound(text: long, visibility: .private))
        #expect(http.requests.withLock { $0.count } == 1)
        let tooLong = await sendError {
            _ = try await makeAdapter(http: http).send(
                try outbound(text: String(repeating: "a", count: 10_001), visibility: .private))
        }
        #expect(tooLong?.code == .permanent)
    }

    @Test func onlyXAddressesCanBeAnswered() async throws {
        let error = await sendError { _ = try await makeAdapter().send(try outbound(to: "tel:+14155550100")) }
        #expect(error?.code == .invalidRecipient)
    }

    @Test func xsErrorsAreClassified() async throws {
        func failure(
            _ status: Int, _ body: String, headers: [(name: String, value: String)] = [],
            visibility: Visibility = .public
        ) async -> SendError? {
            let http = fakeXAPI()
            http.answer(status, body, headers: headers)
            return await sendError { _ = try await makeAdapter(http: http).send(try outbound(visibility: visibility)) }
        }
        let reset = Int(Date().timeIntervalSince1970) + 30
        let limited = await failure(429, "", headers: [("x-rate-limit-reset", "\(reset)")])
        #expect(limited?.code == .rateLimited)
        #expect(limited.flatMap(\.retryAfter).map { $0 > .seconds(25) && $0 <= .seconds(31) } == true)
        #expect(await failure(429, "", headers: [("Retry-After", "7")])?.retryAfter == .seconds(7))

        let unauthorized = await failure(401, #"{"title":"Unauthorized","type":"about:blank","status":401}"#)
        #expect(unauthorized?.code == .unauthorized)
        #expect(unauthorized?.message.contains(accessToken) == false)

        let duplicate = await failure(403, duplicateContentProblem)
        #expect(duplicate?.code == .permanent)
        #expect(duplicate?.message.contains("duplicate content") == true)
        let notPermitted = await failure(
            403, #"{"detail":"You are not permitted to perform this action.","title":"Forbidden","status":403}"#)
        #expect(notPermitted?.code == .permanent)
        #expect(notPermitted?.message.contains("not permitted") == true)
        let closedDMs = await failure(403, dmNotAllowedProblem, visibility: .private)
        #expect(closedDMs?.code == .invalidRecipient)
        #expect(closedDMs?.message.contains("You cannot send messages to this user") == true)
        let forbiddenApp = await failure(
            403,
            #"{"title":"Client Forbidden","detail":"This request must be made using an approved developer account.","type":"https://api.x.com/2/problems/client-forbidden"}"#
        )
        #expect(forbiddenApp?.code == .unauthorized)

        #expect(
            await failure(404, #"{"title":"Not Found Error","detail":"User not found"}"#)?.code == .invalidRecipient)
        let gone = await failure(400, resourceNotFoundErrors)
        #expect(gone?.code == .invalidRecipient)
        #expect(gone?.message.contains("Could not find tweet with id: [456].") == true)
        let invalid = await failure(400, invalidRequestProblem)
        #expect(invalid?.code == .permanent)
        #expect(invalid?.message.contains("The 'query' parameter is required.") == true)
        #expect(await failure(503, "<html>over capacity</html>")?.code == .transient)
        #expect(await failure(201, #"{"data": {}}"#)?.code == .permanent)
    }

    @Test func aNetworkFailureIsTransient() async throws {
        let http = fakeXAPI()
        http.answers.withLock { $0.append(.failure(TransportError(isRetryable: true, "connection refused"))) }
        let error = await sendError { _ = try await makeAdapter(http: http).send(try outbound()) }
        #expect(error?.code == .transient)
    }

    @Test func capabilities() {
        let capabilities = makeAdapter().capabilities
        #expect(capabilities.visibilities == [.public, .private])
        #expect(capabilities.maxTextLength == 10_000)
        #expect(capabilities.supportsThreading)
        #expect(capabilities.canSend && capabilities.canReceive)
        #expect(XAdapter.kind == "x")
    }
}
