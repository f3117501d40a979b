#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR/../lib
# ngIRCd 26.1 (Debian bookworm `ngircd`) as the IRC server of Switchboard's bridge tests
# (Plugins/Bridge/Example/irc_bridge.py talks to it), on loopback:
#
#   IRC (plain text, no TLS)   127.0.0.1:26667   server name irc.switchboard.test
#
# The config (keys from ngircd.conf(5)) turns off everything that would reach outside or slow a test:
#   PAM = no, Ident = no, DNS = no (no lookups when a client connects; hosts show as 127.0.0.1),
#   no [SSL] Ports, no [Server] links, IncludeDir = an empty dir of ours (the built-in default is
#   /etc/ngircd/ngircd.conf.d, which would mix the system's snippets into our config).
#   Flood limits: MaxPenaltyTime = 0 turns ngIRCd's penalty throttling off (ngIRCd warns "not
#   recommended" in its log; that is expected). With the default, a client sending 10 PRIVMSGs at
#   once has them relayed over 5 s (about 2 per second); with 0, 300 lines of 400 bytes go through
#   at once. MaxConnectionsIP = 0 (every test client comes from 127.0.0.1; the default is 5),
#   MaxConnections = 0, MaxJoins = 0 (no limits), MaxNickLength = 30 (the default is 9; 31 is the
#   most ngIRCd accepts).
#
# Root: started as root, ngIRCd switches to ServerUID/ServerGID after binding; without them it
# logs "ServerUID must not be root(0), using "nobody" instead." The config names 65534 (nobody /
# nogroup) explicitly when this script runs as root, and nothing otherwise (then it keeps our user).
# The PidFile key is not used: ngIRCd writes it after dropping privileges, into a directory that
# user must be able to write. ngIRCd runs with -n (no fork, no detach), so the script records $!.
# With -n, ngIRCd logs to stdout; that goes to $STATE/ngircd/ngircd.out.
#
# The Debian package installs a system service (/etc/init.d/ngircd, ngircd.service, on 6667, as
# the user irc). It is never started by `start`: the install goes through install_packages, which
# makes /usr/sbin/policy-rc.d deny service starts for the install. A system ngIRCd found running
# anyway (started by someone else) is reported, not stopped; it does not use our port.
#
# usage: scripts/peers/ngircd.sh COMMAND
#   start    installs ngircd if missing, writes $STATE/ngircd/ngircd.conf, starts ngIRCd and waits
#            until it answers an IRC line on 127.0.0.1:26667 (about 10 ms after the start). Running
#            it again while ours runs with the same config is fine (prints the info, returns); if the
#            written config changed, ours is restarted. It fails loudly (exit 1, the log's last lines)
#            if ngIRCd cannot be started or another process holds the port.
#   stop     stops the ngIRCd this script started (SIGTERM by pid, then SIGKILL; only a pid whose
#            command line is /usr/sbin/ngircd with our config is ever signalled).
#   status   says whether it runs and answers; exits 1 if not.
#
# State dir: $SWITCHBOARD_PEERS_DIR (default /tmp/switchboard-peers); everything is in its ngircd/:
#   ngircd.conf, conf.d/ (empty), ngircd.pid (written by this script), ngircd.out (ngIRCd's log).
#   ngIRCd keeps no state on disk (channels and nicks live only while it runs).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/packages.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../lib/daemons.sh"
STATE="${SWITCHBOARD_PEERS_DIR:-/tmp/switchboard-peers}"
N="$STATE/ngircd"
CONF="$N/ngircd.conf"
PIDFILE="$N/ngircd.pid"
OUT="$N/ngircd.out"
PORT=26667
SERVER_NAME=irc.switchboard.test
NGIRCD=/usr/sbin/ngircd

log() { echo "ngircd.sh: $*" >&2; }
fail() {
    log "$*"
    exit 1
}

# Whether the pid runs OUR ngIRCd: /usr/sbin/ngircd with our config on its command line. A pid
# reused by another program after a crash or reboot must never be signalled.
is_ours() {
    local args=()
    { mapfile -d '' -t args <"/proc/$1/cmdline"; } 2>/dev/null || return 1
    [ ${#args[@]} -ge 2 ] && [ "${args[0]}" = "$NGIRCD" ] && [ "${args[${#args[@]} - 1]}" = "$CONF" ]
}
pid_alive() {
    [ -f "$PIDFILE" ] || return 1
    local pid
    pid="$(cat "$PIDFILE")"
    [[ "$pid" =~ ^[0-9]+$ ]] && running "$pid" && is_ours "$pid"
}

# Whether an IRC server answers on our port: an unregistered client's PING gets
# ":irc.switchboard.test 451 * :Connection not registered", which proves ngIRCd reads and writes.
answers() {
    # shellcheck disable=SC2016 # the inner script's $1/$2/$line are its own, expanded there
    timeout 3 bash -c '
        exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
        printf "PING :switchboard-check\r\n" >&3
        IFS= read -r -t 2 line <&3 || exit 1
        printf "QUIT\r\n" >&3
        [[ "$line" == ":$2 "* ]]' _ "$PORT" "$SERVER_NAME" 2>/dev/null
}

install_missing() {
    install_packages ngircd || fail "apt-get install of ngircd failed"
    [ -x "$NGIRCD" ] || fail "$NGIRCD is missing after installing the Debian package ngircd"
}

# Reports (never stops) an ngIRCd that is not ours, e.g. the system service from /etc/ngircd.
warn_foreign() {
    local proc
    for proc in /proc/[0-9]*; do
        [ "$(cat "$proc/comm" 2>/dev/null)" = ngircd ] || continue
        running "${proc#/proc/}" || continue
        is_ours "${proc#/proc/}" && continue
        log "note: an ngIRCd this script did not start runs as pid ${proc#/proc/}" \
            "($(tr '\0' ' ' <"$proc/cmdline" 2>/dev/null)); left alone (it does not use port $PORT)"
    done
    return 0
}

write_config() {
    mkdir -p "$N/conf.d"
    local identity=""
    if [ "$(id -u)" -eq 0 ]; then
        identity=$'\tServerUID = 65534\n\tServerGID = 65534'
    fi
    cat >"$CONF.new" <<CONF
# Written by scripts/peers/ngircd.sh; rewritten by every start. Test only: loopback, no TLS.
# Keys: ngircd.conf(5) of ngIRCd 26.1.
[Global]
	Name = $SERVER_NAME
	Info = Switchboard test IRC server
	AdminInfo1 = Switchboard tests
	AdminInfo2 = loopback only
	AdminEMail = nobody@switchboard.test
	Listen = 127.0.0.1
	Ports = $PORT
	MotdPhrase = Switchboard test server
$identity
[Limits]
	MaxConnections = 0
	MaxConnectionsIP = 0
	MaxJoins = 0
	MaxNickLength = 30
	MaxPenaltyTime = 0
	PingTimeout = 120
	PongTimeout = 20
[Options]
	PAM = no
	Ident = no
	DNS = no
	IncludeDir = $N/conf.d
CONF
    "$NGIRCD" --configtest -f "$CONF.new" >"$N/configtest.out" 2>&1 ||
        fail "ngircd --configtest refused $CONF.new: $(tail -n 5 "$N/configtest.out")"
}

print_info() {
    echo "ngircd running (pid $(cat "$PIDFILE")) at 127.0.0.1:$PORT (irc://127.0.0.1:$PORT, server $SERVER_NAME); state dir $N"
}

start() {
    install_missing
    write_config
    warn_foreign
    if pid_alive && answers; then
        if cmp -s "$CONF.new" "$CONF"; then
            rm -f "$CONF.new"
            print_info
            return 0
        fi
        log "the configuration changed; restarting ngIRCd"
    fi
    stop_ngircd
    mv "$CONF.new" "$CONF"
    if port_listening "$PORT"; then
        log "port $PORT is already taken by a process this script did not start:"
        ss -Hltnp "( sport = :$PORT )" >&2 2>/dev/null || true
        return 1
    fi
    local t0
    t0=$(date +%s%N)
    echo "--- $(date -u +%FT%TZ) started by scripts/peers/ngircd.sh" >>"$OUT"
    # -n: no fork, so $! is ngIRCd itself (after the exec). Its log goes to a file, not our
    # caller's pipe, and not the lock (fd 9).
    unblocked "$NGIRCD" --nodaemon -f "$CONF" </dev/null >>"$OUT" 2>&1 9>&- &
    local pid=$!
    echo "$pid" >"$PIDFILE"
    local deadline=$((SECONDS + 20))
    while ((SECONDS < deadline)); do
        answers && break
        # Our own child, just started: checked by pid (its command line is python's until it execs).
        if ! running "$pid"; then
            log "ngIRCd exited while starting; last lines of $OUT:"
            tail -n 20 "$OUT" >&2 || true
            rm -f "$PIDFILE"
            return 1
        fi
        sleep 0.05
    done
    if ! answers; then
        log "ngIRCd did not answer on 127.0.0.1:$PORT within 20 s; last lines of $OUT:"
        tail -n 20 "$OUT" >&2 || true
        stop_ngircd
        return 1
    fi
    log "ngIRCd up in $((($(date +%s%N) - t0) / 1000000)) ms"
    print_info
}

stop_ngircd() {
    if pid_alive; then
        local pid
        pid="$(cat "$PIDFILE")"
        kill_and_wait TERM 10 "$pid" || {
            log "ngIRCd (pid $pid) still runs 10 s after SIGTERM; sending SIGKILL"
            kill_and_wait KILL 5 "$pid" || fail "ngIRCd (pid $pid) does not stop"
        }
        log "stopped ngIRCd (pid $pid)"
    elif [ -f "$PIDFILE" ]; then
        log "removing the stale pid file $PIDFILE (pid $(cat "$PIDFILE") is not our ngIRCd; not signalled)"
    fi
    rm -f "$PIDFILE"
}

status() {
    if pid_alive && answers; then
        print_info
        return 0
    fi
    echo "ngircd stopped (state dir $N)"
    return 1
}

command="${1:-}"
case "$command" in
start | stop | status) shift ;;
*)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
close_inherited_descriptors
case "$command" in
status) status ;;
*)
    mkdir -p "$N"
    # One command at a time (parallel test processes may all call start).
    exec 9>"$N/.lock"
    flock 9
    if [ "$command" = stop ]; then stop_ngircd; else start; fi
    ;;
esac
