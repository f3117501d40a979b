# shellcheck shell=bash
# What the peer scripts that start daemons share (scripts/peers/kannel.sh, mail.sh, synapse.sh,
# ngircd.sh): closing inherited descriptors, telling a live process from a zombie, checking a port,
# and starting a daemon with no signal blocked.

# Closes every descriptor inherited beyond stdin/out/err, before anything starts a daemon. A caller
# may leak one (Foundation's Process hands its children a socket and reports their exit only once
# every holder has closed it): a daemon holding it would make the caller wait for as long as it runs.
close_inherited_descriptors() {
    local fd
    for fd in "/proc/$$/fd/"*; do
        fd="${fd##*/}"
        if [ "$fd" -gt 2 ] 2>/dev/null; then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
}

# Whether the pid runs. A zombie counts as gone: where PID 1 does not reap orphans, a stopped
# daemon stays one.
running() { kill -0 "$1" 2>/dev/null && [ "$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)" != Z ]; }

# Whether the pid in FILE runs.
pidfile_running() { [ -f "$1" ] && running "$(cat "$1")"; }

# kill_and_wait SIGNAL SECONDS PID...: signals the pids; returns 0 once none of them runs any more.
kill_and_wait() {
    local signal="$1" seconds="$2" pid left
    shift 2
    for pid in "$@"; do kill "-$signal" "$pid" 2>/dev/null || true; done
    for _ in $(seq $((seconds * 10))); do
        left=0
        for pid in "$@"; do running "$pid" && left=1; done
        [ "$left" -eq 0 ] && return 0
        sleep 0.1
    done
    return 1
}

# Whether something listens on 127.0.0.1:PORT.
port_listening() {
    if command -v ss >/dev/null 2>&1; then
        ss -Hltn "( sport = :$1 )" 2>/dev/null | grep -q .
    else
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
    fi
}

# Becomes (exec) the given command with no signal blocked: a caller (Foundation's Process in the
# tests) may start us with signals blocked, and the daemon would then ignore the SIGTERM of `stop`.
unblocked() {
    exec /usr/bin/python3 -c 'import os, signal, sys
signal.pthread_sigmask(signal.SIG_SETMASK, [])
os.execvp(sys.argv[1], sys.argv[1:])' "$@"
}

# stop_process PID: SIGTERM, then SIGKILL after 5 s; nothing if it does not run.
stop_process() {
    [ -n "${1:-}" ] && running "$1" || return 0
    kill_and_wait TERM 5 "$1" || kill_and_wait KILL 5 "$1" || true
}

# wait_for_hub PORT PID LOG: waits up to 30 s for a hub's /health on 127.0.0.1:PORT; prints the
# end of LOG and fails if the hub exits or does not answer.
wait_for_hub() {
    local port="$1" pid="$2" logfile="$3"
    for _ in $(seq 300); do
        curl -sf -o /dev/null "http://127.0.0.1:$port/health" && return 0
        if ! running "$pid"; then
            echo "the hub exited before it answered; last lines of $logfile:" >&2
            tail -n 30 "$logfile" >&2
            return 1
        fi
        sleep 0.1
    done
    echo "the hub did not answer on 127.0.0.1:$port within 30 s; last lines of $logfile:" >&2
    tail -n 30 "$logfile" >&2
    return 1
}
