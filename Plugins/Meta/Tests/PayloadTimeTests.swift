import Foundation
import SwitchboardAdapterKit
import Testing

@testable import MetaAdapter

/// A payload's timestamp is a number from the wire: one that is no plausible time (`nan`,
/// `1e300`) falls back to the reception time with a parse warning, and never traps.
@Suite struct PayloadTimeTests {
    @Test func aWhatsAppTimestampOfNaNBecomesTheReceptionTimeWithAWarning() async throws {
        let before = Date()
        let body = whatsappText.replacingOccurrences(of: #""timestamp": "1749416383""#, with: #""timestamp": "nan""#)
        #expect(body != whatsappText)
        let envelope = try #require(try await deliver(signedPost(body), to: whatsApp().webhookRoutes).envelopes.first)
        #expect(envelope.sentAt >= before && envelope.sentAt <= Date())
        #expect(envelope.parseWarnings.contains { $0.contains("'timestamp' (nan) is not a plausible time") })
    }

    @Test func aMessengerTimestampPast2200BecomesTheReceptionTimeWithAWarning() async throws {
        let before = Date()
        let body = messengerText.replacingOccurrences(of: #""timestamp":1583173666767"#, with: #""timestamp":1e300"#)
        #expect(body != messengerText)
        let envelope = try #require(try await deliver(signedPost(body), to: messenger().webhookRoutes).envelopes.first)
        #expect(envelope.sentAt >= before && envelope.sentAt <= Date())
        #expect(envelope.parseWarnings.contains { $0.contains("not a plausible time") })
    }

    @Test func onlyFiniteTimesFrom1970To2200AreDates() {
        for bad in [Double.nan, .infinity, -.infinity, 1e300, -1, 7_258_118_400] {
            #expect(PayloadTime.date(seconds: bad) == nil)
        }
        #expect(PayloadTime.date(seconds: 1_749_416_383) == Date(timeIntervalSince1970: 1_749_416_383))
        #expect(WhatsAppInbound.date("nan") == nil)
    }
}
