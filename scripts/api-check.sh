#!/usr/bin/env bash
# schemathesis (PyPI, pinned) against the running hub and the OpenAPI document the hub serves
# (`/api/v1/openapi.yaml`, from Sources/SwitchboardServer/Resources/openapi.yaml): it generates
# valid and invalid requests for every operation and fails on a server error or on any response
# that contradicts the document (status code, content type, headers, body schema), and on an
# operation that answers without the bearer token.
#
# usage: scripts/api-check.sh [--binary PATH] [--max-examples N]
#   --binary        the hub to run (default .build/debug/switchboard, which `swift test` builds)
#   --max-examples  test cases per operation and phase (default 40)
#
# Every check runs but two (CHECKS and EXCLUDE_CHECKS override):
# - positive_data_acceptance: some inputs the document cannot describe are refused with a 400
#   that says why (a customer merged into itself, a private reply's notice to a public thread);
# - unsupported_method: a method a path does not have answers 404, not 405 with `Allow`.
#
# The hub runs on 127.0.0.1:23196 with an empty SQLite store in a temporary directory, seeded
# with a few customers, conversations, a reply and a merge through its own webhook channel and
# API, so that generated requests also meet ids that exist. `GET /api/v1/events` is a stream that
# does not end, so it is left out. The venv is $SWITCHBOARD_PEERS_DIR/venv-schemathesis.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source-path=SCRIPTDIR
source scripts/lib/daemons.sh
BINARY=".build/debug/switchboard" EXAMPLES=40
while [ $# -gt 0 ]; do
    case "$1" in
    --binary) BINARY="$2"; shift 2 ;;
    --max-examples) EXAMPLES="$2"; shift 2 ;;
    *) echo "api-check.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -x "$BINARY" ] || { echo "api-check.sh: no hub at $BINARY (swift build --product switchboard)" >&2; exit 2; }

PIN="schemathesis==4.32.5"
STATE="${SWITCHBOARD_PEERS_DIR:-/tmp/switchboard-peers}"
VENV="$STATE/venv-schemathesis"
PORT=23196
TOKEN="api-check-token-0123456789abcdef"
SECRET="api-check-webhook-secret-0123456789"
WORK="$(mktemp -d /tmp/sb-api-check.XXXXXX)"
HUB_PID=""
log() { echo "api-check.sh: $*" >&2; }
cleanup() {
    stop_process "$HUB_PID"
    rm -rf "$WORK"
}
trap cleanup EXIT

if ! "$VENV/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('schemathesis') != '${PIN#*==}')" 2>/dev/null; then
    log "installing $PIN into $VENV"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q "$PIN" >&2 || { log "pip install $PIN failed"; exit 1; }
fi

cat >"$WORK/hub.yaml" <<YAML
server:
  host: 127.0.0.1
  port: $PORT
  api_token: $TOKEN
storage:
  sqlite:
    path: $WORK/hub.sqlite
channels:
  - id: shop
    type: webhook
    settings:
      secret: $SECRET
      outbound_url: http://127.0.0.1:9/replies
YAML
"$BINARY" serve --config "$WORK/hub.yaml" >"$WORK/hub.log" 2>&1 &
HUB_PID=$!
wait_for_hub "$PORT" "$HUB_PID" "$WORK/hub.log"

# Seed: three customers (two of them one person, merged), their conversations, a reply.
post() {
    local signature
    signature="$(printf '%s' "$1" | openssl dgst -sha256 -hmac "$SECRET" | awk '{print $NF}')"
    curl -sf -o /dev/null -X POST -H "Content-Type: application/json" -H "X-Switchboard-Signature: sha256=$signature" \
        --data "$1" "http://127.0.0.1:$PORT/webhooks/shop/inbound"
}
post '{"id":"seed-1","from":"email:ana@example.com","name":"Ana Lima","subject":"Order 7","text":"Where is my order?","thread":"order-7"}'
post '{"id":"seed-2","from":"tel:+14155550100","name":"Ana","text":"Any news?","thread":"sms-1"}'
post '{"id":"seed-3","from":"email:bo@example.com","name":"Bo Berg","text":"Invoice please","thread":"inv-1"}'
api() { curl -sf -H "Authorization: Bearer $TOKEN" "$@"; }
ids="$(api "http://127.0.0.1:$PORT/api/v1/customers" | python3 -c 'import json, sys; print(" ".join(c["id"] for c in json.load(sys.stdin)["items"]))')"
read -r third second first <<<"$ids"
conversation="$(api "http://127.0.0.1:$PORT/api/v1/customers/$first" | python3 -c 'import json, sys; print(json.load(sys.stdin)["conversations"][0]["id"])')"
api -o /dev/null -X POST -d '{"text":"It ships today.","author":"Bo"}' "http://127.0.0.1:$PORT/api/v1/conversations/$conversation/replies"
api -o /dev/null -X POST -d "{\"source\":\"$second\",\"target\":\"$first\",\"reason\":\"same person\"}" "http://127.0.0.1:$PORT/api/v1/merges"
log "seeded customers $first $second $third"

log "schemathesis $PIN: every operation but /api/v1/events, $EXAMPLES examples each"
"$VENV/bin/st" --no-color run "http://127.0.0.1:$PORT/api/v1/openapi.yaml" \
    --url "http://127.0.0.1:$PORT" \
    -H "Authorization: Bearer $TOKEN" \
    --checks "${CHECKS:-all}" --exclude-checks "${EXCLUDE_CHECKS:-positive_data_acceptance,unsupported_method}" \
    --exclude-path /api/v1/events \
    --max-examples "$EXAMPLES" --seed 20261206 --workers 2 \
    --request-timeout 10 2>&1 | tee "$WORK/st.log"
status=${PIPESTATUS[0]}
if grep -q "API request failed" "$WORK/hub.log"; then
    log "the hub logged failed requests:"
    grep "API request failed" "$WORK/hub.log" | head -n 20 >&2
    exit 1
fi
exit "$status"
