import SwitchboardAdapterKit

/// The `settings:` of a `type: whatsapp` channel (WhatsApp Cloud API). Every check fails with the
/// key's line in `switchboard config check`.
///
/// ```yaml
/// - id: whatsapp
///   type: whatsapp
///   settings:
///     phone_number_id: "106540352242922"
///     app_secret: ${META_APP_SECRET}
///     verify_token: ${META_VERIFY_TOKEN}
///     access_token: ${WHATSAPP_ACCESS_TOKEN}
///     graph_version: v23.0            # optional
/// ```
public struct WhatsAppConfiguration: Decodable, Sendable {
    public var settings: MetaAppSettings
    /// The business phone number's id (WhatsApp Manager › Phone numbers), not the number itself.
    public var phoneNumberID: String

    enum CodingKeys: String, CodingKey {
        case phoneNumberID = "phone_number_id"
    }

    public init(from decoder: any Decoder) throws {
        settings = try MetaAppSettings(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        phoneNumberID = try MetaAppSettings.decodeGraphID(
            container, .phoneNumberID, what: "the business phone number's id from WhatsApp Manager (not the number)")
    }

    public init(settings: MetaAppSettings, phoneNumberID: String) {
        self.settings = settings
        self.phoneNumberID = phoneNumberID
    }
}
