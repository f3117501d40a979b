import Foundation
import SwitchboardAdapterKit
import Testing

@testable import MetaAdapter

@Suite struct ConfigurationTests {
    let base: [String: String] = [
        "app_secret": appSecret, "verify_token": verifyToken, "access_token": accessToken,
    ]

    func decode<T: Decodable>(_ type: T.Type, _ values: [String: String]) throws -> T {
        try JSONDecoder().decode(T.self, from: JSONSerialization.data(withJSONObject: values))
    }

    /// The message a failed decode carries, as the hub shows it.
    func failure<T: Decodable>(_ type: T.Type, _ values: [String: String]) -> String? {
        do {
            _ = try decode(type, values)
            return nil
        } catch DecodingError.dataCorrupted(let context) {
            return context.debugDescription
        } catch {
            return "\(error)"
        }
    }

    @Test func validSettingsGetDefaults() throws {
        let whatsapp = try decode(
            WhatsAppConfiguration.self, base.merging(["phone_number_id": phoneNumberID]) { a, _ in a })
        #expect(whatsapp.phoneNumberID == phoneNumberID)
        #expect(whatsapp.settings.graphBaseURL == "https://graph.facebook.com")
        #expect(whatsapp.settings.graphVersion == "v23.0")
        let messenger = try decode(
            MessengerConfiguration.self,
            base.merging(["page_id": pageID, "graph_base_url": "http://127.0.0.1:9/", "graph_version": "v24.0"]) {
                a, _ in a
            })
        #expect(messenger.settings.graphBaseURL == "http://127.0.0.1:9")
        #expect(messenger.settings.graphVersion == "v24.0")
        let instagram = try decode(
            InstagramConfiguration.self, base.merging(["instagram_account_id": igAccountID]) { a, _ in a })
        #expect(instagram.instagramAccountID == igAccountID)
    }

    @Test func badValuesSayWhatIsExpected() throws {
        let whatsapp = base.merging(["phone_number_id": phoneNumberID]) { a, _ in a }
        let version = failure(WhatsAppConfiguration.self, whatsapp.merging(["graph_version": "23.0"]) { _, b in b })
        #expect(version?.contains("vNN.N") == true)
        let url = failure(
            WhatsAppConfiguration.self, whatsapp.merging(["graph_base_url": "graph.facebook.com"]) { _, b in b })
        #expect(url?.contains("graph_base_url") == true)
        let number = failure(
            WhatsAppConfiguration.self, whatsapp.merging(["phone_number_id": "+1 555 0100"]) { _, b in b })
        #expect(number?.contains("phone_number_id") == true)
        let secret = failure(WhatsAppConfiguration.self, whatsapp.merging(["app_secret": "short"]) { _, b in b })
        #expect(secret?.contains("app_secret") == true)
        #expect(secret?.contains("short") == false)
        let token = failure(WhatsAppConfiguration.self, whatsapp.merging(["access_token": "abc"]) { _, b in b })
        #expect(token?.contains("access_token") == true)
        #expect(failure(WhatsAppConfiguration.self, whatsapp.merging(["verify_token": "x"]) { _, b in b }) != nil)
        #expect(
            failure(MessengerConfiguration.self, base.merging(["page_id": "my-page"]) { a, _ in a })?.contains(
                "page_id") == true)
        #expect(failure(MessengerConfiguration.self, base) != nil)
        #expect(failure(InstagramConfiguration.self, base.merging(["instagram_account_id": ""]) { a, _ in a }) != nil)
    }

    @Test func graphVersionForm() {
        #expect(MetaAppSettings.isGraphVersion("v23.0"))
        #expect(MetaAppSettings.isGraphVersion("v9.0"))
        #expect(!MetaAppSettings.isGraphVersion("v23"))
        #expect(!MetaAppSettings.isGraphVersion("23.0"))
        #expect(!MetaAppSettings.isGraphVersion("v23.0.1"))
    }
}
