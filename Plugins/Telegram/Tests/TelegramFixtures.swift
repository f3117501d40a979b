// Telegram documents its objects field by field rather than publishing example payloads, so these
// fixtures are written with exactly the documented field names and types of each section cited
// above them (Bot API reference, https://core.telegram.org/bots/api). Ids, names and file ids are
// test values. Entity offsets and lengths are counted in UTF-16 code units, as Telegram counts them
// (https://core.telegram.org/bots/api#messageentity; checked against PTB and aiogram in
// /work/shared/peers.md §4: in "Bonjour 👋 /start", /start is at offset 11, not 10).

/// The bot token of the Bot API's own example (https://core.telegram.org/bots/api#authorizing-your-bot).
let botToken = "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11"
let secretToken = "s3cr3t_Token-0123456789abcdef"

/// A private chat (https://core.telegram.org/bots/api#chat) with the sender of
/// https://core.telegram.org/bots/api#user.
let anaChat = #"{"id": 1111111, "type": "private", "first_name": "Ana", "last_name": "Silva", "username": "anasilva"}"#
let ana =
    #"{"id": 1111111, "is_bot": false, "first_name": "Ana", "last_name": "Silva", "username": "anasilva", "language_code": "pt-BR"}"#
/// Our bot, as `from` of the messages it sent (https://core.telegram.org/bots/api#user).
let ourBot = #"{"id": 123456, "is_bot": true, "first_name": "Acme Support", "username": "acme_support_bot"}"#

/// An Update (https://core.telegram.org/bots/api#update) with a private text Message
/// (https://core.telegram.org/bots/api#message) carrying a bot_command MessageEntity
/// (https://core.telegram.org/bots/api#messageentity) at UTF-16 offset 11.
let privateText = #"""
    {"update_id": 10000,
     "message": {"message_id": 1365, "from": \#(ana), "chat": \#(anaChat), "date": 1700000000,
                 "text": "Bonjour 👋 /start",
                 "entities": [{"type": "bot_command", "offset": 11, "length": 6}]}}
    """#

/// A Message in a supergroup (https://core.telegram.org/bots/api#chat: type "supergroup", title).
let supergroupMessage = #"""
    {"update_id": 10001,
     "message": {"message_id": 52,
                 "from": {"id": 2222222, "is_bot": false, "first_name": "Bruno", "language_code": "en"},
                 "chat": {"id": -1001234567890, "type": "supergroup", "title": "Acme customers"},
                 "date": 1700000060, "text": "Is the shop open on Sunday?"}}
    """#

/// A Message in a basic group (https://core.telegram.org/bots/api#chat: type "group").
let groupMessage = #"""
    {"update_id": 10002,
     "message": {"message_id": 7,
                 "from": {"id": 3333333, "is_bot": false, "first_name": "Chloé", "username": "chloe"},
                 "chat": {"id": -4012345678, "type": "group", "title": "Order 1234"},
                 "date": 1700000120, "text": "Any news?"}}
    """#

/// A photo with a caption: `photo` is an Array of PhotoSize, smallest first
/// (https://core.telegram.org/bots/api#message, https://core.telegram.org/bots/api#photosize).
let photoWithCaption = #"""
    {"update_id": 10003,
     "message": {"message_id": 1366, "from": \#(ana), "chat": \#(anaChat), "date": 1700000180,
                 "photo": [
                   {"file_id": "AgACAgQAAxkBAAM-s", "file_unique_id": "AQADs", "file_size": 1622, "width": 90, "height": 67},
                   {"file_id": "AgACAgQAAxkBAAM-m", "file_unique_id": "AQADm", "file_size": 21430, "width": 320, "height": 240},
                   {"file_id": "AgACAgQAAxkBAAM-x", "file_unique_id": "AQADx", "file_size": 95301, "width": 1280, "height": 960}],
                 "caption": "Arrived broken",
                 "caption_entities": [{"type": "bold", "offset": 0, "length": 7}]}}
    """#

/// A reply: `reply_to_message` holds the answered Message, here one our bot sent
/// (https://core.telegram.org/bots/api#message).
let replyToOurMessage = #"""
    {"update_id": 10004,
     "message": {"message_id": 1368, "from": \#(ana), "chat": \#(anaChat), "date": 1700000300,
                 "reply_to_message": {"message_id": 1367, "from": \#(ourBot), "chat": \#(anaChat),
                                      "date": 1700000240, "text": "Could you send the order number?"},
                 "text": "It is 1234"}}
    """#

/// An edited message: Update.edited_message, with Message.edit_date
/// (https://core.telegram.org/bots/api#update, https://core.telegram.org/bots/api#message).
let editedText = #"""
    {"update_id": 10005,
     "edited_message": {"message_id": 1365, "from": \#(ana), "chat": \#(anaChat), "date": 1700000000,
                        "edit_date": 1700000400, "text": "Bonjour 👋 I need help"}}
    """#

/// Another bot writing in a group: User.is_bot true (https://core.telegram.org/bots/api#user).
let botInGroup = #"""
    {"update_id": 10006,
     "message": {"message_id": 53,
                 "from": {"id": 987654, "is_bot": true, "first_name": "Other Bot", "username": "other_bot"},
                 "chat": {"id": -1001234567890, "type": "supergroup", "title": "Acme customers"},
                 "date": 1700000460, "text": "Beep"}}
    """#

/// A channel post (https://core.telegram.org/bots/api#update: channel_post; no `from`).
let channelPost = #"""
    {"update_id": 10007,
     "channel_post": {"message_id": 90, "sender_chat": {"id": -1009876543210, "type": "channel", "title": "Acme news"},
                      "chat": {"id": -1009876543210, "type": "channel", "title": "Acme news"},
                      "date": 1700000520, "text": "New opening hours"}}
    """#

/// A service message: a member joined (Message.new_chat_members, https://core.telegram.org/bots/api#message).
let memberJoined = #"""
    {"update_id": 10008,
     "message": {"message_id": 54,
                 "from": {"id": 4444444, "is_bot": false, "first_name": "Dana"},
                 "chat": {"id": -1001234567890, "type": "supergroup", "title": "Acme customers"},
                 "date": 1700000580,
                 "new_chat_members": [{"id": 4444444, "is_bot": false, "first_name": "Dana"}]}}
    """#

/// Media of each kind: Document, Voice, Sticker, Animation (with the `document` Telegram also
/// sets), Location and Contact (https://core.telegram.org/bots/api#document, #voice, #sticker,
/// #animation, #location, #contact).
let documentMessage = #"""
    {"update_id": 10009,
     "message": {"message_id": 1370, "from": \#(ana), "chat": \#(anaChat), "date": 1700000640,
                 "document": {"file_id": "BQACAgQAAxkBAAM-doc", "file_unique_id": "AgADdoc", "file_name": "invoice 1234.pdf",
                              "mime_type": "application/pdf", "file_size": 48213}}}
    """#
let voiceMessage = #"""
    {"update_id": 10010,
     "message": {"message_id": 1371, "from": \#(ana), "chat": \#(anaChat), "date": 1700000700,
                 "voice": {"file_id": "AwACAgQAAxkBAAM-voice", "file_unique_id": "AgADvoice", "duration": 4,
                           "mime_type": "audio/ogg", "file_size": 9912}}}
    """#
let stickerMessage = #"""
    {"update_id": 10011,
     "message": {"message_id": 1372, "from": \#(ana), "chat": \#(anaChat), "date": 1700000760,
                 "sticker": {"file_id": "CAACAgIAAxkBAAM-stk", "file_unique_id": "AgADstk", "type": "regular",
                             "width": 512, "height": 512, "is_animated": false, "is_video": false, "emoji": "😀",
                             "file_size": 23004}}}
    """#
let animationMessage = #"""
    {"update_id": 10012,
     "message": {"message_id": 1373, "from": \#(ana), "chat": \#(anaChat), "date": 1700000820,
                 "animation": {"file_id": "CgACAgQAAxkBAAM-gif", "file_unique_id": "AgADgif", "width": 320, "height": 180,
                               "duration": 3, "file_name": "thanks.mp4", "mime_type": "video/mp4", "file_size": 80211},
                 "document": {"file_id": "CgACAgQAAxkBAAM-gif", "file_unique_id": "AgADgif", "file_name": "thanks.mp4",
                              "mime_type": "video/mp4", "file_size": 80211}}}
    """#
let locationMessage = #"""
    {"update_id": 10013,
     "message": {"message_id": 1374, "from": \#(ana), "chat": \#(anaChat), "date": 1700000880,
                 "location": {"latitude": 48.858844, "longitude": 2.294351}}}
    """#
let contactMessage = #"""
    {"update_id": 10014,
     "message": {"message_id": 1375, "from": \#(ana), "chat": \#(anaChat), "date": 1700000940,
                 "contact": {"phone_number": "+33612345678", "first_name": "Marc", "last_name": "Dupont"}}}
    """#

/// getUpdates' answer: `{"ok": true, "result": [Update, …]}` (https://core.telegram.org/bots/api#making-requests,
/// https://core.telegram.org/bots/api#getupdates).
func updatesAnswer(_ updates: [String]) -> String {
    #"{"ok": true, "result": [\#(updates.joined(separator: ","))]}"#
}

/// sendMessage's answer: the sent Message (https://core.telegram.org/bots/api#sendmessage).
func sentAnswer(chat: Int64, messageID: Int64) -> String {
    #"""
    {"ok": true, "result": {"message_id": \#(messageID), "from": \#(ourBot),
     "chat": {"id": \#(chat), "type": "private", "first_name": "Ana"}, "date": 1700001000, "text": "Hello"}}
    """#
}

/// An error answer: ok false, error_code, description and optional ResponseParameters
/// (https://core.telegram.org/bots/api#making-requests, https://core.telegram.org/bots/api#responseparameters).
/// The descriptions are the ones the Bot API returns for these cases.
func errorAnswer(_ code: Int, _ description: String, parameters: String? = nil) -> String {
    #"{"ok": false, "error_code": \#(code), "description": "\#(description)""#
        + (parameters.map { #", "parameters": \#($0)"# } ?? "") + "}"
}
