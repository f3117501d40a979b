#!/usr/bin/env bash
# Self-test of scripts/peers/kannel.sh, with a small Python HTTP sink on 127.0.0.1:23180 in place of
# the hub (it answers 200 with an empty body and logs every request line):
#   start -> mo (ASCII, then UCS-2) -> the sink saw both MO with the right fields -> listen ->
#   sendsms with a dlr-url pointing at the sink -> mt.log has the MT -> the sink saw DLR status 1 ->
#   an MT sent while nobody listens is queued and delivered by the next listener -> stop ->
#   no bearerbox/smsbox/fakesmsc/sink process is left.
# Exits non-zero on the first failure. Uses its own state dir unless SWITCHBOARD_PEERS_DIR is set
# (default /tmp/switchboard-peers-kannel-selftest), so it never touches the peers of a test run; it
# still needs the fixed ports 23100/23101/23110/23113/23180 to be free.
#
# usage: scripts/peers/kannel-selftest.sh
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
export SWITCHBOARD_PEERS_DIR="${SWITCHBOARD_PEERS_DIR:-/tmp/switchboard-peers-kannel-selftest}"
KANNEL="$HERE/kannel.sh"
K="$SWITCHBOARD_PEERS_DIR/kannel"
T="$SWITCHBOARD_PEERS_DIR/kannel-selftest"
PY=/usr/bin/python3
SINK_PORT=23180
SECRET=kannel-test-secret-0123456789
SENDSMS="http://127.0.0.1:23113/cgi-bin/sendsms?username=switchboard&password=switchboard-sendsms-pass"
RUN="$(date +%s)-$$"
SINK_PID=""

say() { echo "kannel-selftest: $*"; }
fail() {
    echo "kannel-selftest: FAIL: $*" >&2
    exit 1
}

cleanup() {
    local rc=$?
    "$KANNEL" stop >/dev/null 2>&1 || true
    if [ -n "$SINK_PID" ]; then
        kill "$SINK_PID" 2>/dev/null || true
        wait "$SINK_PID" 2>/dev/null || true
    fi
    if [ "$rc" -ne 0 ]; then
        echo "kannel-selftest: sink log ($T/sink.log):" >&2
        tail -n 20 "$T/sink.log" >&2 2>/dev/null || true
    fi
}
trap cleanup EXIT

# until SECONDS COMMAND...: retries the command every 0.1 s for up to SECONDS.
until_ok() {
    local tries=$(($1 * 10))
    shift
    for _ in $(seq "$tries"); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    return 1
}
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
urlencode() { "$PY" -c 'import os, sys, urllib.parse
print(urllib.parse.quote(os.fsencode(sys.argv[1]), safe=""))' "$1"; }

mkdir -p "$T"
: >"$T/sink.log"
port_free "$SINK_PORT" || fail "127.0.0.1:$SINK_PORT is taken (a hub running?); the sink needs it"

cat >"$T/sink.py" <<'PY'
# Stand-in for the hub: logs each request line (one write, so lines never interleave), answers 200.
import http.server, sys
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with open(sys.argv[2], "a") as log:
            log.write(self.requestline + "\n")
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
PY
: >"$T/sink.log"
"$PY" "$T/sink.py" "$SINK_PORT" "$T/sink.log" >"$T/sink.out" 2>&1 &
SINK_PID=$!
until_ok 10 curl -s -o /dev/null "http://127.0.0.1:$SINK_PORT/" || fail "the sink did not come up: $(cat "$T/sink.out")"
: >"$T/sink.log"

say "start"
"$KANNEL" start || fail "start"
"$KANNEL" status >/dev/null || fail "status after start"

say "mo (ASCII and UCS-2), run $RUN"
ASCII_TEXT="Hello from selftest $RUN"
UCS2_TEXT="Réponse € $RUN"
"$KANNEL" mo +15551230001 12345 "$ASCII_TEXT" || fail "mo ASCII"
"$KANNEL" mo +15551230002 12345 "$UCS2_TEXT" || fail "mo UCS-2"

# check_mo FROM CHARSET CODING TEXT: the sink has an inbound request with exactly these fields.
check_mo() {
    "$PY" - "$T/sink.log" "$SECRET" "$@" <<'PY'
import re, sys, urllib.parse
log, secret, sender, charset, coding, text = sys.argv[1:]
for line in open(log):
    method, target, _ = line.split(" ", 2)
    url = urllib.parse.urlsplit(target)
    if method != "GET" or url.path != "/webhooks/kannel/inbound":
        continue
    # keep the bytes: the text is in `charset`, not UTF-8
    q = urllib.parse.parse_qs(url.query, keep_blank_values=True, encoding="latin-1")
    one = {k: v[0] for k, v in q.items()}
    if one.get("from") != sender:
        continue
    raw = one.get("text", "").encode("latin-1")
    got = raw.decode({"UTF-16BE": "utf-16-be", "UTF-8": "utf-8"}.get(one.get("charset"), "latin-1"))
    checks = {
        "secret": one.get("secret") == secret,
        "to": one.get("to") == "12345",
        "charset": one.get("charset") == charset,
        "coding": one.get("coding") == coding,
        "text": got == text,
        "time": re.fullmatch(r"[0-9]{10}", one.get("time", "")) is not None,
        "id": re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", one.get("id", "")) is not None,
        "smsc": one.get("smsc") == "fake",
    }
    bad = [k for k, ok in checks.items() if not ok]
    if not bad:
        sys.exit(0)
    print("MO from %s has wrong %s: %s (text %r)" % (sender, ", ".join(bad), target, got), file=sys.stderr)
    sys.exit(2)
sys.exit(1)
PY
}
until_ok 15 check_mo +15551230001 UTF-8 0 "$ASCII_TEXT" || {
    check_mo +15551230001 UTF-8 0 "$ASCII_TEXT" || true
    fail "the sink did not get the ASCII MO right"
}
until_ok 15 check_mo +15551230002 UTF-16BE 2 "$UCS2_TEXT" || {
    check_mo +15551230002 UTF-16BE 2 "$UCS2_TEXT" || true
    fail "the sink did not get the UCS-2 MO right"
}
say "the sink got both MO with the right fields"

say "listen + sendsms with a dlr-url"
"$KANNEL" listen || fail "listen"
MSG_ID="selftest-$RUN"
DLR_URL="http://127.0.0.1:$SINK_PORT/webhooks/kannel/dlr?secret=$SECRET&id=$MSG_ID&part=1&parts=1&status=%d&answer=%A"
MT_TEXT="Merci € $RUN"
answer="$(curl -s -w ' HTTP %{http_code}' "$SENDSMS&from=12345&to=%2B15551230001&charset=UTF-8&coding=2&dlr-mask=31&text=$(urlencode "$MT_TEXT")&dlr-url=$(urlencode "$DLR_URL")")"
[ "$answer" = "0: Accepted for delivery HTTP 202" ] || fail "sendsms answered: $answer"
# mt_has FROM TO TEXT: mt.log has that MT; a `ucs-2` line carries URL-encoded UTF-16BE, a `text`
# line the text itself.
mt_has() {
    "$PY" - "$K/mt.log" "$@" <<'PY'
import os, sys, urllib.parse
log, sender, receiver = sys.argv[1:4]
text = os.fsencode(sys.argv[4]).decode("utf-8")
for line in open(log, "rb"):
    parts = line.rstrip(b"\n").split(b" ", 3)
    if len(parts) != 4 or parts[0].decode() != sender or parts[1].decode() != receiver:
        continue
    if parts[2] == b"ucs-2":
        got = urllib.parse.unquote_to_bytes(parts[3].replace(b"+", b" ")).decode("utf-16-be", "replace")
    elif parts[2] == b"text":
        got = parts[3].decode("utf-8", "replace")
    else:
        continue
    if got == text:
        sys.exit(0)
sys.exit(1)
PY
}
until_ok 10 mt_has 12345 +15551230001 "$MT_TEXT" || fail "mt.log has no MT '$MT_TEXT'; it ends with: $(tail -n 3 "$K/mt.log")"
say "mt.log has the MT"
dlr_seen() { grep -q "^GET /webhooks/kannel/dlr?secret=$SECRET&id=$MSG_ID&part=1&parts=1&status=$1&" "$T/sink.log"; }
until_ok 10 dlr_seen 1 || fail "the sink got no DLR with status 1 for $MSG_ID"
dlr_seen 8 || fail "the sink got no DLR with status 8 (SMSC ack) for $MSG_ID"
say "the sink got DLR 8 and 1, our parameters intact"

say "an MT queued while nobody listens reaches the next listener"
"$KANNEL" unlisten >/dev/null || fail "unlisten"
QUEUED_TEXT="queued $RUN"
answer="$(curl -s -w ' HTTP %{http_code}' "$SENDSMS&from=12345&to=%2B15551230003&charset=UTF-8&coding=0&text=$(urlencode "$QUEUED_TEXT")")"
[ "$answer" = "3: Queued for later delivery HTTP 202" ] || fail "sendsms with no listener answered: $answer"
"$KANNEL" listen >/dev/null || fail "listen again"
until_ok 10 mt_has 12345 +15551230003 "$QUEUED_TEXT" || fail "the queued MT never reached mt.log"
"$KANNEL" mo +15551230004 12345 "mo with a listener $RUN" >/dev/null || fail "mo while listening"
grep -q '^listener running' <<<"$("$KANNEL" status)" || fail "the listener did not come back after mo"

say "stop"
"$KANNEL" stop || fail "stop"
kill "$SINK_PID" 2>/dev/null || true
wait "$SINK_PID" 2>/dev/null || true
SINK_PID=""
sleep 0.2
# Zombies (state Z) are not processes any more: where PID 1 does not reap, stopped daemons stay so.
left="$(ps -eo pid=,stat=,args= | awk '$2 !~ /^Z/' | grep -E "bearerbox|smsbox|fakesmsc|$T/sink.py" | grep -v grep || true)"
[ -z "$left" ] || fail "processes left after stop:
$left"
say "OK"
