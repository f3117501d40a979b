import SwitchboardAdapterKit

/// The `settings:` of a `type: messenger` channel (a Facebook Page's inbox).
///
/// ```yaml
/// - id: messenger
///   type: messenger
///   settings:
///     page_id: "1234567890"
///     app_secret: ${META_APP_SECRET}
///     verify_token: ${META_VERIFY_TOKEN}
///     access_token: ${MESSENGER_PAGE_TOKEN}   # the page access token
/// ```
public struct MessengerConfiguration: Decodable, Sendable {
    public var settings: MetaAppSettings
    /// The Facebook Page's numeric id (Page › About › Page transparency, or the Graph API Explorer).
    public var pageID: String

    enum CodingKeys: String, CodingKey { case pageID = "page_id" }

    public init(from decoder: any Decoder) throws {
        settings = try MetaAppSettings(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        pageID = try MetaAppSettings.decodeGraphID(container, .pageID, what: "the Facebook Page's numeric id")
    }

    public init(settings: MetaAppSettings, pageID: String) {
        self.settings = settings
        self.pageID = pageID
    }
}

/// The `settings:` of a `type: instagram` channel (an Instagram professional account's DMs).
///
/// ```yaml
/// - id: instagram
///   type: instagram
///   settings:
///     instagram_account_id: "17841400000000000"
///     app_secret: ${META_APP_SECRET}
///     verify_token: ${META_VERIFY_TOKEN}
///     access_token: ${INSTAGRAM_ACCESS_TOKEN}
///     # graph_base_url: https://graph.instagram.com   # for Instagram-Login tokens
/// ```
public struct InstagramConfiguration: Decodable, Sendable {
    public var settings: MetaAppSettings
    /// The Instagram professional account's id, as webhooks name it in `entry[].id`.
    public var instagramAccountID: String

    enum CodingKeys: String, CodingKey { case instagramAccountID = "instagram_account_id" }

    public init(from decoder: any Decoder) throws {
        settings = try MetaAppSettings(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        instagramAccountID = try MetaAppSettings.decodeGraphID(
            container, .instagramAccountID, what: "the Instagram professional account's id")
    }

    public init(settings: MetaAppSettings, instagramAccountID: String) {
        self.settings = settings
        self.instagramAccountID = instagramAccountID
    }
}
