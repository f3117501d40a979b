#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR/../lib
# Kannel 1.4.5 (Debian bookworm `kannel` + `kannel-extras`) as the SMS peer of Switchboard's tests,
# on loopback (written from shared/peers.md §1; measured facts in scripts/peers/kannel-notes.md):
#
#   fakesmsc --MO--> bearerbox --> smsbox --GET get-url--> hub  /webhooks/kannel/inbound?...
#   hub --GET /cgi-bin/sendsms--> smsbox --> bearerbox --MT--> fakesmsc (lines in mt.log)
#   bearerbox --DLR--> smsbox --GET dlr-url (given by the hub in sendsms)--> hub
#
#   bearerbox admin     127.0.0.1:23100  password switchboard-admin-pass (also the status password)
#   smsbox link         127.0.0.1:23101
#   fake SMSC           0.0.0.0:23110    (a `smsc` group cannot take an interface; connect-allow-ip
#                                         limits it to 127.0.0.1), smsc-id `fake`
#   sendsms             127.0.0.1:23113  GET /cgi-bin/sendsms, user `switchboard` /
#                                         `switchboard-sendsms-pass`; max-messages 10 with
#                                         concatenation (longer texts are split into UDH parts;
#                                         more than 10 parts are TRUNCATED, still answered 202)
#   MO get-url          $KANNEL_MO_URL at `start`, default
#     http://127.0.0.1:23180/webhooks/kannel/inbound?secret=kannel-test-secret-0123456789&from=%p&to=%P&text=%b&charset=%C&coding=%c&time=%T&id=%I&smsc=%i
#     `text` is %b (the message bytes, URL-encoded, decode them by `charset`), not %a: %a joins the
#     whitespace-separated "words" with '+', so it drops newlines, runs of spaces and leading/trailing
#     spaces, and corrupts UCS-2 text whose UTF-16 bytes include 0x09-0x0D/0x20 (e.g. U+200D in
#     emoji). The sms-service has max-messages = 0: nothing in the hub's answer goes back to the
#     phone. smsbox retries a failed get-url 5 times, 1 s apart (http-request-retry /
#     http-queue-delay), so an MO survives a hub that is down for up to about 5 s; after that it is
#     dropped. Only 200 and 202 count as success (204 is retried like an error).
#   An MT sent with `smsc=reject` cannot be routed (denied-smsc-id): sendsms answers 403 and the
#   dlr-url gets status 16 (`NACK/no SMSC`), the only way to get a failure DLR from this setup.
#
# usage: scripts/peers/kannel.sh COMMAND
#   start                installs what is missing, writes $STATE/kannel/kannel.conf, starts bearerbox
#                        then smsbox and waits until both answer and smsbox is connected. Running it
#                        again while they run is fine; if the written config changed (another
#                        KANNEL_MO_URL) both are restarted.
#   stop                 stops the listener, then bearerbox and smsbox (admin shutdown, then SIGTERM
#                        and SIGKILL by pid).
#   status               prints what runs and bearerbox's counters; exits 1 unless both boxes run.
#   mo FROM TO TEXT      sends one MO through a one-shot fakesmsc and returns once bearerbox has
#                        taken it (its "SMS: received" counter moved), not when the hub got it.
#                        TEXT is sent as type `text` (GSM/7-bit: arrives with coding=0,
#                        charset=UTF-8) when it is printable ASCII, else as UCS-2 (fakesmsc type
#                        `ucs2`, URL-encoded UTF-16BE: arrives with coding=2, charset=UTF-16BE).
#                        Options before FROM: --gsm (alias --text) forces type `text` with the UTF-8
#                        bytes of TEXT (how Kannel hands over a GSM-7 message with é, £, €: coding=0,
#                        charset=UTF-8; no newline possible), --ucs2 forces UCS-2.
#   listen               starts a background fakesmsc that receives MT; each message it gets is
#                        appended to $STATE/kannel/mt.log as one line, as fakesmsc prints it:
#                        `FROM TO text TEXT`, `FROM TO ucs-2 URL-ENCODED-UTF-16BE`,
#                        `FROM TO udh URL-ENCODED-UDH data URL-ENCODED-BYTES` (a concatenated part).
#                        An MT whose text has a newline shows as two lines (fakesmsc's line protocol).
#   mt                   prints mt.log (it only grows; look for your own text).
#   unlisten             stops the listener.
#
# mo and listen: the fake SMSC serves ONE fakesmsc client at a time. A second client's connection
# is accepted by the kernel and its lines are processed only once the first client disconnects
# (even if the second one has already exited). So `mo` stops the listener if one runs (SIGINT, then
# waits for it), runs its one-shot fakesmsc, waits for bearerbox's counter, stops it and starts the
# listener again. An MT that the one-shot client receives meanwhile is appended to mt.log too; an MT
# still queued inside bearerbox when a client leaves is re-queued (sms-resend-freq 1 s) and an MT
# sent while no client is connected is answered `3: Queued for later delivery` (202) and delivered
# as soon as a client connects. A line that reached a client's socket just as that client is stopped
# can be lost (a window of milliseconds). Do not run your own fakesmsc against 23110 while using
# `mo`: `mo` would wait for it and fail after 15 s.
#
# State dir: $SWITCHBOARD_PEERS_DIR (default /tmp/switchboard-peers); everything is in its kannel/:
#   kannel.conf, spool/ (bearerbox's store: MO and MT not yet handed on survive a restart),
#   bearerbox.log, smsbox.log (debug level: full HTTP requests), access.log, smsbox-access.log,
#   *.out (the boxes' stderr), mt.log, listener.log and mo.log (raw fakesmsc output).
#   To start from scratch: `stop`, then remove $STATE/kannel.
#
# Installing kannel on Debian runs its init script (invoke-rc.d kannel start), which starts a
# system bearerbox (0.0.0.0:13000 admin, :13002 wapbox link, UDP 9200/9201) and a wapbox from
# /etc/kannel/kannel.conf under run_kannel_box supervisors. None of those ports is ours, but `start`
# still prevents it: unless /usr/sbin/policy-rc.d already denies starts (exit 101, as in Debian
# container images), it puts one in place for the duration of the install and restores the old one.
#
# smsbox re-spawns itself under a NEW pid about 10 s after it loses bearerbox ("Bearerbox is gone,
# restarting"), so the boxes are found by their command line (our kannel.conf), not by pid files.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/packages.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../lib/daemons.sh"
STATE="${SWITCHBOARD_PEERS_DIR:-/tmp/switchboard-peers}"
K="$STATE/kannel"
CONF="$K/kannel.conf"
ADMIN=23100 BOX=23101 SMSC=23110 SENDSMS=23113
ADMIN_PASS=switchboard-admin-pass
SENDSMS_USER=switchboard
SENDSMS_PASS=switchboard-sendsms-pass
SMSC_ID=fake
FAKESMSC=/usr/lib/kannel/test/fakesmsc
PY=/usr/bin/python3
DEFAULT_MO_URL='http://127.0.0.1:23180/webhooks/kannel/inbound?secret=kannel-test-secret-0123456789&from=%p&to=%P&text=%b&charset=%C&coding=%c&time=%T&id=%I&smsc=%i'

log() { echo "kannel.sh: $*" >&2; }
fail() {
    log "$*"
    exit 1
}

# Pids of the live processes named $1 (bearerbox or smsbox) whose last argument is our kannel.conf.
box_pids() {
    local proc args
    for proc in /proc/[0-9]*; do
        args=()
        { mapfile -d '' -t args <"$proc/cmdline"; } 2>/dev/null || continue
        [ ${#args[@]} -ge 2 ] || continue
        if [ "${args[0]##*/}" != "$1" ] || [ "${args[${#args[@]} - 1]}" != "$CONF" ]; then continue; fi
        running "${proc#/proc/}" && echo "${proc#/proc/}"
    done
    return 0
}
box_running() { [ -n "$(box_pids "$1")" ]; }

# Reads fakesmsc's output on stdin; appends it to the raw log ($1) and the text of every
# "Got message N: <...>" line to the MT log ($2), one line per message, flushed at once.
MT_FILTER='import sys
raw = open(sys.argv[1], "ab", buffering=0)
mt = open(sys.argv[2], "ab", buffering=0)
for line in sys.stdin.buffer:
    raw.write(line)
    at = line.find(b" Got message ")
    if at < 0:
        continue
    start = line.find(b": <", at)
    if start < 0:
        continue
    body = line[start + 3:].rstrip(b"\r\n")
    if body.endswith(b">"):
        body = body[:-1]
    mt.write(body + b"\n")'

admin_status() { curl -s -m 5 "http://127.0.0.1:$ADMIN/status.txt?password=$ADMIN_PASS" 2>/dev/null; }
received_count() { sed -n 's/^SMS: received \([0-9]*\) .*/\1/p' <<<"$(admin_status)"; }
smsc_line() { grep -F "${SMSC_ID}[${SMSC_ID}]" <<<"$(admin_status)" || true; }

install_missing() {
    install_packages kannel kannel-extras curl || fail "apt-get install of kannel, kannel-extras or curl failed"
    [ -x "$FAKESMSC" ] || fail "$FAKESMSC is missing after installing kannel-extras"
}

write_config() {
    local mo_url="${KANNEL_MO_URL:-$DEFAULT_MO_URL}"
    case "$mo_url" in
    http://* | https://*) ;;
    *) fail "KANNEL_MO_URL must start with http:// or https://: $mo_url" ;;
    esac
    case "$mo_url" in
    *'"'* | *$'\n'*) fail "KANNEL_MO_URL must not contain a double quote or a newline" ;;
    esac
    mkdir -p "$K/spool"
    # NOTE: a blank line ENDS a group in kannel.conf; keep each group contiguous (comments are fine).
    cat >"$CONF.new" <<CONF
# Written by scripts/peers/kannel.sh; rewritten by every start.
group = core
admin-port = $ADMIN
admin-interface = 127.0.0.1
admin-password = $ADMIN_PASS
status-password = $ADMIN_PASS
admin-deny-ip = "*.*.*.*"
admin-allow-ip = "127.0.0.1"
smsbox-port = $BOX
smsbox-interface = 127.0.0.1
box-deny-ip = "*.*.*.*"
box-allow-ip = "127.0.0.1"
log-file = "$K/bearerbox.log"
log-level = 0
access-log = "$K/access.log"
store-type = spool
store-location = "$K/spool"
# an MT that failed temporarily (its fakesmsc client left) is tried again after 1 s, not 60 s
sms-resend-freq = 1

# fake SMSC: bearerbox LISTENS here (on all interfaces: an smsc group takes no interface); fakesmsc
# connects. denied-smsc-id: sendsms with smsc=reject has no route (403, DLR 16).
group = smsc
smsc = fake
smsc-id = $SMSC_ID
port = $SMSC
connect-allow-ip = "127.0.0.1"
denied-smsc-id = "reject"

# no global-sender: it would replace %P (the number the phone wrote to) in MO callbacks
group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = $BOX
sendsms-port = $SENDSMS
sendsms-interface = 127.0.0.1
log-file = "$K/smsbox.log"
log-level = 0
access-log = "$K/smsbox-access.log"
# without these an MO whose get-url cannot be fetched (hub down) is dropped at once
http-request-retry = 5
http-queue-delay = 1

# the default (max-messages 1) silently truncates an MT to 160 GSM / 70 UCS-2 characters
group = sendsms-user
username = $SENDSMS_USER
password = $SENDSMS_PASS
max-messages = 10
concatenation = true

# catch-all MO service; max-messages = 0: the HTTP answer is never sent back to the phone
group = sms-service
keyword = default
catch-all = true
get-url = "$mo_url"
max-messages = 0
omit-empty = true
CONF
}

wait_for() {
    local what="$1" logfile="$2" tries="$3"
    shift 3
    for _ in $(seq "$tries"); do
        "$@" && return 0
        sleep 0.1
    done
    log "$what within $((tries / 10)) s; last lines of $logfile:"
    tail -n 30 "$logfile" >&2 2>/dev/null || true
    return 1
}

# (no `producer | grep -q` with pipefail: grep -q may leave before the producer has written all)
smsbox_connected() { grep -q '^ *smsbox:.*on-line' <<<"$(admin_status)"; }
admin_answers() { [ -n "$(received_count)" ]; }
sendsms_answers() { port_listening "$SENDSMS"; }

start_boxes() {
    local port
    for port in $ADMIN $BOX $SMSC $SENDSMS; do
        if port_listening "$port"; then
            log "port $port is already taken by a process this script did not start:"
            ss -Hltnp "( sport = :$port )" >&2 2>/dev/null || true
            return 1
        fi
    done
    local t0
    t0=$(date +%s%N)
    # The boxes keep the stderr they were started with: give them a file, not our caller's pipe, and
    # not the lock (fd 9), which a daemon would otherwise hold for as long as it runs.
    unblocked /usr/sbin/bearerbox -v 2 "$CONF" </dev/null >>"$K/bearerbox.out" 2>&1 9>&- &
    echo $! >"$K/bearerbox.pid"
    wait_for "bearerbox did not answer on 127.0.0.1:$ADMIN" "$K/bearerbox.out" 150 admin_answers || {
        tail -n 20 "$K/bearerbox.log" >&2 2>/dev/null || true
        return 1
    }
    unblocked /usr/sbin/smsbox -v 2 "$CONF" </dev/null >>"$K/smsbox.out" 2>&1 9>&- &
    echo $! >"$K/smsbox.pid"
    wait_for "smsbox did not open 127.0.0.1:$SENDSMS" "$K/smsbox.out" 150 sendsms_answers || {
        tail -n 20 "$K/smsbox.log" >&2 2>/dev/null || true
        return 1
    }
    wait_for "smsbox did not connect to bearerbox" "$K/smsbox.log" 150 smsbox_connected
    log "bearerbox and smsbox up in $((($(date +%s%N) - t0) / 1000000)) ms"
}

start() {
    install_missing
    write_config
    if box_running bearerbox && box_running smsbox; then
        if cmp -s "$CONF.new" "$CONF"; then
            rm -f "$CONF.new"
            smsbox_connected || wait_for "smsbox did not connect to bearerbox" "$K/smsbox.log" 150 smsbox_connected
            print_info
            return 0
        fi
        log "the configuration changed (KANNEL_MO_URL?); restarting bearerbox and smsbox"
    fi
    # Whatever half runs (one box, or boxes with an older config) goes first.
    stop_boxes
    mv "$CONF.new" "$CONF"
    start_boxes
    print_info
}

print_info() {
    echo "kannel running; state dir $STATE (config $CONF)"
    echo "  sendsms http://127.0.0.1:$SENDSMS/cgi-bin/sendsms?username=$SENDSMS_USER&password=$SENDSMS_PASS&..."
    echo "  MO get-url $(sed -n 's/^get-url = "\(.*\)"$/\1/p' "$CONF")"
    echo "  admin http://127.0.0.1:$ADMIN/status.txt?password=$ADMIN_PASS; fake SMSC 127.0.0.1:$SMSC"
    if pidfile_running "$K/listener.pid"; then echo "  listener running; MT in $K/mt.log"; fi
}

stop_boxes() {
    local pids bearerbox
    bearerbox="$(box_pids bearerbox)"
    pids="$bearerbox $(box_pids smsbox)"
    if [ -z "${pids// /}" ]; then
        rm -f "$K/bearerbox.pid" "$K/smsbox.pid"
        return 0
    fi
    if [ -n "$bearerbox" ]; then
        # The admin shutdown stops bearerbox and tells smsbox to stop too (about 1 s).
        curl -s -m 5 -o /dev/null "http://127.0.0.1:$ADMIN/shutdown?password=$ADMIN_PASS" 2>/dev/null || true
        # shellcheck disable=SC2086 # a list of pids
        kill_and_wait 0 15 $pids || log "bearerbox/smsbox still run 15 s after the admin shutdown"
    fi
    # What is left (an smsbox without bearerbox, or boxes that ignored the shutdown): SIGTERM, then
    # SIGKILL. smsbox may have re-spawned itself meanwhile (new pid): look again by command line.
    for _ in 1 2; do
        pids="$(box_pids bearerbox) $(box_pids smsbox)"
        [ -n "${pids// /}" ] || break
        # shellcheck disable=SC2086
        kill_and_wait TERM 10 $pids || {
            log "sending SIGKILL to" $pids
            # shellcheck disable=SC2086
            kill_and_wait KILL 5 $pids || true
        }
    done
    rm -f "$K/bearerbox.pid" "$K/smsbox.pid"
    log "stopped bearerbox and smsbox"
}

stop() {
    stop_listener
    stop_boxes
}

start_listener() {
    pidfile_running "$K/listener.pid" && return 0
    box_running bearerbox || fail "bearerbox is not running; run '$0 start' first"
    stop_listener # a filter left alone
    rm -f "$K/listener.fifo"
    mkfifo "$K/listener.fifo"
    touch "$K/mt.log"
    unblocked "$PY" -u -c "$MT_FILTER" "$K/listener.log" "$K/mt.log" <"$K/listener.fifo" >/dev/null 2>&1 9>&- &
    echo $! >"$K/listener-filter.pid"
    # -m 0: send nothing, receive forever. fakesmsc needs a message argument even then.
    unblocked "$FAKESMSC" -H 127.0.0.1 -r "$SMSC" -m 0 "0 0 text unused" </dev/null >"$K/listener.fifo" 2>&1 9>&- &
    echo $! >"$K/listener.pid"
    if ! wait_for "the listening fakesmsc did not get connected" "$K/listener.log" 100 listener_online; then
        stop_listener
        return 1
    fi
}
listener_online() {
    pidfile_running "$K/listener.pid" || return 1
    grep -q "(online" <<<"$(smsc_line)"
}

stop_listener() {
    local pid
    if pidfile_running "$K/listener.pid"; then
        pid="$(cat "$K/listener.pid")"
        # SIGINT: fakesmsc closes its connection and exits; its filter then sees EOF and exits.
        kill_and_wait INT 5 "$pid" || kill_and_wait KILL 5 "$pid" || true
    fi
    if pidfile_running "$K/listener-filter.pid"; then
        pid="$(cat "$K/listener-filter.pid")"
        kill_and_wait 0 5 "$pid" || kill_and_wait TERM 5 "$pid" || kill_and_wait KILL 5 "$pid" || true
    fi
    rm -f "$K/listener.pid" "$K/listener-filter.pid" "$K/listener.fifo"
}

listen() {
    if pidfile_running "$K/listener.pid"; then
        echo "listener already running; MT in $K/mt.log"
        return 0
    fi
    start_listener
    echo "listener running; MT in $K/mt.log"
}

unlisten() {
    stop_listener
    echo "listener stopped"
}

mo() {
    local mode=auto
    while [ $# -gt 0 ]; do
        case "$1" in
        --gsm | --text) mode=text ;;
        --ucs2) mode=ucs2 ;;
        --) shift && break ;;
        -*) fail "mo: unknown option $1 (--gsm, --text, --ucs2)" ;;
        *) break ;;
        esac
        shift
    done
    [ $# -eq 3 ] || fail "usage: $0 mo [--gsm|--ucs2] FROM TO TEXT"
    local from="$1" to="$2" text="$3"
    [[ "$from" =~ ^[^[:space:]]+$ ]] || fail "mo: FROM must be one non-empty word: '$from'"
    [[ "$to" =~ ^[^[:space:]]+$ ]] || fail "mo: TO must be one non-empty word: '$to'"
    box_running bearerbox || fail "bearerbox is not running; run '$0 start' first"
    if [ "$mode" = auto ]; then
        # printable ASCII only (bytes 0x20-0x7E), judged byte by byte
        if (
            export LC_ALL=C
            re='^[ -~]*$'
            [[ "$text" =~ $re ]]
        ); then mode=text; else mode=ucs2; fi
    fi
    local line
    if [ "$mode" = text ]; then
        case "$text" in *$'\n'* | *$'\r'*) fail "mo: a text with a newline can only be sent as UCS-2 (--ucs2)" ;; esac
        line="$from $to text $text"
    else
        local encoded
        encoded="$("$PY" -c 'import os, sys, urllib.parse
print(urllib.parse.quote(os.fsencode(sys.argv[1]).decode("utf-8").encode("utf-16-be"), safe=""))' "$text")" ||
            fail "mo: TEXT is not valid UTF-8"
        line="$from $to ucs2 $encoded"
    fi

    local had_listener=""
    if pidfile_running "$K/listener.pid"; then
        had_listener=1
        stop_listener
    fi
    local before
    before="$(received_count)"
    [ -n "$before" ] || fail "bearerbox does not answer on 127.0.0.1:$ADMIN"
    : >"$K/mo.out"
    unblocked "$FAKESMSC" -H 127.0.0.1 -r "$SMSC" -m 1 "$line" </dev/null >"$K/mo.out" 2>&1 9>&- &
    local pid=$! taken="" now
    for _ in $(seq 150); do
        now="$(received_count)"
        if [ -n "$now" ] && [ "$now" -gt "$before" ]; then
            taken=1
            break
        fi
        running "$pid" || break
        sleep 0.1
    done
    kill_and_wait INT 5 "$pid" || kill_and_wait KILL 5 "$pid" || true
    wait "$pid" 2>/dev/null || true
    "$PY" -c "$MT_FILTER" "$K/mo.log" "$K/mt.log" <"$K/mo.out"
    local listener_rc=0
    if [ -n "$had_listener" ]; then start_listener || listener_rc=$?; fi
    if [ -z "$taken" ]; then
        log "bearerbox did not take the MO within 15 s (another fakesmsc client on 127.0.0.1:$SMSC?); fakesmsc said:"
        tail -n 10 "$K/mo.out" >&2
        return 1
    fi
    [ "$listener_rc" -eq 0 ] || fail "the MO went through but the listener did not come back"
    echo "MO taken by bearerbox: $from -> $to ($([ "$mode" = text ] && echo "text, coding 0" || echo "UCS-2, coding 2"))"
}

mt() {
    [ ! -f "$K/mt.log" ] || cat "$K/mt.log"
}

status() {
    local rc=0 name pids
    for name in bearerbox smsbox; do
        pids="$(box_pids "$name" | tr '\n' ' ')"
        if [ -n "$pids" ]; then
            echo "$name running (pid ${pids% })"
        else
            echo "$name stopped"
            rc=1
        fi
    done
    if pidfile_running "$K/listener.pid"; then
        echo "listener running (pid $(cat "$K/listener.pid")); MT in $K/mt.log"
    else
        echo "listener stopped"
    fi
    if [ "$rc" -eq 0 ] || box_running bearerbox; then
        admin_status | grep -E '^(SMS|DLR): |^ *(smsbox:|'"$SMSC_ID"'\[)' || true
    fi
    echo "state dir $STATE"
    return $rc
}

command="${1:-}"
case "$command" in
start | stop | status | mo | listen | unlisten | mt) shift ;;
*)
    echo "usage: $0 start|stop|status|listen|unlisten|mt|mo [--gsm|--ucs2] FROM TO TEXT" >&2
    exit 2
    ;;
esac
close_inherited_descriptors
case "$command" in
mt | status) "$command" "$@" ;;
*)
    mkdir -p "$K"
    # One command at a time (parallel test processes may all call start or mo).
    exec 9>"$K/.lock"
    flock 9
    "$command" "$@"
    ;;
esac
