import Foundation
import SwitchboardAdapterKit
import SwitchboardAdapterTesting
import Synchronization
import Testing

@testable import TwilioAdapter

struct TwilioSendTests {
    @Test func smsReplyIsAFormPostWithBasicAuthAndStatusCallback() async throws {
        let http = fakeTwilioAPI()
        let receipt = try await makeAdapter(http: http).send(try outbound(to: "tel:+14155550100", text: "Réponse €"))
        #expect(receipt.externalID == "SM00000000000000000000000000000001")
        let request = try #require(http.requests.withLock { $0.first })
        #expect(request.method == "POST")
        #expect(request.url == "https://api.twilio.test/2010-04-01/Accounts/\(accountSID)/Messages.json")
        let credentials = Data("\(accountSID):\(authToken)".utf8).base64EncodedString()
        #expect(request.headers.contains { $0.name == "Authorization" && $0.value == "Basic \(credentials)" })
        let form = Dictionary(FormEncoding.parse(bytes: request.body).map { ($0.name, $0.value) }) { a, _ in a }
        #expect(form["To"] == "+14155550100")
        #expect(form["From"] == "+15005550006")
        #expect(form["Body"] == "Réponse €")
        #expect(form["StatusCallback"] == publicURL + "/status")
    }

    @Test func whatsappReplyLeavesFromTheWhatsAppSender() async throws {
        let http = fakeTwilioAPI()
        _ = try await makeAdapter(http: http).send(try outbound(to: "whatsapp:+5511987654321"))
        let request = try #require(http.requests.withLock { $0.first })
        let form = Dictionary(FormEncoding.parse(bytes: request.body).map { ($0.name, $0.value) }) { a, _ in a }
        #expect(form["To"] == "whatsapp:+5511987654321")
        #expect(form["From"] == "whatsapp:+14155238886")
    }

    @Test func whatsappWithoutASenderIsAPermanentErrorThatSaysWhy() async throws {
        let message = try outbound(to: "whatsapp:+5511987654321")
        do {
            _ = try await makeAdapter(whatsappFrom: nil).send(message)
            Issue.record("sent without whatsapp_from")
        } catch {
            #expect(error.code == .permanent)
            #expect(error.message.contains("whatsapp_from"))
        }
    }

    @Test func mediaGoesByURL() async throws {
        let http = fakeTwilioAPI()
        let attachment = Attachment(contentType: "image/png", url: "https://cdn.example.com/a.png")
        _ = try await makeAdapter(http: http).send(try outbound(to: "tel:+14155550100", attachments: [attachment]))
        let form = FormEncoding.parse(bytes: try #require(http.requests.withLock { $0.first }).body)
        #expect(form.contains { $0.name == "MediaUrl" && $0.value == "https://cdn.example.com/a.png" })
    }

    /// Error bodies as the REST API returns them (https://www.twilio.com/docs/usage/twilios-response#response-formats-exceptions).
    @Test func errorCodesAreClassified() async throws {
        func failure(_ status: Int, _ code: Int?, headers: [(name: String, value: String)] = []) async -> SendError? {
            let http = fakeTwilioAPI()
            let body =
                code.map {
                    #"{"code": \#($0), "message": "Twilio says no", "more_info": "https://www.twilio.com/docs/errors/\#($0)", "status": \#(status)}"#
                } ?? "<html>bad gateway</html>"
            http.answer(status, body, headers: headers)
            do {
                _ = try await makeAdapter(http: http).send(try outbound(to: "tel:+14155550100"))
                return nil
            } catch let error as SendError {
                return error
            } catch {
                return nil
            }
        }
        let unsubscribed = await failure(400, 21610)
        #expect(unsubscribed?.code == .permanent)
        #expect(unsubscribed?.message.contains("STOP") == true)
        #expect(unsubscribed?.message.contains("21610") == true)
        #expect(await failure(400, 21211)?.code == .invalidRecipient)
        #expect(await failure(400, 21614)?.code == .invalidRecipient)
        let limited = await failure(429, 20429, headers: [("Retry-After", "7")])
        #expect(limited?.code == .rateLimited)
        #expect(limited?.retryAfter == .seconds(7))
        #expect(await failure(401, 20003)?.code == .unauthorized)
        #expect(await failure(503, nil)?.code == .transient)
        #expect(await failure(400, 63016)?.message.contains("24-hour") == true)
        #expect(await failure(400, 99999)?.code == .permanent)
    }

    @Test func anAnswerWithoutSidIsNotRetried() async throws {
        let http = fakeTwilioAPI()
        http.answer(201, "{}")
        await #expect(throws: SendError.self) {
            _ = try await makeAdapter(http: http).send(try outbound(to: "tel:+14155550100"))
        }
    }

    @Test func aNetworkFailureIsTransient() async throws {
        let http = fakeTwilioAPI()
        http.answers.withLock { $0.append(.failure(TransportError(isRetryable: true, "connection refused"))) }
        let message = try outbound(to: "tel:+14155550100")
        do {
            _ = try await makeAdapter(http: http).send(message)
            Issue.record("sent through a refused connection")
        } catch {
            #expect(error.code == .transient)
        }
    }
}
