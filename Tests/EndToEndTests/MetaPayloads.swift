// Meta's documented webhook payloads for the end-to-end tests: the same examples the plugin's
// own tests use (Plugins/Meta/Tests/*Fixtures.swift), each with its documentation source.

import Foundation

/// The payloads, by name.
enum MetaPayloads {
    /// Text message: the example of the messages webhook reference, verbatim
    /// (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages).
    static let whatsappText = #"""
        {
          "object": "whatsapp_business_account",
          "entry": [
            {
              "id": "102290129340398",
              "changes": [
                {
                  "value": {
                    "messaging_product": "whatsapp",
                    "metadata": {
                      "display_phone_number": "15550783881",
                      "phone_number_id": "106540352242922"
                    },
                    "contacts": [
                      {
                        "profile": {
                          "name": "Sheena Nelson"
                        },
                        "wa_id": "16505551234"
                      }
                    ],
                    "messages": [
                      {
                        "from": "16505551234",
                        "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=",
                        "timestamp": "1749416383",
                        "type": "text",
                        "text": {
                          "body": "Does it come in another color?"
                        }
                      }
                    ]
                  },
                  "field": "messages"
                }
              ]
            }
          ]
        }
        """#

    /// Text message with a business-scoped user id, for a user whose number is still shared:
    /// `contacts[].user_id` and `messages[].from_user_id` beside `wa_id`/`from`
    /// (https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids/,
    /// "Incoming messages webhooks"; BSUID the docs' example `US.13491208655302741918`).
    static let whatsappTextWithBSUID = #"""
        {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{
        "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},
        "contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"16505551234","user_id":"US.13491208655302741918"}],
        "messages":[{"from":"16505551234","from_user_id":"US.13491208655302741918",
        "id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=","timestamp":"1749416383","type":"text",
        "text":{"body":"Does it come in another color?"}}]},"field":"messages"}]}]}
        """#

    /// `messages` event with text, as in the messages webhook reference
    /// (https://developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/webhook-events/messages).
    static let messengerText = #"""
        {"object":"page","entry":[{"id":"1234567890","time":1583173667623,"messaging":[{
        "sender":{"id":"5551234567890123"},"recipient":{"id":"1234567890"},"timestamp":1583173666767,
        "message":{"mid":"m_toDnmD9N5nLbmKB2OgK0pFSwQcBz6z7XE2Ujgj_L0Uoq_Ad9JZqG7VN-uy8w","text":"This is a text message"}}]}]}
        """#

    /// `message_echoes` Example 1, with our own metadata
    /// (https://developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/webhook-events/message-echoes).
    static let messengerEcho = #"""
        {"object":"page","entry":[{"id":"1234567890","time":1457764198000,"messaging":[{
        "sender":{"id":"1234567890"},"recipient":{"id":"5551234567890123"},"timestamp":1457764197627,
        "message":{"is_echo":true,"app_id":1517776481860111,"metadata":"switchboard:msg_1",
        "mid":"mid.1457764197618:41d102a3e1ae206a38","text":"hello, world!"}}]}]}
        """#

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
