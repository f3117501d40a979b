import Foundation
import SwitchboardAdapterKit
import SwitchboardAdapterTesting
import Synchronization
import Testing

@testable import EmailAdapter

/// The email channel against the adapter contract (SwitchboardAdapterTesting's conformance check):
/// it has no webhooks, so the check reads a folder twice through the poller, as a restart before the
/// UID position was saved would, and classifies the SMTP server's refusals.
struct EmailConformanceTests {
    @Test func theEmailChannelConforms() async throws {
        let mail = FakeMail()
        mail.append(letter())
        mail.append(letter(from: "bo@example.org", subject: "No id", messageID: nil, body: "Which size?"))
        mail.append(letter(subject: "Re: Order 42", messageID: "m2@example.org", inReplyTo: "m1@example.org"))
        mail.append(letter(from: "MAILER-DAEMON@example.org", subject: "Undelivered", messageID: "bounce@example.org"))
        let smtp: [(String, TransportError?, SendError.Code)] = [
            ("550 no such user", TransportError(isRetryable: false, "no such user", replyCode: 550), .invalidRecipient),
            ("554 refused", TransportError(isRetryable: false, "refused", replyCode: 554), .permanent),
            ("451 try later", TransportError(isRetryable: true, "later", replyCode: 451), .transient),
            ("a refused connection", TransportError(isRetryable: true, "connection refused"), .transient),
            ("535 bad login", TransportError(isRetryable: false, "bad", replyCode: 535), .unauthorized),
        ]
        let conformance = ConformanceCase(
            reply: try outbound(threadKey: "t-1", inReplyTo: nil),
            transportFailures: smtp.map { what, error, expected in
                ScriptedFailure(what, expected: expected) { mail.state.withLock { $0.sendError = error } }
            },
            polled: {
                let hub = FakeHub()
                _ = try await makeAdapter(mail: mail, hub: hub).pollOnce()
                return hub.stored
            },
            secrets: [hubSecret])
        let violations = await AdapterConformance.violations(
            of: try makeAdapter(mail: mail), channel: "support", http: RecordingHTTPClient(), case: conformance)
        #expect(violations == [])
    }
}
