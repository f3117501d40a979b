// WhatsApp Cloud API webhook payloads as Meta documents them. Values are the documentation's own
// where it gives them; where it shows a placeholder (<WHATSAPP_USER_ID>), a value of the documented
// form is filled in and said so.

/// Text message: the example of the messages webhook reference, verbatim
/// (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages).
let whatsappText = fixture("whatsapp-text.json")

/// Text message with a business-scoped user id, for a user whose number is still shared:
/// `contacts[].user_id` and `messages[].from_user_id` beside `wa_id`/`from`
/// (https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids/,
/// "Incoming messages webhooks"; BSUID the docs' example `US.13491208655302741918`).
let whatsappTextWithBSUID = fixture("whatsapp-text-with-bsuid.json")

/// A user who adopted a username and whose number Meta withholds: no `wa_id`, no `from`; the
/// BSUID (`from_user_id`, `contacts[].user_id`) and `profile.username` only
/// (https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids/).
let whatsappUsernameUser = #"""
    {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{
    "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},
    "contacts":[{"profile":{"name":"Sheena Nelson","username":"@sheena.nelson"},"user_id":"US.13491208655302741918"}],
    "messages":[{"from_user_id":"US.13491208655302741918","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgB=",
    "timestamp":"1749416390","type":"text","text":{"body":"Hi, it's me again"}}]},"field":"messages"}]}]}
    """#

/// Image and document messages, shaped as the image and document messages webhook references show
/// them (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/image,
/// .../messages/document), two messages in one change.
let whatsappMedia = #"""
    {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{
    "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},
    "contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"16505551234"}],
    "messages":[
    {"from":"16505551234","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUNCNkQ5NzE1NjdBMjA2NzQ0NQA=","timestamp":"1744344496","type":"image",
     "image":{"caption":"Best summer ever!","mime_type":"image/jpeg","sha256":"mRuHuCmDpJ8D7YlO0QFyjJ/ATgsBOKkqfmGaPxN4y/4=","id":"1003383421387256"}},
    {"from":"16505551234","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUNCNkQ5NzE1NjdBMjA2NzQ0NgA=","timestamp":"1744344500","type":"document",
     "document":{"caption":"Lucky Shrub Invoice","filename":"lucky-shrub-invoice.pdf","mime_type":"application/pdf",
     "sha256":"Ao9ODUBVxuYUxnhLsWgVAsRfHEwfk4WUBoL1eY0ZaeI=","id":"1003383421387257"}}
    ]},"field":"messages"}]}]}
    """#

/// Location message (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/location).
let whatsappLocation = #"""
    {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{
    "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},
    "contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"16505551234"}],
    "messages":[{"from":"16505551234","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgC=","timestamp":"1744344496","type":"location",
    "location":{"address":"101 Forest Ave, Palo Alto, CA 94301","latitude":37.44216251868683,"longitude":-122.16153582049394,
    "name":"Philz Coffee","url":"https://www.philzcoffee.com"}}]},"field":"messages"}]}]}
    """#

/// A reply button tap, a list row tap and a template quick-reply button, each with the context of
/// the message they answer (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/interactive,
/// .../messages/button).
let whatsappInteractive = #"""
    {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{
    "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},
    "contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"16505551234"}],
    "messages":[
    {"context":{"from":"15550783881","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3NTFEMkY3MUM5QzY5RTg1RjQA"},"from":"16505551234",
     "id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTBBNjhGRjY2NTcwNjYzMUE2QQA=","timestamp":"1712595443","type":"interactive",
     "interactive":{"type":"button_reply","button_reply":{"id":"change-button","title":"Change"}}},
    {"context":{"from":"15550783881","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3NTFEMkY3MUM5QzY5RTg1RjUA"},"from":"16505551234",
     "id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTBBNjhGRjY2NTcwNjYzMUE2QgA=","timestamp":"1712595450","type":"interactive",
     "interactive":{"type":"list_reply","list_reply":{"id":"priority_express","title":"Priority Mail Express","description":"Next Day to 2 Days"}}},
    {"context":{"from":"15550783881","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3NTFEMkY3MUM5QzY5RTg1RjYA"},"from":"16505551234",
     "id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTBBNjhGRjY2NTcwNjYzMUE2QwA=","timestamp":"1712595460","type":"button",
     "button":{"payload":"Unsubscribe from Promos","text":"Unsubscribe from Promos"}}
    ]},"field":"messages"}]}]}
    """#

/// A reaction and an unsupported message (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/reaction,
/// .../messages/unsupported: `type: unsupported` with error 131051).
let whatsappReactionAndUnsupported = #"""
    {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{
    "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},
    "contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"16505551234"}],
    "messages":[
    {"from":"16505551234","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgD=","timestamp":"1744344496","type":"reaction",
     "reaction":{"message_id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3NTFEMkY3MUM5QzY5RTg1RjQA","emoji":"\uD83D\uDE00"}},
    {"from":"16505551234","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgE=","timestamp":"1744344500","type":"unsupported",
     "errors":[{"code":131051,"title":"Message type unknown","message":"Message type unknown","error_data":{"details":"Message type is currently not supported."}}],
     "unsupported":{"type":"edit"}}
    ]},"field":"messages"}]}]}
    """#

/// Status reports: sent, delivered, read and failed with error 131050
/// (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/status).
let whatsappStatuses = #"""
    {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{
    "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},
    "statuses":[
    {"id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MTE5MjVBOTE3MDk5QUVFM0YA","status":"sent","timestamp":"1750263773","recipient_id":"16505551234",
     "pricing":{"billable":true,"pricing_model":"PMP","category":"utility","type":"regular"}},
    {"id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MTE5MjVBOTE3MDk5QUVFM0YA","status":"delivered","timestamp":"1750263774","recipient_id":"16505551234"},
    {"id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MTE5MjVBOTE3MDk5QUVFM0YA","status":"read","timestamp":"1750263780","recipient_id":"16505551234"},
    {"id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJDQTZFQTVCOTc4QjRCNEYwNjgA","status":"failed","timestamp":"1750263790","recipient_id":"16505551234",
     "errors":[{"code":131050,"title":"Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business",
     "message":"Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business",
     "error_data":{"details":"Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business"},
     "href":"https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/"}]}
    ]},"field":"messages"}]}]}
    """#

/// Two entries in one delivery (Meta batches them), the first for another phone number of the same
/// business account: only ours is taken. Same shape as the messages reference text example.
let whatsappTwoNumbers = #"""
    {"object":"whatsapp_business_account","entry":[
    {"id":"102290129340398","changes":[{"value":{"messaging_product":"whatsapp",
     "metadata":{"display_phone_number":"15550783882","phone_number_id":"106540352242999"},
     "contacts":[{"profile":{"name":"Other"},"wa_id":"16505559999"}],
     "messages":[{"from":"16505559999","id":"wamid.OTHER","timestamp":"1749416383","type":"text","text":{"body":"not ours"}}]},"field":"messages"}]},
    {"id":"102290129340398","changes":[{"value":{"messaging_product":"whatsapp",
     "metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},
     "contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"16505551234"},{"profile":{"name":"Ana"},"wa_id":"5511987654321"}],
     "messages":[{"from":"16505551234","id":"wamid.ONE","timestamp":"1749416383","type":"text","text":{"body":"one"}},
                 {"from":"5511987654321","id":"wamid.TWO","timestamp":"1749416384","type":"text","text":{"body":"two"}}]},"field":"messages"}]}
    ]}
    """#
