#!/usr/bin/env bash
# The web inbox and the chat widget in a real browser: Debian's Chromium driven by Playwright
# (PyPI, pinned) through scripts/browser/inbox_flow.py. A customer writes on the webhook channel
# and in the chat widget on a test shop page; an agent logs in, sees one timeline across both
# channels, answers without a page reload and sees the delivery state change; the visitor gets the
# answer live; a second agent session sees new messages live; the reply checklist warns; a form
# post without the CSRF token is refused; the reports page draws its charts for two weeks of
# generated history. Screenshots of the inbox, a conversation (desktop and phone width), the
# widget and the reports page are written to docs/screenshots.
#
# usage: scripts/browser-test.sh [--binary PATH] [--screenshots DIR]
#   --binary       the hub to run (default .build/debug/switchboard, which `swift test` builds)
#   --screenshots  where the PNGs go (default docs/screenshots)
#
# It fails (never skips) when Chromium, Playwright, the hub or a helper server cannot start:
# Chromium (with fonts-noto-color-emoji, or emoji render as boxes) is installed with apt when
# /usr/lib/chromium/chromium is missing, Playwright into $SWITCHBOARD_PEERS_DIR/venv-playwright.
# Fixed ports on 127.0.0.1: the hub 23197 (SQLite in a temporary directory; channels `shop`, a
# webhook channel, and `chat`, the web chat), the test site 23198 (scripts/browser/site, served
# by python3 -m http.server) and the reply sink 23199 (scripts/browser/reply_sink.py, standing in
# for the webhook channel's outbound endpoint).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source-path=SCRIPTDIR
source scripts/lib/daemons.sh
BINARY=".build/debug/switchboard" SHOTS="docs/screenshots"
while [ $# -gt 0 ]; do
    case "$1" in
    --binary) BINARY="$2"; shift 2 ;;
    --screenshots) SHOTS="$2"; shift 2 ;;
    *) echo "browser-test.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -x "$BINARY" ] || { echo "browser-test.sh: no hub at $BINARY (swift build --product switchboard)" >&2; exit 2; }

PIN="playwright==1.65.2"
CHROMIUM=/usr/lib/chromium/chromium
STATE="${SWITCHBOARD_PEERS_DIR:-/tmp/switchboard-peers}"
VENV="$STATE/venv-playwright"
HUB_PORT=23197 SITE_PORT=23198 SINK_PORT=23199
SECRET="browser-test-webhook-secret-0123456789"
PASSWORD="browser-test-password-0123456789"
WORK="$(mktemp -d /tmp/sb-browser-test.XXXXXX)"
HUB_PID="" SITE_PID="" SINK_PID=""
log() { echo "browser-test.sh: $*" >&2; }
fail() { log "$*"; exit 1; }
cleanup() {
    stop_process "$HUB_PID"
    stop_process "$SITE_PID"
    stop_process "$SINK_PID"
    rm -rf "$WORK"
}
trap cleanup EXIT

if [ ! -x "$CHROMIUM" ]; then
    log "installing Debian's chromium (no $CHROMIUM)"
    # shellcheck source-path=SCRIPTDIR
    source scripts/lib/packages.sh
    ensure_packages chromium fonts-noto-color-emoji || fail "apt-get install chromium fonts-noto-color-emoji failed"
    # packages.sh may have put back the EXIT trap it found; make sure ours is the one in place.
    trap cleanup EXIT
    [ -x "$CHROMIUM" ] || fail "chromium is installed but $CHROMIUM is missing"
fi
if ! "$VENV/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('playwright') != '${PIN#*==}')" \
    2>/dev/null; then
    log "installing $PIN into $VENV"
    rm -rf "$VENV"
    mkdir -p "$STATE"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q "$PIN" >&2 || fail "pip install $PIN failed"
fi

for port in "$HUB_PORT" "$SITE_PORT" "$SINK_PORT"; do
    port_listening "$port" && fail "127.0.0.1:$port is already in use (a hub or test server left running?)"
done

# wait_for_port PORT PID NAME LOG: up to 10 s for a helper server to listen.
wait_for_port() {
    for _ in $(seq 100); do
        port_listening "$1" && return 0
        running "$2" || { tail -n 20 "$4" >&2; fail "$3 exited before it listened on 127.0.0.1:$1"; }
        sleep 0.1
    done
    tail -n 20 "$4" >&2
    fail "$3 did not listen on 127.0.0.1:$1 within 10 s"
}
python3 scripts/browser/reply_sink.py "$SINK_PORT" >"$WORK/sink.log" 2>&1 &
SINK_PID=$!
python3 -m http.server "$SITE_PORT" --bind 127.0.0.1 --directory scripts/browser/site >"$WORK/site.log" 2>&1 &
SITE_PID=$!
wait_for_port "$SINK_PORT" "$SINK_PID" "the reply sink" "$WORK/sink.log"
wait_for_port "$SITE_PORT" "$SITE_PID" "the test site" "$WORK/site.log"

cat >"$WORK/hub.yaml" <<YAML
server:
  host: 127.0.0.1
  port: $HUB_PORT
  public_url: http://127.0.0.1:$HUB_PORT
storage:
  sqlite:
    path: $WORK/hub.sqlite
# The email a chat visitor types is a strong identifier: with this, it joins their email profile
# at once (by default it only suggests the merge; docs/identity.md).
identity:
  auto_merge_on_strong_identifier: true
canned_replies:
  - name: Shipping update
    text: "Hi {{customer.first_name|there}},\n\nYour order is on its way.\n\nBest,\n{{agent.name}}"
channels:
  - id: shop
    type: webhook
    settings:
      secret: $SECRET
      outbound_url: http://127.0.0.1:$SINK_PORT/replies
  - id: chat
    type: webchat
    settings:
      allowed_origins: ["http://127.0.0.1:$SITE_PORT"]
      messages_per_minute: 20
YAML

# Two weeks of made-up history (customers, answers, resolutions) for the reports page, written
# before the hub starts: generate fills an empty store only.
"$BINARY" generate --customers 120 --messages 400 --days 14 --seed 9 --config "$WORK/hub.yaml" >/dev/null ||
    fail "switchboard generate failed"

# Users (an agent, who runs the flow, and an admin), with passwords read from stdin.
"$BINARY" users add "Ana Agent" --role agent --config "$WORK/hub.yaml" >/dev/null || fail "users add Ana Agent failed"
"$BINARY" users add "Ada Admin" --role admin --config "$WORK/hub.yaml" >/dev/null || fail "users add Ada Admin failed"
for user in "Ana Agent" "Ada Admin"; do
    printf '%s\n' "$PASSWORD" | "$BINARY" users password "$user" --config "$WORK/hub.yaml" >/dev/null ||
        fail "users password $user failed"
done

"$BINARY" serve --config "$WORK/hub.yaml" >"$WORK/hub.log" 2>&1 &
HUB_PID=$!
wait_for_hub "$HUB_PORT" "$HUB_PID" "$WORK/hub.log" || fail "the hub did not start"

log "Playwright ${PIN#*==} with $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
status=0
"$VENV/bin/python" scripts/browser/inbox_flow.py \
    --hub "http://127.0.0.1:$HUB_PORT" --site "http://127.0.0.1:$SITE_PORT" \
    --secret "$SECRET" --user "Ana Agent" --password "$PASSWORD" \
    --screenshots "$SHOTS" --chromium "$CHROMIUM" || status=$?
if [ "$status" -ne 0 ]; then
    log "the flow failed; last lines of the hub's log:"
    tail -n 40 "$WORK/hub.log" >&2
fi
exit "$status"
