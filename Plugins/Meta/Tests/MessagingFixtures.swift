// Messenger and Instagram messaging webhook payloads as Meta documents them. The docs write the ids
// as placeholders (<PAGE_ID>, <PSID>, <IGID>, <IGSID>); numeric ids of the documented kind are
// filled in: page 1234567890, PSID 5551234567890123, Instagram account 17841400000000001,
// IGSID 6661234567890123.

/// `messages` event with text, as in the messages webhook reference
/// (https://developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/webhook-events/messages).
let messengerText = fixture("messenger-text.json")

/// `messages` with an image attachment, a quick reply, and a reply to an earlier message, all from
/// the same reference (sections "Message with attachment", "Quick reply", "Reply to a message").
let messengerVariants = #"""
    {"object":"page","entry":[{"id":"1234567890","time":1583173667623,"messaging":[
    {"sender":{"id":"5551234567890123"},"recipient":{"id":"1234567890"},"timestamp":1583173666767,
     "message":{"mid":"m_attachment1","attachments":[{"type":"image","payload":{"url":"https://scontent.xx.fbcdn.net/v/t1.15752-9/image.png"}}]}},
    {"sender":{"id":"5551234567890123"},"recipient":{"id":"1234567890"},"timestamp":1583173666800,
     "message":{"mid":"m_quickreply1","text":"Red","quick_reply":{"payload":"DEVELOPER_DEFINED_PAYLOAD_FOR_PICKING_RED"}}},
    {"sender":{"id":"5551234567890123"},"recipient":{"id":"1234567890"},"timestamp":1583173666900,
     "message":{"mid":"m_reply1","text":"Yes, that one","reply_to":{"mid":"m_original1"}}}
    ]}]}
    """#

/// A `user_email` quick reply: Messenger pre-fills the email from the person's profile and sends it
/// as the quick reply's payload (https://developers.facebook.com/docs/messenger-platform/send-messages/quick-replies#email).
let messengerEmailQuickReply = #"""
    {"object":"page","entry":[{"id":"1234567890","time":1583173667623,"messaging":[{
    "sender":{"id":"5551234567890123"},"recipient":{"id":"1234567890"},"timestamp":1583173666767,
    "message":{"mid":"m_email1","text":"ana@example.com","quick_reply":{"payload":"ana@example.com"}}}]}]}
    """#

/// `message_echoes` Example 1, with our own metadata
/// (https://developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/webhook-events/message-echoes).
let messengerEcho = fixture("messenger-echo.json")

/// `message_deliveries` and `message_reads` examples
/// (https://developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/webhook-events/message-deliveries,
/// .../message-reads).
let messengerDeliveryAndRead = #"""
    {"object":"page","entry":[{"id":"1234567890","time":1458668856463,"messaging":[
    {"sender":{"id":"5551234567890123"},"recipient":{"id":"1234567890"},
     "delivery":{"mids":["mid.1458668856218:ed81099e15d3f4f233"],"watermark":1458668856253}},
    {"sender":{"id":"5551234567890123"},"recipient":{"id":"1234567890"},"timestamp":1458668856463,
     "read":{"watermark":1458668856253}}
    ]}]}
    """#

/// Instagram `messages`: text, an image, an echo of the account's own message, and `messaging_seen`
/// (https://developers.facebook.com/docs/instagram-platform/webhooks/examples).
let instagramMessages = #"""
    {"object":"instagram","entry":[{"time":1520383571,"id":"17841400000000001","messaging":[
    {"sender":{"id":"6661234567890123"},"recipient":{"id":"17841400000000001"},"timestamp":1520383571000,
     "message":{"mid":"aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDAw","text":"Is this still available?"}},
    {"sender":{"id":"6661234567890123"},"recipient":{"id":"17841400000000001"},"timestamp":1520383572000,
     "message":{"mid":"aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDAx","attachments":[{"type":"image","payload":{"url":"https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1"}}],
     "reply_to":{"mid":"aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDA5"}}},
    {"sender":{"id":"17841400000000001"},"recipient":{"id":"6661234567890123"},"timestamp":1520383573000,
     "message":{"mid":"aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDAy","text":"Yes it is!","is_echo":true}},
    {"sender":{"id":"6661234567890123"},"recipient":{"id":"17841400000000001"},"timestamp":1520383574000,
     "read":{"mid":"aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDAy"}}
    ]}]}
    """#

/// Instagram `comments` change, as in the webhooks examples ("comments"), plus the account's own
/// reply to it, which must not be imported (https://developers.facebook.com/docs/instagram-platform/webhooks/examples).
let instagramComments = #"""
    {"object":"instagram","entry":[{"id":"17841400000000001","time":1520622968,"changes":[
    {"field":"comments","value":{"from":{"id":"6661234567890123","username":"jane.doe"},
     "media":{"id":"17887498072083520","media_product_type":"FEED"},"id":"17865799348089039","text":"This is an example."}},
    {"field":"comments","value":{"from":{"id":"17841400000000001","username":"our.shop"},
     "media":{"id":"17887498072083520","media_product_type":"FEED"},"id":"17865799348089040","parent_id":"17865799348089039",
     "text":"Thanks!"}}
    ]}]}
    """#
