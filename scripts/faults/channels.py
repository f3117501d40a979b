"""Every webhook-receiving channel type of Switchboard, as the fault tests configure and call it.

Why it exists: the replay and bad-input tests need, for each channel type, a config entry, its
secrets, a valid inbound request in the shape the platform documents, and that request signed by
the platform's rule (or deliberately not). Keeping them here gives both tests the same requests.
The shapes follow the end-to-end tests (Tests/EndToEndTests/*), which cite the official docs:

- webhook, bridge: docs/webhook-channel.md, docs/bridge-protocol.md (this repository).
- twilio: https://www.twilio.com/docs/messaging/guides/webhook-request, signed per
  https://www.twilio.com/docs/usage/security#validating-requests.
- whatsapp: https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages
- messenger: https://developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/webhook-events/messages
- instagram: https://developers.facebook.com/docs/instagram-platform/webhooks/examples
  (all three signed per https://developers.facebook.com/docs/graph-api/webhooks/getting-started#validate-payloads).
- telegram: https://core.telegram.org/bots/api#update and #setwebhook (secret_token header).
- x: https://docs.x.com/x-api/account-activity/introduction, signed per https://docs.x.com/x-api/webhooks/quickstart.
- kannel: the sms-service get-url of https://www.kannel.org/download/1.4.5/userguide-1.4.5/userguide.html
- sms-http: docs/sms-channels.md (a configured JSON provider with an HMAC header).
"""

import hashlib
import json
import time
import urllib.parse

import faultlib

DEAD_API = "http://127.0.0.1:9"  # no channel API is called by these tests; a send would be refused

# Distinctive values, so a log line that leaks one is found by a plain substring search.
SECRETS = {
    "F_WEBHOOK_SECRET": "fw-webhook-secret-Qm3Rk8Vt2Lx5",
    "F_BRIDGE_SECRET": "fb-bridge-secret-Hn6Wd1Ys4Pz7",
    "F_TWILIO_TOKEN": "ft0twilio0token0Jc9Ue2Xa5Rb8Nk1",
    "F_META_SECRET": "fm-meta-app-secret-Gv3Tq6Ld9Ws2",
    "F_META_VERIFY": "fm-meta-verify-token-Zp4Kc7",
    "F_META_ACCESS": "EAAfaultsGraphAccessToken5Mh8Yr1Bx4",
    "F_TELEGRAM_BOT": "123456:AAFaultsBotToken-Lq2Wn5Tz8Vc1Xd4Ry7Ps",
    "F_TELEGRAM_SECRET": "ftg_secret-Dk5Hm8Qs1Vw4",
    "F_X_SECRET": "fx-consumer-secret-Ja7Nf2Rt5Yk8",
    "F_X_ACCESS": "fx-user-access-token-Cb3Gp6Lu9Ze2",
    "F_KANNEL_SECRET": "fk-kannel-secret-Mw4Qx7Tb1Hs5",
    "F_KANNEL_PASSWORD": "fk-sendsms-pass-Ev8Ja2Nc5Rg9",
    "F_SMS_SECRET": "fs-acme-secret-Uy6Kd9Pf3Wm1",
}
S = SECRETS
TWILIO_SID = "AC0123456789abcdef0123456789abcdef"
TWILIO_PUBLIC = "https://hub.example.test/webhooks/tw"
WA_NUMBER_ID = "106540352242922"
PAGE_ID = "1234567890"
IG_ID = "17841400000000001"
X_ACCOUNT = "4337869213"


def secret(name, wrong=False):
    """A configured secret, or for a forgery another value of the same shape that does not
    contain it (so a log line echoing the forgery is not mistaken for a leak of the real one)."""
    return S[name][::-1] if wrong else S[name]


class Channel:
    """One configured channel: `request(n, tag)` builds the n-th distinct valid message of a run,
    `build(body, auth=...)` turns a body into (method, path, headers, body)."""

    id = kind = route = ""
    method = "POST"
    content_type = "application/json"
    auth_status = 403  # what the hub answers a refused signature/token
    signs_timestamp = False

    def yaml(self):
        raise NotImplementedError

    def payload(self, n, tag):
        """(body bytes, the envelope's external id in the messages table)."""
        raise NotImplementedError

    def auth_headers(self, body, path, wrong):
        return {}

    def build(self, body, auth="good", content_type=None, timestamp=None):
        path = f"/webhooks/{self.id}{self.route}"
        headers = {"Content-Type": content_type or self.content_type}
        if auth != "missing":
            headers.update(self.auth_headers(body, path, wrong=(auth == "wrong")))
        return self.method, path, headers, body

    def request(self, n, tag):
        body, external_id = self.payload(n, tag)
        return self.build(body) + (external_id,)


class Webhook(Channel):
    id, kind, route, auth_status = "shop", "webhook", "/inbound", 401

    def __init__(self, outbound_url=DEAD_API + "/replies"):
        self.outbound_url = outbound_url

    def yaml(self):
        return (f"  - id: {self.id}\n    type: webhook\n    settings:\n      secret: ${{F_WEBHOOK_SECRET}}\n"
                f"      outbound_url: {self.outbound_url}\n")

    def payload(self, n, tag):
        external_id = f"{tag}-wh-{n}"
        body = {"id": external_id, "from": f"email:customer{n % 40}@example.com", "name": f"Customer {n % 40}",
                "thread": f"order-{n % 40}", "text": f"Where is my order? ({external_id})"}
        return json.dumps(body).encode(), external_id

    def auth_headers(self, body, path, wrong):
        return {"X-Switchboard-Signature": faultlib.sign_switchboard(secret("F_WEBHOOK_SECRET", wrong), body)}


class Bridge(Channel):
    id, kind, route, auth_status, signs_timestamp = "irc", "bridge", "/envelopes", 401, True

    def yaml(self):
        return (f"  - id: {self.id}\n    type: bridge\n    settings:\n      secret: ${{F_BRIDGE_SECRET}}\n"
                "      capabilities:\n        visibilities: [private, public]\n")

    def payload(self, n, tag):
        external_id = f"{tag}-irc-{n}"
        envelope = {"id": external_id, "from": f"irc:nick{n % 40}", "name": f"nick{n % 40}",
                    "thread": f"irc:nick{n % 40}", "text": f"hello from IRC ({external_id})"}
        return json.dumps({"envelopes": [envelope]}).encode(), external_id

    def build(self, body, auth="good", content_type=None, timestamp=None):
        method, path, headers, body = super().build(body, auth, content_type)
        if auth != "missing":
            stamp = int(time.time()) if timestamp is None else timestamp
            key = secret("F_BRIDGE_SECRET", auth == "wrong")
            headers["X-Switchboard-Timestamp"] = str(stamp)
            headers["X-Switchboard-Signature"] = faultlib.sign_bridge(key, stamp, body)
        return method, path, headers, body


class Twilio(Channel):
    id, kind, route, content_type = "tw", "twilio", "/sms", "application/x-www-form-urlencoded"

    def yaml(self):
        return (f"  - id: {self.id}\n    type: twilio\n    settings:\n      account_sid: {TWILIO_SID}\n"
                "      auth_token: ${F_TWILIO_TOKEN}\n      from: \"+15005550006\"\n      default_region: US\n"
                f"      public_url: {TWILIO_PUBLIC}\n      api_base_url: {DEAD_API}\n")

    def payload(self, n, tag):
        sid = "SM" + hashlib.md5(f"{tag}-{n}".encode()).hexdigest()
        params = [("ToCountry", "US"), ("SmsMessageSid", sid), ("NumMedia", "0"), ("SmsSid", sid),
                  ("SmsStatus", "received"), ("Body", f"Hi, order status? ({tag}-{n})"), ("To", "+15005550006"),
                  ("NumSegments", "1"), ("MessageSid", sid), ("AccountSid", TWILIO_SID),
                  ("From", f"+1415555{100 + n % 40:04d}"), ("ApiVersion", "2010-04-01")]
        return urllib.parse.urlencode(params).encode(), sid

    def auth_headers(self, body, path, wrong):
        params = urllib.parse.parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
        token = secret("F_TWILIO_TOKEN", wrong)
        return {"X-Twilio-Signature": faultlib.sign_twilio(token, TWILIO_PUBLIC + self.route, params)}


class Meta(Channel):
    route = "/webhook"

    def auth_headers(self, body, path, wrong):
        return {"X-Hub-Signature-256": faultlib.sign_meta(secret("F_META_SECRET", wrong), body)}

    def settings(self):
        return ("      app_secret: ${F_META_SECRET}\n      verify_token: ${F_META_VERIFY}\n"
                f"      access_token: ${{F_META_ACCESS}}\n      graph_base_url: {DEAD_API}\n")


class WhatsApp(Meta):
    id, kind = "wa", "whatsapp"

    def yaml(self):
        return (f"  - id: {self.id}\n    type: whatsapp\n    settings:\n{self.settings()}"
                f"      phone_number_id: \"{WA_NUMBER_ID}\"\n")

    def payload(self, n, tag):
        wamid = f"wamid.{tag}.{n}"
        number = f"1650555{1200 + n % 40:04d}"
        value = {"messaging_product": "whatsapp",
                 "metadata": {"display_phone_number": "15550783881", "phone_number_id": WA_NUMBER_ID},
                 "contacts": [{"profile": {"name": f"Sheena {n % 40}"}, "wa_id": number}],
                 "messages": [{"from": number, "id": wamid, "timestamp": str(int(time.time())), "type": "text",
                               "text": {"body": f"Does it come in another color? ({tag}-{n})"}}]}
        body = {"object": "whatsapp_business_account",
                "entry": [{"id": "102290129340398", "changes": [{"value": value, "field": "messages"}]}]}
        return json.dumps(body).encode(), wamid


class Messenger(Meta):
    id, kind, object, account = "fb", "messenger", "page", PAGE_ID

    def yaml(self):
        return f"  - id: {self.id}\n    type: messenger\n    settings:\n{self.settings()}      page_id: \"{PAGE_ID}\"\n"

    def payload(self, n, tag):
        mid = f"m_{tag}_{n}"
        now = int(time.time() * 1000)
        event = {"sender": {"id": f"55512345678{n % 40:02d}"}, "recipient": {"id": self.account}, "timestamp": now,
                 "message": {"mid": mid, "text": f"This is a text message ({tag}-{n})"}}
        body = {"object": self.object, "entry": [{"id": self.account, "time": now, "messaging": [event]}]}
        return json.dumps(body).encode(), mid


class Instagram(Messenger):
    id, kind, object, account = "ig", "instagram", "instagram", IG_ID

    def yaml(self):
        return (f"  - id: {self.id}\n    type: instagram\n    settings:\n{self.settings()}"
                f"      instagram_account_id: \"{IG_ID}\"\n")


class Telegram(Channel):
    id, kind, route = "tg", "telegram", "/update"

    def yaml(self):
        return (f"  - id: {self.id}\n    type: telegram\n    settings:\n      bot_token: \"${{F_TELEGRAM_BOT}}\"\n"
                f"      mode: webhook\n      secret_token: ${{F_TELEGRAM_SECRET}}\n      api_base_url: {DEAD_API}\n")

    def payload(self, n, tag):
        user = 1111100 + n % 40
        person = {"id": user, "is_bot": False, "first_name": "Ana", "last_name": f"Silva{n % 40}"}
        message = {"message_id": 1000 + n, "from": person,
                   "chat": {"id": user, "type": "private", "first_name": "Ana", "last_name": f"Silva{n % 40}"},
                   "date": int(time.time()), "text": f"Bonjour, my order? ({tag}-{n})"}
        return json.dumps({"update_id": 500000 + n, "message": message}).encode(), f"{user}:{1000 + n}"

    def auth_headers(self, body, path, wrong):
        return {"X-Telegram-Bot-Api-Secret-Token": secret("F_TELEGRAM_SECRET", wrong)}


class X(Channel):
    id, kind, route = "x", "x", "/webhook"

    def yaml(self):
        return (f"  - id: {self.id}\n    type: x\n    settings:\n      account_id: \"{X_ACCOUNT}\"\n"
                "      access_token: ${F_X_ACCESS}\n      consumer_secret: ${F_X_SECRET}\n      mode: webhook\n"
                f"      api_base_url: {DEAD_API}\n")

    def payload(self, n, tag):
        """Even n: a DM (message_create); odd n: a mention that answers nothing (no conversation
        lookup is needed, so no X API is called)."""
        sender = str(3001969300 + n % 40)
        users = {sender: {"id": sender, "name": f"Jordan {n % 40}", "screen_name": f"camper{n % 40}"}}
        number = str(int(hashlib.md5(f"{tag}-{n}".encode()).hexdigest()[:14], 16))
        if n % 2 == 0:
            event = {"type": "message_create", "id": number, "created_timestamp": str(int(time.time() * 1000)),
                     "message_create": {"target": {"recipient_id": X_ACCOUNT}, "sender_id": sender,
                                        "message_data": {"text": f"Hello World! ({tag}-{n})"}}}
            body = {"for_user_id": X_ACCOUNT, "direct_message_events": [event], "users": users}
            return json.dumps(body).encode(), "dm:" + number
        post = {"created_at": time.strftime("%a %b %d %H:%M:%S +0000 %Y", time.gmtime()), "id": int(number),
                "id_str": number, "full_text": f"@brand my order? ({tag}-{n})", "truncated": False,
                "user": {"id": int(sender), "id_str": sender, "name": f"Jordan {n % 40}",
                         "screen_name": f"camper{n % 40}"}}
        body = {"for_user_id": X_ACCOUNT, "tweet_create_events": [post]}
        return json.dumps(body).encode(), number

    def auth_headers(self, body, path, wrong):
        return {"x-twitter-webhooks-signature": faultlib.sign_x(secret("F_X_SECRET", wrong), body)}


class Kannel(Channel):
    """smsbox calls GET with the message in the query string; the secret is a query parameter, so
    `body` here is the query string without the secret."""
    id, kind, route, method = "kn", "kannel", "/inbound", "GET"

    def yaml(self):
        return (f"  - id: {self.id}\n    type: kannel\n    settings:\n      secret: ${{F_KANNEL_SECRET}}\n"
                f"      sendsms_url: {DEAD_API}/cgi-bin/sendsms\n      username: switchboard\n"
                "      password: ${F_KANNEL_PASSWORD}\n      from: \"12345\"\n      default_region: FR\n")

    def payload(self, n, tag):
        external_id = f"{tag}-kn-{n}"
        query = urllib.parse.urlencode([
            ("from", f"+3361234{5600 + n % 40:04d}"), ("to", "12345"), ("text", f"Bonjour ({tag}-{n})"),
            ("charset", "UTF-8"), ("coding", "0"), ("time", str(int(time.time()))), ("id", external_id),
            ("smsc", "fake")])
        return query.encode(), external_id

    def build(self, body, auth="good", content_type=None, timestamp=None, request_body=b""):
        query = body.decode("latin-1")
        if auth != "missing":
            query += "&secret=" + urllib.parse.quote(secret("F_KANNEL_SECRET", auth == "wrong"))
        headers = {"Content-Type": content_type} if content_type else {}
        return self.method, f"/webhooks/{self.id}{self.route}?{query}", headers, request_body


class SMSHTTP(Channel):
    id, kind, route = "sms", "sms-http", "/inbound"

    def yaml(self):
        return (f"  - id: {self.id}\n    type: sms-http\n    settings:\n      default_region: FR\n      inbound:\n"
                "        format: json\n"
                "        auth: {hmac: {header: X-Acme-Signature, secret: \"${F_SMS_SECRET}\", prefix: \"sha256=\"}}\n"
                "        fields: {id: message.id, from: message.from, to: message.to, text: message.body}\n")

    def payload(self, n, tag):
        external_id = f"{tag}-sms-{n}"
        body = {"message": {"id": external_id, "from": f"+3361234{5700 + n % 40:04d}", "to": "+33612340000",
                            "body": f"Salut ({tag}-{n})"}}
        return json.dumps(body).encode(), external_id

    def auth_headers(self, body, path, wrong):
        return {"X-Acme-Signature": "sha256=" + faultlib.hmac_hex(secret("F_SMS_SECRET", wrong), body)}


def all_channels():
    return [Webhook(), Bridge(), Twilio(), WhatsApp(), Messenger(), Instagram(), Telegram(), X(), Kannel(), SMSHTTP()]


def channels_yaml(channels):
    return "".join(channel.yaml() for channel in channels)
