// Meta's documented webhook payloads for the end-to-end tests: the plugin's own fixtures
// (Plugins/Meta/Tests/Fixtures), each with its documentation source.

import Foundation

/// The payloads, by name.
enum MetaPayloads {
    /// Text message: the example of the messages webhook reference, verbatim
    /// (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages).
    static let whatsappText = fixture("Meta", "whatsapp-text.json")

    /// Text message with a business-scoped user id, for a user whose number is still shared:
    /// `contacts[].user_id` and `messages[].from_user_id` beside `wa_id`/`from`
    /// (https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids/,
    /// "Incoming messages webhooks"; BSUID the docs' example `US.13491208655302741918`).
    static let whatsappTextWithBSUID = fixture("Meta", "whatsapp-text-with-bsuid.json")

    /// `messages` event with text, as in the messages webhook reference
    /// (https://developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/webhook-events/messages).
    static let messengerText = fixture("Meta", "messenger-text.json")

    /// `message_echoes` Example 1, with our own metadata
    /// (https://developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/webhook-events/message-echoes).
    static let messengerEcho = fixture("Meta", "messenger-echo.json")

    /// The first message of Meta's Instagram messaging example
    /// (https://developers.facebook.com/docs/instagram-platform/webhooks/examples).
    static let instagramText = #"""
        {"object":"instagram","entry":[{"time":1520383571,"id":"17841400000000001","messaging":[
        {"sender":{"id":"6661234567890123"},"recipient":{"id":"17841400000000001"},"timestamp":1520383571000,
         "message":{"mid":"aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDAw","text":"Is this still available?"}}]}]}
        """#

    /// The statuses webhook example (sent, delivered, read) for the message `wamid`
    /// (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/status).
    static func whatsappStatuses(for wamid: String) -> String {
        #"""
        {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{
        "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},
        "statuses":[
        {"id":"WAMID","status":"sent","timestamp":"1750263773","recipient_id":"16505551234",
         "pricing":{"billable":true,"pricing_model":"PMP","category":"utility","type":"regular"}},
        {"id":"WAMID","status":"delivered","timestamp":"1750263774","recipient_id":"16505551234"},
        {"id":"WAMID","status":"read","timestamp":"1750263780","recipient_id":"16505551234"}
        ]},"field":"messages"}]}]}
        """#.replacingOccurrences(of: "WAMID", with: wamid)
    }
}
