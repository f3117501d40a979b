import Foundation
import SwitchboardAdapterKit
import SwitchboardAdapterTesting
import Synchronization
import Testing

@testable import MetaAdapter

/// Graph error answers in the documented shape
/// (https://developers.facebook.com/docs/graph-api/guides/error-handling), classified.
@Suite struct GraphErrorTests {
    func failure(
        _ status: Int, code: Int?, subcode: Int? = nil, message: String = "Meta says no",
        headers: [(name: String, value: String)] = [], raw: String? = nil, adapter: String = "whatsapp"
    ) async -> SendError? {
        let http = RecordingHTTPClient()
        let body =
            raw
            ?? #"{"error":{"message":"\#(message)","type":"OAuthException","code":\#(code.map(String.init) ?? "null")"#
            + (subcode.map { #","error_subcode":\#($0)"# } ?? "") + #","fbtrace_id":"Az8or2yhqkZfEZ-_4Qn_Bam"}}"#
        http.answer(status, body, headers: headers)
        do {
            switch adapter {
            case "messenger":
                _ = try await messenger(http: http).send(
                    try outbound(to: "messenger:1234567890/5551234567890123", channel: "messenger"))
            default:
                _ = try await whatsApp(http: http).send(try outbound(to: "whatsapp:+16505551234"))
            }
            return nil
        } catch let error as SendError {
            return error
        } catch {
            return nil
        }
    }

    @Test func windowClosedIsPermanentAndSaysToSendATemplate() async throws {
        let error = try #require(await failure(400, code: 131047, message: "Re-engagement message"))
        #expect(error.code == .permanent)
        #expect(error.message.contains("24-hour"))
        #expect(error.message.contains("template"))
        #expect(error.message.contains("131047"))
        #expect(error.message.contains("https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes"))
        let messengerWindow = try #require(await failure(400, code: 10, subcode: 2_018_278, adapter: "messenger"))
        #expect(messengerWindow.code == .permanent)
        #expect(messengerWindow.message.contains("24-hour"))
    }

    @Test func throttlingIsRateLimitedWithRetryAfter() async throws {
        for code in [4, 17, 32, 613, 80007, 130429, 131048, 131056] {
            let error = await failure(400, code: code, headers: [("Retry-After", "30")])
            #expect(error?.code == .rateLimited, "code \(code)")
            #expect(error?.retryAfter == .seconds(30), "code \(code)")
        }
    }

    @Test func metaSideFaultsAreTransient() async throws {
        for code in [1, 2, 131000, 131016] {
            #expect(await failure(500, code: code)?.code == .transient, "code \(code)")
        }
        #expect(await failure(400, code: 1)?.code == .transient)
        #expect(await failure(502, code: nil, raw: "<html>Bad Gateway</html>")?.code == .transient)
    }

    @Test func authAndPermissionErrorsAreUnauthorizedAndNeverShowTheToken() async throws {
        let error = try #require(
            await failure(
                401, code: 190, message: "Invalid OAuth access token - Cannot parse access token \(accessToken)"))
        #expect(error.code == .unauthorized)
        #expect(!error.message.contains(accessToken))
        #expect(error.message.contains("190"))
        #expect(await failure(403, code: 10)?.code == .unauthorized)
        #expect(await failure(403, code: 200)?.code == .unauthorized)
        #expect(await failure(403, code: 299)?.code == .unauthorized)
        let html = try #require(await failure(401, code: nil, raw: "token \(accessToken) refused"))
        #expect(!html.message.contains(accessToken))
    }

    @Test func unreachableRecipientsAreInvalidRecipient() async throws {
        #expect(await failure(400, code: 131026)?.code == .invalidRecipient)
        #expect(await failure(400, code: 131030)?.code == .invalidRecipient)
        let noUser = await failure(400, code: 100, subcode: 2_018_001, adapter: "messenger")
        #expect(noUser?.code == .invalidRecipient)
        #expect(noUser?.message.contains("2018001") == true)
        #expect(await failure(400, code: 100)?.code == .permanent)
    }

    @Test func templateErrorsArePermanentAndNameTheTemplate() async throws {
        for code in [132000, 132001, 132015] {
            let error = await failure(400, code: code)
            #expect(error?.code == .permanent)
            #expect(error?.message.contains("template") == true)
        }
    }

    @Test func otherClientErrorsArePermanent() async throws {
        #expect(await failure(400, code: 131009)?.code == .permanent)
        #expect(await failure(400, code: nil, raw: "{}")?.code == .permanent)
    }

    @Test func networkFailureIsTransientAndAMissingIdIsNotRetried() async throws {
        let http = RecordingHTTPClient()
        http.answers.withLock { $0.append(.failure(TransportError(isRetryable: true, "connection refused"))) }
        do {
            _ = try await whatsApp(http: http).send(try outbound(to: "whatsapp:+16505551234"))
            Issue.record("sent through a refused connection")
        } catch let error as SendError {
            #expect(error.code == .transient)
        }
        let accepted = RecordingHTTPClient()
        accepted.answer(200, #"{"messaging_product":"whatsapp","messages":[]}"#)
        do {
            _ = try await whatsApp(http: accepted).send(try outbound(to: "whatsapp:+16505551234"))
            Issue.record("an answer without an id became a receipt")
        } catch let error as SendError {
            #expect(error.code == .permanent)
        }
    }
}
