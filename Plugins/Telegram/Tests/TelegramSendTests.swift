import Foundation
import SwitchboardAdapterKit
import SwitchboardAdapterTesting
import Synchronization
import Testing

@testable import TelegramAdapter

/// sendMessage (https://core.telegram.org/bots/api#sendmessage) with ReplyParameters
/// (https://core.telegram.org/bots/api#replyparameters), and its error answers
/// (https://core.telegram.org/bots/api#making-requests).
@Suite struct TelegramSendTests {
    func sent(_ message: OutboundMessage, answer: String = sentAnswer(chat: 1_111_111, messageID: 1400)) async throws
        -> (SendReceipt, HTTPClientRequest)
    {
        let http = fakeTelegramAPI()
        http.answer(200, answer)
        let receipt = try await makeAdapter(http: http).send(message)
        return (receipt, try #require(http.requests.withLock { $0.first }))
    }

    @Test func aReplyIsSendMessageToTheChatQuotingTheAnsweredMessage() async throws {
        let (receipt, request) = try await sent(try outbound(text: "Réponse 👋", inReplyTo: "1111111:1368"))
        #expect(receipt.externalID == "1111111:1400")
        #expect(request.method == "POST")
        #expect(request.url == "\(apiBase)/bot\(botToken)/sendMessage")
        let body = jsonBody(request)
        #expect((body["chat_id"] as? NSNumber)?.int64Value == 1_111_111)
        #expect(body["text"] as? String == "Réponse 👋")
        let reply = try #require(body["reply_parameters"] as? [String: Any])
        #expect((reply["message_id"] as? NSNumber)?.int64Value == 1368)
        #expect(reply["allow_sending_without_reply"] as? Bool == true)
        #expect(reply.count == 2)
    }

    @Test func groupsAreAddressedByTheirNegativeChatID() async throws {
        let message = try outbound(
            threadKey: "-1001234567890", inReplyTo: "-1001234567890:52:edit:10009", visibility: .public)
        let (receipt, request) = try await sent(message, answer: sentAnswer(chat: -1_001_234_567_890, messageID: 60))
        #expect(receipt.externalID == "-1001234567890:60")
        let body = jsonBody(request)
        #expect((body["chat_id"] as? NSNumber)?.int64Value == -1_001_234_567_890)
        #expect(((body["reply_parameters"] as? [String: Any])?["message_id"] as? NSNumber)?.intValue == 52)
    }

    /// A private reply to a customer met in a group goes to their private chat with the bot (its id
    /// is their user id), never to the group, and quotes nothing: the message is in another chat.
    @Test func aPrivateReplyInAGroupGoesToTheCustomersPrivateChat() async throws {
        let message = try outbound(
            threadKey: "-1001234567890", inReplyTo: "-1001234567890:52", visibility: .private)
        let (receipt, request) = try await sent(message)
        #expect(receipt.externalID == "1111111:1400")
        let body = jsonBody(request)
        #expect((body["chat_id"] as? NSNumber)?.int64Value == 1_111_111)
        #expect(body["text"] as? String == "Thanks, on its way")
        #expect(body["reply_parameters"] == nil)
    }

    /// Telegram refuses a bot's first message to someone who never started it.
    @Test func aPrivateReplyToSomeoneWhoNeverStartedTheBotSaysWhatTheyMustDo() async throws {
        let http = fakeTelegramAPI()
        http.answer(403, errorAnswer(403, "Forbidden: bot can't initiate conversation with a user"))
        let message = try outbound(threadKey: "-1001234567890", visibility: .private)
        do {
            _ = try await makeAdapter(http: http).send(message)
            Issue.record("a refused private reply was taken as sent")
        } catch {
            #expect(error.code == .invalidRecipient)
            #expect(error.message.contains("must first start a private chat with the bot"))
            #expect(error.message.contains("403"))
        }
        let request = try #require(http.requests.withLock { $0.first })
        #expect((jsonBody(request)["chat_id"] as? NSNumber)?.int64Value == 1_111_111)
    }

    @Test func noQuoteWithoutAReplyOrForAnotherChatsMessage() async throws {
        for inReplyTo in [nil, "2222222:5", "garbage", "1111111:"] {
            let (_, request) = try await sent(try outbound(inReplyTo: inReplyTo))
            #expect(jsonBody(request)["reply_parameters"] == nil)
        }
    }

    @Test func whatCannotBeSentIsRefusedBeforeCallingTelegram() async throws {
        let http = fakeTelegramAPI()
        let adapter = makeAdapter(http: http)
        let notAChat = try outbound(threadKey: "tel:+14155550100|x")
        do {
            _ = try await adapter.send(notAChat)
            Issue.record("sent to a thread that is no chat")
        } catch {
            #expect(error.code == .invalidRecipient)
        }
        var withFile = try outbound()
        withFile.attachments = [Attachment(contentType: "image/png", url: "blob:1")]
        await #expect(throws: SendError.self) { try await adapter.send(withFile) }
        await #expect(throws: SendError.self) { try await adapter.send(try outbound(text: "")) }
        #expect(http.requests.withLock { $0.isEmpty })
    }

    @Test func everyErrorAnswerIsClassified() async throws {
        let blocked = try await failure(403, errorAnswer(403, "Forbidden: bot was blocked by the user"))
        #expect(blocked.code == .invalidRecipient)
        #expect(blocked.message.contains("blocked the bot"))
        #expect(blocked.message.contains("403"))
        let kicked = try await failure(403, errorAnswer(403, "Forbidden: bot was kicked from the supergroup chat"))
        #expect(kicked.code == .invalidRecipient)
        #expect(kicked.message.contains("add it back"))
        let limited = try await failure(
            429, errorAnswer(429, "Too Many Requests: retry after 7", parameters: #"{"retry_after": 7}"#))
        #expect(limited.code == .rateLimited)
        #expect(limited.retryAfter == .seconds(7))
        let notFound = try await failure(400, errorAnswer(400, "Bad Request: chat not found"))
        #expect(notFound.code == .invalidRecipient)
        let tooLong = try await failure(400, errorAnswer(400, "Bad Request: message is too long"))
        #expect(tooLong.code == .permanent)
        #expect(tooLong.message.contains("message is too long"))
        #expect(tooLong.message.contains("https://core.telegram.org/bots/api"))
        let migrated = try await failure(
            400,
            errorAnswer(
                400, "Bad Request: group chat was upgraded to a supergroup chat",
                parameters: #"{"migrate_to_chat_id": -1001234567890}"#))
        #expect(migrated.code == .permanent)
        #expect(migrated.message.contains("-1001234567890"))
        #expect(try await failure(401, errorAnswer(401, "Unauthorized")).code == .unauthorized)
        let wrongToken = try await failure(404, errorAnswer(404, "Not Found"))
        #expect(wrongToken.code == .unauthorized)
        #expect(wrongToken.message.contains("bot_token"))
        let down = try await failure(
            502, "<html><body>502 Bad Gateway for POST /bot\(botToken)/sendMessage</body></html>")
        #expect(down.code == .transient)
        #expect(!down.message.contains(botToken))
        #expect(try await failure(500, errorAnswer(500, "Internal Server Error")).code == .transient)
    }

    @Test func networkFaultsAreTransientAndNeverShowTheToken() async throws {
        let url = "\(apiBase)/bot\(botToken)/sendMessage"
        let retryable = try await failure(TransportError(isRetryable: true, "Operation timed out: \(url)"))
        #expect(retryable.code == .transient)
        #expect(!retryable.message.contains(botToken))
        #expect(retryable.message.contains("<bot_token>"))
        let tls = try await failure(TransportError(isRetryable: false, "SSL certificate problem for \(url)"))
        #expect(tls.code == .permanent)
        #expect(!tls.description.contains(botToken))
        #expect(tls.cause == nil)
    }

    @Test func anAcceptedAnswerWithoutAMessageIDIsNotRetried() async throws {
        let error = try await failure(200, #"{"ok": true, "result": true}"#)
        #expect(error.code == .permanent)
        #expect(error.message.contains("message_id"))
    }

    @Test func capabilitiesMatchWhatIsBuilt() {
        let capabilities = makeAdapter().capabilities
        #expect(capabilities.canReceive && capabilities.canSend)
        #expect(capabilities.visibilities == [.private, .public])
        #expect(!capabilities.supportsAttachments)
        #expect(capabilities.maxTextLength == 4096)
        #expect(!capabilities.supportsThreading)
        #expect(!capabilities.deliveryReceipts)
        #expect(TelegramAdapter.kind == "telegram")
    }

    func failure(_ status: Int, _ body: String) async throws -> SendError {
        let http = fakeTelegramAPI()
        http.answer(status, body)
        return try await failure(http)
    }

    func failure(_ transport: TransportError) async throws -> SendError {
        let http = fakeTelegramAPI()
        http.answers.withLock { $0.append(.failure(transport)) }
        return try await failure(http)
    }

    func failure(_ http: RecordingHTTPClient) async throws -> SendError {
        do {
            _ = try await makeAdapter(http: http).send(try outbound())
        } catch let error as SendError {
            #expect(!error.message.contains(botToken))
            return error
        }
        throw TimedOut()
    }
}
