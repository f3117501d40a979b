/// Payloads as the Matrix specification publishes them, with the spec's own ids and values, joined
/// into the sync responses the tests need.

/// The `m.room.message` event of the `GET /sync` response example (an HTML text message):
/// https://spec.matrix.org/latest/client-server-api/#get_matrixclientv3sync
let specTextMessage = """
    {
      "content": {
        "body": "This is an example text message",
        "format": "org.matrix.custom.html",
        "formatted_body": "<b>This is an example text message</b>",
        "msgtype": "m.text"
      },
      "event_id": "$143273582443PhrSn:example.org",
      "origin_server_ts": 1432735824653,
      "sender": "@example:example.org",
      "type": "m.room.message",
      "unsigned": {"age": 1234, "membership": "join"}
    }
    """

/// The `m.room.member` state event of the same example (it sets the display name).
/// https://spec.matrix.org/latest/client-server-api/#get_matrixclientv3sync
let specMemberEvent = """
    {
      "content": {
        "avatar_url": "mxc://example.org/SEsfnsuifSDFSSEF",
        "displayname": "Alice Margatroid",
        "membership": "join",
        "reason": "Looking for support"
      },
      "event_id": "$143273582443PhrSn:example.org",
      "origin_server_ts": 1432735824653,
      "sender": "@example:example.org",
      "state_key": "@example:example.org",
      "type": "m.room.member",
      "unsigned": {"age": 1234, "membership": "join"}
    }
    """

/// An edit, as in the spec's event-replacement example (`m.new_content` and `rel_type: m.replace`):
/// https://spec.matrix.org/latest/client-server-api/#event-replacements
let specEdit = """
    {
      "content": {
        "body": " * Hello! My name is bar",
        "msgtype": "m.text",
        "m.new_content": {"body": "Hello! My name is bar", "msgtype": "m.text"},
        "m.relates_to": {"event_id": "$143273582443PhrSn:example.org", "rel_type": "m.replace"}
      },
      "event_id": "$edit1:example.org",
      "origin_server_ts": 1432735825000,
      "sender": "@example:example.org",
      "type": "m.room.message"
    }
    """

/// A rich reply (`m.relates_to.m.in_reply_to`), with the quote fallback older clients still send:
/// https://spec.matrix.org/latest/client-server-api/#rich-replies
let specReply = """
    {
      "content": {
        "body": "> <@alice:example.org> This is the original body\\n\\nThis is where the reply goes",
        "format": "org.matrix.custom.html",
        "formatted_body": "<mx-reply><blockquote>In reply to <a href=\\"https://matrix.to/#/@alice:example.org\\">@alice:example.org</a><br />This is the original body</blockquote></mx-reply>This is where the reply goes",
        "msgtype": "m.text",
        "m.relates_to": {"m.in_reply_to": {"event_id": "$another_event"}}
      },
      "event_id": "$reply1:example.org",
      "origin_server_ts": 1432735826000,
      "sender": "@example:example.org",
      "type": "m.room.message"
    }
    """

/// `m.image` as in the spec's example: https://spec.matrix.org/latest/client-server-api/#mimage
let specImage = """
    {
      "content": {
        "body": "filename.jpg",
        "info": {"h": 398, "mimetype": "image/jpeg", "size": 31037, "w": 394},
        "msgtype": "m.image",
        "url": "mxc://example.org/JWEIFJgwEIhweiWJE"
      },
      "event_id": "$image1:example.org",
      "origin_server_ts": 1432735827000,
      "sender": "@example:example.org",
      "type": "m.room.message"
    }
    """

/// `m.file` as in the spec's example: https://spec.matrix.org/latest/client-server-api/#mfile
let specFile = """
    {
      "content": {
        "body": "something-important.doc",
        "filename": "something-important.doc",
        "info": {"mimetype": "application/msword", "size": 46144},
        "msgtype": "m.file",
        "url": "mxc://example.org/FHyPlCeYUSFFxlgbQYZmoEoe"
      },
      "event_id": "$file1:example.org",
      "origin_server_ts": 1432735828000,
      "sender": "@example:example.org",
      "type": "m.room.message"
    }
    """

/// A message written by the hub's own account (`@hub:example.org`), which must not be imported.
let ownMessage = """
    {
      "content": {"body": "Thanks, we are looking into it", "msgtype": "m.text"},
      "event_id": "$own1:example.org",
      "origin_server_ts": 1432735829000,
      "sender": "@hub:example.org",
      "type": "m.room.message"
    }
    """

/// A text message with a given id and body, shaped like the spec's example.
func textMessage(_ id: String, _ body: String, sender: String = "@example:example.org") -> String {
    """
    {"content": {"body": "\(body)", "msgtype": "m.text"}, "event_id": "\(id)",
     "origin_server_ts": 1432735830000, "sender": "\(sender)", "type": "m.room.message"}
    """
}

/// A `/sync` response shaped like the spec's example (room id `!726s6s6q:example.com`, the summary's
/// `m.joined_member_count`, `timeline.limited` and `prev_batch`), with the given timeline events and
/// invitations (`rooms.invite.<room>.invite_state` with the stripped `m.room.member` event whose
/// sender is the inviter): https://spec.matrix.org/latest/client-server-api/#get_matrixclientv3sync
func syncResponse(
    next: String = "s72595_4483_1934", room: String = "!726s6s6q:example.com", events: [String] = [],
    limited: Bool = false, prevBatch: String = "t34-23535_0_0", members: Int? = 2,
    invites: [(room: String, inviter: String)] = []
) -> String {
    let summary = members.map { #""summary": {"m.heroes": ["@alice:example.com"], "m.joined_member_count": \#($0)},"# }
    let join =
        events.isEmpty && members == nil
        ? "{}"
        : """
        {"\(room)": {\(summary ?? "") "state": {"events": []},
          "timeline": {"events": [\(events.joined(separator: ","))], "limited": \(limited), "prev_batch": "\(prevBatch)"}}}
        """
    let invite = invites.map { invite in
        """
        "\(invite.room)": {"invite_state": {"events": [
          {"content": {"name": "My Room Name"}, "sender": "\(invite.inviter)", "state_key": "", "type": "m.room.name"},
          {"content": {"membership": "invite"}, "sender": "\(invite.inviter)", "state_key": "@hub:example.org",
           "type": "m.room.member"}]}}
        """
    }
    return """
        {"next_batch": "\(next)", "rooms": {"join": \(join), "invite": {\(invite.joined(separator: ","))}, "leave": {}},
         "presence": {"events": []}, "account_data": {"events": []}}
        """
}

/// A `GET /rooms/{roomId}/messages` page (`chunk` newest first, `start`, `end`), shaped like the
/// spec's example: https://spec.matrix.org/latest/client-server-api/#get_matrixclientv3roomsroomidmessages
func messagesPage(_ events: [String], start: String, end: String?) -> String {
    """
    {"chunk": [\(events.joined(separator: ","))], "start": "\(start)"\(end.map { #", "end": "\#($0)""# } ?? "")}
    """
}
