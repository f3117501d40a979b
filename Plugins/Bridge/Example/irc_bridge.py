#!/usr/bin/env python3
"""An example Switchboard bridge: IRC <-> hub, Python 3.11 standard library only.

Read it next to docs/bridge-protocol.md. The channel-independent half (signing, the spool, the
sender with retries) is in switchboard_bridge.py beside it; this file is the IRC half. All three
directions of the protocol are here:

* customers' messages: IRC PRIVMSG -> envelope -> spool file -> POST <hub>/envelopes (signed)
* delivery reports:    a reply went out -> spool -> POST <hub>/status {"updates": [...]}
* agents' replies:     hub -> POST /outbound (signed, Idempotency-Key) -> IRC PRIVMSG

Run it (the secret comes ONLY from the environment, never from the command line):

    BRIDGE_SECRET=... python3 irc_bridge.py --irc 127.0.0.1:26667 --nick hubbot \\
        --channels '#support' --hub http://127.0.0.1:23180/webhooks/irc \\
        --listen 127.0.0.1:8090 --state /tmp/irc-bridge

Files in --state: spool.jsonl (what the hub has not yet accepted; posted again on start),
rejected.jsonl (what the hub refused for good, with its reason), outbound-keys.json
(Idempotency-Key -> the id we answered, so a retried reply is not sent twice).
Logs go to stderr, nothing to stdout. GET /health answers {"irc_connected": true|false, ...},
with status 200 while connected to IRC and 503 while not.
"""
from __future__ import annotations

import argparse, hashlib, json, logging, os, re, signal, socket, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from switchboard_bridge import HubSender, Spool, error, now_iso, signature_problem, write_atomically

log = logging.getLogger("irc_bridge")
MAX_LINE_BYTES = 400  # UTF-8 bytes of text per PRIVMSG (an IRC line is at most 512 bytes in all)
FORMATTING = re.compile(r"\x03\d{0,2}(?:,\d{1,2})?|[\x02\x0f\x11\x16\x1d\x1e\x1f]")  # colours, bold
NICK = re.compile(r"^[A-Za-z\[\]\\`_^{|}][A-Za-z0-9\[\]\\`_^{|}-]*$")


# ---------------------------------------------------------------- IRC lines
def parse_line(line: str) -> tuple[str, str, list[str]]:
    """Splits ':prefix COMMAND p1 p2 :trailing' into (prefix, COMMAND, [p1, p2, trailing])."""
    prefix = ""
    if line.startswith(":"):
        prefix, _, line = line[1:].partition(" ")
    line, separator, trailing = f" {line}".partition(" :")  # " :" starts the last parameter
    params = line.split()
    command = params.pop(0).upper() if params else ""
    if separator:  # a trailing parameter was there (it may be empty or hold spaces)
        params.append(trailing)
    return prefix, command, params


def split_text(text: str, limit: int = MAX_LINE_BYTES) -> list[str]:
    """One IRC line per line of text, each at most `limit` UTF-8 bytes: long lines are cut at a
    space where possible, never inside a character. Empty lines are dropped (IRC cannot send them)."""
    out: list[str] = []
    for line in text.replace("\x00", "").splitlines():
        while len(line.encode()) > limit:
            cut = len(line.encode()[:limit].decode("utf-8", "ignore"))  # whole characters only
            space = line.rfind(" ", 0, cut)
            cut = space if space > cut // 2 else cut
            out.append(line[:cut])
            line = line[cut:].lstrip(" ")
        if line.strip():
            out.append(line)
    return out


# ---------------------------------------------------------------- IRC client
class IrcClient(threading.Thread):
    """One IRC connection, kept up with backoff: registers, answers PING, joins the channels and
    hands every PRIVMSG to on_message(nick, target, text)."""

    def __init__(self, host: str, port: int, nick: str, channels: list[str], on_message, stop) -> None:
        super().__init__(name="irc", daemon=True)
        self.host, self.port, self.wanted_nick, self.nick = host, port, nick, nick
        self.channels, self.on_message, self.stop = channels, on_message, stop
        self.sock: socket.socket | None = None
        self.registered = threading.Event()  # set after 001 (welcome): only then can we send
        self.joined: set[str] = set()  # channels we are in, lower case
        self.send_lock = threading.Lock()

    def send(self, *lines: str) -> None:
        """Sends lines as one unit, so a multi-line reply is not interleaved with another."""
        with self.send_lock:
            if self.sock is None:
                raise ConnectionError("not connected to IRC")
            self.sock.sendall(b"".join(line.encode() + b"\r\n" for line in lines))

    def run(self) -> None:
        delay = 1.0
        while not self.stop.is_set():
            try:
                self.session()
            except OSError as failure:
                level = logging.INFO if self.stop.is_set() else logging.WARNING
                log.log(level, "IRC %s:%d: %s", self.host, self.port, failure)
            except Exception:  # a line we mishandled must not end the bridge: log it, reconnect
                log.exception("IRC session failed")
            if self.registered.is_set():  # that session had worked: back off afresh
                delay = 1.0
            self.registered.clear()
            self.joined.clear()
            with self.send_lock:
                if self.sock is not None:
                    self.sock.close()
                    self.sock = None
            if not self.stop.is_set():
                log.info("reconnecting to IRC in %.0f s", delay)
                self.stop.wait(delay)
                delay = min(delay * 2, 60.0)

    def session(self) -> None:
        """One connection, until the server closes it, it stops answering, or we stop."""
        self.sock = socket.create_connection((self.host, self.port), timeout=10)
        self.sock.settimeout(60)  # 60 s of silence: we PING; another 60 s: the link is dead
        self.nick = self.wanted_nick
        self.send(f"NICK {self.nick}", f"USER {self.wanted_nick} 0 * :Switchboard bridge")
        buffer, pinged = b"", False
        while not self.stop.is_set():
            try:
                data = self.sock.recv(4096)
            except TimeoutError:
                if pinged:
                    raise ConnectionError("no answer to PING for 60 s")
                self.send("PING :keepalive")
                pinged = True
                continue
            if not data:
                raise ConnectionError("the server closed the connection")
            buffer, pinged = buffer + data, False
            *lines, buffer = buffer.split(b"\n")
            for raw in lines:  # IRC has no declared charset: UTF-8, never failing on bad bytes
                self.handle(raw.rstrip(b"\r").decode("utf-8", errors="replace"))

    def handle(self, line: str) -> None:
        prefix, command, params = parse_line(line)
        sender = prefix.split("!", 1)[0]
        mine = sender.lower() == self.nick.lower()
        if command == "PING":
            self.send(f"PONG :{params[-1] if params else ''}")
        elif command == "001":  # welcome: registered, under the nick the server confirms
            self.nick = params[0]
            self.registered.set()
            log.info("registered on IRC %s:%d as %s", self.host, self.port, self.nick)
            if self.channels:
                self.send(*(f"JOIN {channel}" for channel in self.channels))
        elif command == "433" and not self.registered.is_set():  # nick in use: try nick_
            self.nick += "_"
            log.warning("nick in use; trying %s", self.nick)
            self.send(f"NICK {self.nick}")
        elif command == "NICK" and mine and params:
            self.nick = params[0]
        elif command == "JOIN" and mine and params:
            self.joined.add(params[0].lower())
        elif command in ("PART", "KICK") and len(params) >= (2 if command == "KICK" else 1):
            if (params[1] if command == "KICK" else sender).lower() == self.nick.lower():
                self.joined.discard(params[0].lower())
        elif command == "ERROR":  # the server closes the link (also the answer to our QUIT)
            raise ConnectionError(f"server said: {params[-1] if params else line}")
        elif command == "PRIVMSG" and len(params) == 2 and sender and not mine:
            text = params[1]
            if text.startswith("\x01"):  # CTCP: ACTION (/me) is a message, VERSION & co are not
                if not text.startswith("\x01ACTION "):
                    return
                text = f"* {sender} {text[8:].rstrip(chr(1))}"
            self.on_message(sender, params[0], FORMATTING.sub("", text))


# ---------------------------------------------------------------- the bridge itself
class Bridge:
    """Turns IRC messages into envelopes and the hub's replies into IRC lines."""

    def __init__(self, args: argparse.Namespace, secret: bytes, stop: threading.Event) -> None:
        self.secret, self.counter, self.record_path = secret, 0, args.record
        self.record_lock = threading.Lock()
        self.outbound_lock = threading.Lock()  # one reply at a time: check key, send, remember key
        self.spool = Spool(args.state)
        self.keys_path = os.path.join(args.state, "outbound-keys.json")
        self.keys: dict = {"sent": {}}  # {"sent": {idempotency key: {"id", "at"}}}
        if os.path.exists(self.keys_path):
            with open(self.keys_path, encoding="utf-8") as f:
                self.keys = json.load(f)
        channels = [c.strip() for c in args.channels.split(",") if c.strip()]
        self.irc = IrcClient(*args.irc, args.nick, channels, self.on_message, stop)
        self.sender = HubSender(args.hub, secret, self.spool, stop, self.record)

    def record(self, schema: str, body: dict) -> None:
        """With --record FILE: appends {"schema", "body"} for check_schemas.py to validate."""
        if self.record_path:
            with self.record_lock, open(self.record_path, "a", encoding="utf-8") as f:
                f.write(json.dumps({"schema": schema, "body": body}, ensure_ascii=False) + "\n")

    def on_message(self, nick: str, target: str, text: str) -> None:
        """A PRIVMSG to the bot -> a private envelope; "bot: text" in a joined channel -> public."""
        if target.lower() == self.irc.nick.lower():
            visibility, thread = "private", f"irc:{nick.lower()}"
        elif target.lower() in self.irc.joined:
            addressed = re.match(rf"\s*{re.escape(self.irc.nick)}\s*[:,]\s*(.*)", text, re.I | re.S)
            if not addressed:
                return  # channel chatter, not for the bot
            visibility, thread, text = "public", target.lower(), addressed.group(1)
        else:
            return
        if not text.strip():
            return
        self.counter += 1  # IRC has no message ids: make one that is unique and never reused
        seed = f"{nick}\0{target}\0{text}\0{time.time_ns()}\0{self.counter}".encode()
        envelope = {"id": "irc-" + hashlib.sha256(seed).hexdigest()[:32], "from": f"irc:{nick.lower()}",
                    "name": nick, "thread": thread, "visibility": visibility, "text": text, "sent_at": now_iso()}
        self.spool.add("envelopes", envelope)  # on disk BEFORE it is posted
        log.info("message from %s in %s spooled as %s", nick, thread, envelope["id"])

    def send_reply(self, message: dict, key: str) -> tuple[int, dict]:
        """Sends one verified /outbound body to IRC: (HTTP status, JSON answer)."""
        to, text, thread = message.get("to"), message.get("text"), message.get("thread") or ""
        if not isinstance(to, str) or not isinstance(text, str) or not key:
            return error(400, "permanent", "'to' and 'text' (strings) and an Idempotency-Key are required")
        nick = to[4:] if to.startswith("irc:") else ""
        if not NICK.match(nick):
            return error(422, "invalid_recipient", f"{to!r} is not an IRC address (irc:<nick>)")
        if message.get("visibility") == "public":  # in the channel, addressed as "nick: text"
            if not thread.startswith("#"):
                return error(400, "permanent", f"a public reply needs a #channel thread, not {thread!r}")
            target = thread
            lines = [f"{nick}: {line}" for line in split_text(text, MAX_LINE_BYTES - len(nick) - 2)]
        else:
            target, lines = nick, split_text(text)
        if not lines:
            return error(400, "permanent", "the text is empty")
        with self.outbound_lock:
            if key in self.keys["sent"]:  # a retry of a reply already sent: same id, send nothing
                log.info("Idempotency-Key seen before: answering %s again", self.keys["sent"][key]["id"])
                return 200, {"id": self.keys["sent"][key]["id"]}
            if not self.irc.registered.is_set():
                return error(503, "transient", "the bridge is not connected to IRC; retry later")
            join = [f"JOIN {target}"] if target.startswith("#") and target.lower() not in self.irc.joined else []
            try:  # (a real server may throttle a long burst; ngIRCd in the tests does not)
                self.irc.send(*join, *(f"PRIVMSG {target} :{line}" for line in lines))
            except OSError as failure:
                return error(503, "transient", f"the IRC connection failed while sending: {failure}")
            # The id follows from the key: a crash between the send and the write below would send
            # the reply again on the hub's retry (at least once), but never under another id.
            reply_id = "irc-out-" + hashlib.sha256(key.encode()).hexdigest()[:24]
            self.keys["sent"][key] = {"id": reply_id, "at": int(time.time())}
            week_ago = time.time() - 7 * 86400  # the hub stops retrying long before that
            self.keys["sent"] = {k: v for k, v in self.keys["sent"].items() if v["at"] > week_ago}
            write_atomically(self.keys_path, json.dumps(self.keys))
        log.info("reply %s sent to %s in %d line(s)", reply_id, target, len(lines))
        # IRC has no delivery receipts: "sent" (handed to the server) is all we can report.
        self.spool.add("status", {"id": reply_id, "status": "sent", "at": now_iso()})
        return 200, {"id": reply_id}


class Handler(BaseHTTPRequestHandler):
    """The bridge's HTTP side: POST /outbound (the hub's replies) and GET /health."""
    bridge: Bridge  # set in main()

    def answer(self, status: int, body: dict) -> None:
        raw = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def do_GET(self) -> None:
        if self.path != "/health":
            return self.answer(*error(404, "permanent", "only GET /health and POST /outbound"))
        irc = self.bridge.irc  # 200 only while connected: the hub's health_url probe wants a 2xx
        self.answer(200 if irc.registered.is_set() else 503,
                    {"irc_connected": irc.registered.is_set(), "nick": irc.nick,
                     "channels": sorted(irc.joined), "spooled": len(self.bridge.spool.records)})

    def do_POST(self) -> None:
        if self.path != "/outbound":
            return self.answer(*error(404, "permanent", "only GET /health and POST /outbound"))
        length = self.headers.get("Content-Length", "")
        if not (length.isascii() and length.isdigit()) or int(length) > 1 << 20:
            return self.answer(*error(413, "permanent", "a Content-Length of at most 1 MiB is required"))
        body = self.rfile.read(int(length))
        problem = signature_problem(self.bridge.secret, self.headers, body)  # BEFORE any parsing
        if problem:
            log.warning("refused POST /outbound: %s", problem)
            return self.answer(*error(401, "unauthorized", problem))
        try:
            message = json.loads(body)
        except ValueError:
            message = None
        if not isinstance(message, dict):
            return self.answer(*error(400, "permanent", "the body is not a JSON object"))
        self.bridge.record("outbound", message)
        # The body's key counts: it is covered by the signature, the header is not.
        key = message.get("idempotency_key") if isinstance(message.get("idempotency_key"), str) else ""
        header = self.headers.get("Idempotency-Key")
        if header is not None and header != key:
            return self.answer(*error(400, "permanent", "the Idempotency-Key header differs from idempotency_key"))
        status, result = self.bridge.send_reply(message, str(key))
        self.bridge.record("send-result", result)
        self.answer(status, result)

    def log_message(self, format: str, *args) -> None:
        log.debug("http: " + format, *args)


def host_port(text: str) -> tuple[str, int]:
    """argparse type for HOST:PORT."""
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not HOST:PORT, e.g. 127.0.0.1:26667")
    return host, int(port)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--irc", type=host_port, default="127.0.0.1:26667", help="IRC server HOST:PORT (plain text)")
    parser.add_argument("--nick", default="hubbot", help="the bot's nick")
    parser.add_argument("--channels", default="", help="channels to join, e.g. '#support,#help'")
    parser.add_argument("--hub", default="http://127.0.0.1:23180/webhooks/irc", help="the hub's URL for this channel")
    parser.add_argument("--listen", type=host_port, default="127.0.0.1:8090",
                        help="HOST:PORT for POST /outbound and GET /health")
    parser.add_argument("--state", default="irc-bridge-state", help="directory for the spool and the key map")
    parser.add_argument("--record", help="append every message as {schema, body} to this JSON-lines file")
    args = parser.parse_args()
    logging.basicConfig(stream=sys.stderr, level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(threadName)s: %(message)s")
    secret = os.environ.get("BRIDGE_SECRET", "")
    if len(secret) < 16:
        log.error("set BRIDGE_SECRET in the environment to the channel's secret (at least 16 characters)")
        return 2
    os.makedirs(args.state, exist_ok=True)
    stop = threading.Event()
    bridge = Bridge(args, secret.encode(), stop)
    Handler.bridge = bridge
    try:
        server = ThreadingHTTPServer(args.listen, Handler)
    except OSError as failure:
        log.error("cannot listen on %s:%d: %s", *args.listen, failure)
        return 1
    # A parent may start us with signals blocked (Foundation's Process does): unblock them first.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    bridge.irc.start()
    bridge.sender.start()
    threading.Thread(target=server.serve_forever, args=(0.1,), name="http", daemon=True).start()
    log.info("listening on http://%s:%d (POST /outbound, GET /health); hub %s",
             args.listen[0], server.server_port, args.hub)
    while not stop.wait(1):
        pass
    log.info("stopping")
    server.shutdown()
    try:
        bridge.irc.send("QUIT :bridge stopping")
        time.sleep(0.2)  # let the QUIT leave before the process ends
    except OSError:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
