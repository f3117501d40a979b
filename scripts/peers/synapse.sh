#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR/../lib
# Matrix Synapse (PyPI matrix-synapse, pinned) as the Matrix peer of Switchboard's tests, on loopback
# with SQLite (written from shared/peers.md §3):
#
#   client API   http://127.0.0.1:23008   (the `client` resource only: no federation listener)
#   server_name  hub.test                 (users are @name:hub.test; room ids are room v12,
#                                          `!opaque`, with NO `:server` part)
#   shared secret for registration: test-shared-secret-not-for-prod (test only, loopback only)
#
# Federation is off (no federation listener, federation_domain_whitelist: [], no trusted key servers),
# so nothing is fetched from outside; presence and URL previews are off; the rate limits for messages,
# logins, registrations and joins are raised to 1000/s so test loops are never throttled.
#
# usage: scripts/peers/synapse.sh COMMAND
#   start                installs the venv if missing (pip, once: about 45 s), writes
#                        $STATE/synapse/homeserver.yaml, creates the signing key once, starts
#                        Synapse and waits until GET /_matrix/client/versions answers. Running it
#                        again while Synapse runs is fine (it prints the info and returns); it fails
#                        loudly (exit 1, the log's last lines) if Synapse cannot be started.
#   stop                 stops the Synapse this script started (SIGTERM by pid, then SIGKILL).
#   status               says whether it runs; exits 1 if not.
#   register USER PASS   registers @USER:hub.test with the shared secret (not an admin). A user that
#                        already exists counts as success (the password is then NOT changed).
#
# State dir: $SWITCHBOARD_PEERS_DIR (default /tmp/switchboard-peers): venv-synapse/ (the venv),
# synapse/ (homeserver.yaml, homeserver.db, the signing key, media_store/, synapse.out, synapse.pid).
# To start from scratch: `stop`, then remove $STATE/synapse.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/daemons.sh"
STATE="${SWITCHBOARD_PEERS_DIR:-/tmp/switchboard-peers}"
M="$STATE/synapse"
VENV="$STATE/venv-synapse"
PIN="matrix-synapse==1.163.2"
PORT=23008
BASE="http://127.0.0.1:$PORT"
SERVER_NAME=hub.test
SHARED_SECRET=test-shared-secret-not-for-prod
PY=/usr/bin/python3

log() { echo "synapse.sh: $*" >&2; }
fail() {
    log "$*"
    exit 1
}

# Whether the pid file names a running Synapse. A pid reused by another program after a crash or
# reboot must never be signalled: a pid whose /proc/PID/cmdline lacks synapse.app.homeserver makes the
# pid file stale, and stop_synapse (run under the lock by start and stop) removes it unsignalled.
is_synapse() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -q 'synapse\.app\.homeserver'; }
pid_alive() {
    [ -f "$M/synapse.pid" ] || return 1
    local pid
    pid="$(cat "$M/synapse.pid")"
    [[ "$pid" =~ ^[0-9]+$ ]] && running "$pid" && is_synapse "$pid"
}
answers() { curl -sf -m 2 -o /dev/null "$BASE/_matrix/client/versions"; }

installed() {
    [ -x "$VENV/bin/python" ] || return 1
    "$VENV/bin/python" - "$PIN" 2>/dev/null <<'PY'
import sys
from importlib.metadata import version
name, wanted = sys.argv[1].split("==")
sys.exit(0 if version(name) == wanted else 1)
PY
}

install() {
    installed && return 0
    command -v curl >/dev/null || fail "curl is missing (apt-get install curl)"
    mkdir -p "$STATE"
    if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -m pip --version >/dev/null 2>&1; then
        rm -rf "$VENV"
        "$PY" -m venv "$VENV" ||
            fail "could not create $VENV with $PY -m venv (is the Debian package python3-venv installed?)"
    fi
    log "installing $PIN into $VENV (about 45 s, once)"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --timeout 60 "$PIN" ||
        fail "pip could not install $PIN into $VENV"
    installed || fail "$VENV still lacks $PIN after pip install"
}

write_config() {
    mkdir -p "$M/media_store"
    cat >"$M/homeserver.yaml" <<CONF
# Written by scripts/peers/synapse.sh; rewritten by every start. Test only: fixed secrets, loopback.
server_name: "$SERVER_NAME"
listeners:
  - port: $PORT
    bind_addresses: ['127.0.0.1']
    type: http
    tls: false
    x_forwarded: false
    resources:
      - names: [client]
        compress: false
database:
  name: sqlite3
  args:
    database: $M/homeserver.db
media_store_path: $M/media_store
signing_key_path: $M/$SERVER_NAME.signing.key
log_config: $M/log.config
registration_shared_secret: "$SHARED_SECRET"
macaroon_secret_key: "test-macaroon-secret-not-for-prod"
form_secret: "test-form-secret-not-for-prod"
report_stats: false
enable_registration: false
trusted_key_servers: []
suppress_key_server_warning: true
federation_domain_whitelist: []
url_preview_enabled: false
presence:
  enabled: false
rc_message: {per_second: 1000, burst_count: 1000}
rc_registration: {per_second: 1000, burst_count: 1000}
rc_login:
  address: {per_second: 1000, burst_count: 1000}
  account: {per_second: 1000, burst_count: 1000}
  failed_attempts: {per_second: 1000, burst_count: 1000}
rc_joins:
  local: {per_second: 1000, burst_count: 1000}
rc_invites:
  per_room: {per_second: 1000, burst_count: 1000}
  per_user: {per_second: 1000, burst_count: 1000}
CONF
    cat >"$M/log.config" <<CONF
version: 1
formatters:
  precise: {format: '%(asctime)s - %(name)s - %(lineno)d - %(levelname)s - %(request)s - %(message)s'}
handlers:
  file:
    class: logging.FileHandler
    formatter: precise
    filename: $M/homeserver.log
    filters: [context]
filters:
  context: {(): synapse.logging.context.LoggingContextFilter, request: ""}
root: {level: INFO, handlers: [file]}
disable_existing_loggers: false
CONF
}

print_info() {
    echo "synapse running (pid $(cat "$M/synapse.pid")) at $BASE, server_name $SERVER_NAME; state dir $M"
}

start() {
    install
    write_config
    if pid_alive && answers; then
        print_info
        return 0
    fi
    stop_synapse
    if port_listening "$PORT"; then
        log "port $PORT is already taken by a process this script did not start:"
        ss -Hltnp "( sport = :$PORT )" >&2 2>/dev/null || true
        return 1
    fi
    cd "$M"
    if [ ! -f "$M/$SERVER_NAME.signing.key" ]; then
        "$VENV/bin/python" -m synapse.app.homeserver -c homeserver.yaml --generate-keys >/dev/null ||
            fail "synapse could not generate its signing key"
    fi
    local t0
    t0=$(date +%s%N)
    # pid_file is written only with --daemonize: keep $! instead. stderr goes to a file, not our
    # caller's pipe, and not the lock (fd 9).
    unblocked "$VENV/bin/python" -m synapse.app.homeserver -c homeserver.yaml </dev/null >>"$M/synapse.out" 2>&1 9>&- &
    local pid=$!
    echo "$pid" >"$M/synapse.pid"
    local deadline=$((SECONDS + 120))
    while ((SECONDS < deadline)); do
        answers && break
        # Our own child, just started: checked by pid (its command line is ours until it execs).
        if ! running "$pid"; then
            log "synapse exited while starting; last lines of $M/synapse.out and homeserver.log:"
            tail -n 20 "$M/synapse.out" >&2 || true
            tail -n 20 "$M/homeserver.log" >&2 2>/dev/null || true
            rm -f "$M/synapse.pid"
            return 1
        fi
        sleep 0.1
    done
    if ! answers; then
        log "synapse did not answer on $BASE within 120 s; last lines of $M/synapse.out and homeserver.log:"
        tail -n 20 "$M/synapse.out" >&2 || true
        tail -n 30 "$M/homeserver.log" >&2 2>/dev/null || true
        stop_synapse
        return 1
    fi
    log "synapse up in $((($(date +%s%N) - t0) / 1000000)) ms"
    print_info
}

stop_synapse() {
    if pid_alive; then
        local pid
        pid="$(cat "$M/synapse.pid")"
        kill_and_wait TERM 15 "$pid" || {
            log "synapse (pid $pid) still runs 15 s after SIGTERM; sending SIGKILL"
            kill_and_wait KILL 5 "$pid" || fail "synapse (pid $pid) does not stop"
        }
        log "stopped synapse (pid $pid)"
    elif [ -f "$M/synapse.pid" ]; then
        log "removing the stale pid file $M/synapse.pid (pid $(cat "$M/synapse.pid") is not Synapse; not signalled)"
    fi
    rm -f "$M/synapse.pid"
}

status() {
    if pid_alive && answers; then
        print_info
        return 0
    fi
    echo "synapse stopped (state dir $M)"
    return 1
}

register() {
    [ $# -eq 2 ] || fail "usage: $0 register USER PASS"
    local user="$1" pass="$2" out rc=0
    [[ "$user" =~ ^[a-z0-9._=/-]+$ ]] || fail "register: USER is a localpart such as alice (a-z, 0-9, ._=-/)"
    answers || fail "synapse does not answer on $BASE; run '$0 start' first"
    out="$("$VENV/bin/register_new_matrix_user" -k "$SHARED_SECRET" -u "$user" -p "$pass" --no-admin "$BASE" 2>&1)" ||
        rc=$?
    if [ "$rc" -eq 0 ]; then
        echo "registered @$user:$SERVER_NAME"
    elif grep -q "User ID already taken" <<<"$out"; then
        echo "@$user:$SERVER_NAME already exists"
    else
        fail "register_new_matrix_user failed for $user: $out"
    fi
}

command="${1:-}"
case "$command" in
start | stop | status | register) shift ;;
*)
    echo "usage: $0 start|stop|status|register USER PASS" >&2
    exit 2
    ;;
esac
close_inherited_descriptors
case "$command" in
status) status ;;
stop)
    mkdir -p "$M"
    exec 9>"$M/.lock"
    flock 9
    stop_synapse
    ;;
*)
    mkdir -p "$M"
    # One command at a time (parallel test processes may all call start).
    exec 9>"$M/.lock"
    flock 9
    "$command" "$@"
    ;;
esac
