#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR/../lib
# PostgreSQL 15 (Debian bookworm `postgresql`) as the database server of Switchboard's PostgreSQL
# tests, in a private cluster of ours on loopback (written from shared/peers.md §6):
#
#   postgresql://hub:hubpass@127.0.0.1:23432/hub     (role hub, SCRAM-SHA-256 over TCP)
#
# The cluster listens on 127.0.0.1 only, its Unix socket is in our state dir (not /run/postgresql),
# and by default it runs with fsync, synchronous_commit and full_page_writes off: test data only, never a copy
# of this for production. The Debian package's own cluster (`main`, port 5432) is never started or
# touched: the install goes through install_packages, which denies service starts for the install.
#
# Root: initdb refuses to run as root, so as root every server command runs as the user postgres
# (made by the package) and the cluster's directory belongs to it; as any other user, as that user.
#
# usage: scripts/peers/postgres.sh COMMAND
#   start          installs postgresql if missing, creates the cluster once (initdb, about 1 s), starts
#                  it and waits until the role hub can log in over TCP. Running it again while ours
#                  runs is fine (prints the URL, returns); it fails loudly (exit 1, the server log's
#                  last lines) if the server cannot be started or another process holds the port.
#   stop           stops the server this script started (SIGTERM to the postmaster by pid, a fast
#                  shutdown; SIGQUIT then SIGKILL if it does not stop; only a postmaster whose
#                  command line names our data directory is ever signalled).
#   status         says whether it runs and answers; exits 1 if not.
#   url            prints the URL of the database hub.
#   createdb NAME  creates an empty database NAME owned by hub (dropping one of that name first)
#                  and prints its URL: one per test run, so runs never see each other's rows.
#
# Benchmarks want commits on disk, as in production: SWITCHBOARD_PG_DURABLE=1 starts the server with
# fsync, synchronous_commit and full_page_writes on (a running server with the other setting is
# restarted).
#
# State dir: $SWITCHBOARD_PEERS_DIR (default /tmp/switchboard-peers); everything is in its postgres/:
#   data/ (the cluster), run/ (the Unix socket), server.log, pwfile (the superuser's password).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/packages.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../lib/daemons.sh"
STATE="${SWITCHBOARD_PEERS_DIR:-/tmp/switchboard-peers}"
P="$STATE/postgres"
DATA="$P/data"
RUN="$P/run"
LOG="$P/server.log"
PORT=23432
ROLE=hub
PASSWORD=hubpass
BIN=/usr/lib/postgresql/15/bin
if [ "${SWITCHBOARD_PG_DURABLE:-0}" = 1 ]; then DURABLE=on; else DURABLE=off; fi

log() { echo "postgres.sh: $*" >&2; }
fail() {
    log "$*"
    exit 1
}

# Runs a server command as the cluster's owner: postgres when we are root, ourselves otherwise.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# The superuser's psql over the private Unix socket (trust for local connections).
superuser_psql() { PGOPTIONS="-c client_min_messages=warning" as_owner "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$RUN" -p "$PORT" -U postgres -d postgres "$@"; }

url() { echo "postgresql://$ROLE:$PASSWORD@127.0.0.1:$PORT/${1:-hub}"; }

# The postmaster's pid, from the first line of data/postmaster.pid.
postmaster_pid() { [ -f "$DATA/postmaster.pid" ] && head -n 1 "$DATA/postmaster.pid"; }

# Whether the pid runs OUR postmaster: its command line names our data directory. A pid reused by
# another program after a crash or reboot must never be signalled.
is_ours() { tr '\0' '\n' <"/proc/$1/cmdline" 2>/dev/null | grep -qxF "$DATA"; }
pid_alive() {
    local pid
    pid="$(postmaster_pid 2>/dev/null)" || return 1
    [[ "$pid" =~ ^[0-9]+$ ]] && running "$pid" && is_ours "$pid"
}
answers() { PGPASSWORD="$PASSWORD" "$BIN/psql" -X -q -At -c "SELECT 1" "$(url)" >/dev/null 2>&1; }

install_missing() {
    install_packages postgresql || fail "apt-get install of postgresql failed"
    [ -x "$BIN/initdb" ] || fail "$BIN/initdb is missing after installing the Debian package postgresql"
}

init_cluster() {
    [ -f "$DATA/PG_VERSION" ] && return 0
    rm -rf "$DATA"
    mkdir -p "$DATA" "$RUN"
    # A random superuser password: local connections are trusted, so nothing ever types it.
    head -c 18 /dev/urandom | base64 >"$P/pwfile"
    [ "$(id -u)" -eq 0 ] && chown -R postgres:postgres "$P"
    local t0
    t0=$(date +%s%N)
    as_owner "$BIN/initdb" -D "$DATA" -U postgres --pwfile="$P/pwfile" --auth-local=trust \
        --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 -N >"$P/initdb.log" 2>&1 || {
        tail -n 20 "$P/initdb.log" >&2
        rm -rf "$DATA"
        fail "initdb failed (its log is above)"
    }
    log "cluster created in $((($(date +%s%N) - t0) / 1000000)) ms"
}

print_info() { echo "postgres running (pid $(postmaster_pid)) at $(url), fsync $DURABLE; state dir $P"; }

start() {
    install_missing
    init_cluster
    if pid_alive && answers; then
        if [ "$(superuser_psql -At -c "SHOW fsync")" = "$DURABLE" ]; then
            print_info
            return 0
        fi
        log "restarting PostgreSQL with fsync = $DURABLE"
    fi
    stop_postgres
    if port_listening "$PORT"; then
        log "port $PORT is already taken by a process this script did not start:"
        ss -Hltnp "( sport = :$PORT )" >&2 2>/dev/null || true
        return 1
    fi
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$RUN" && touch "$LOG" && chown postgres:postgres "$LOG"
    local t0
    t0=$(date +%s%N)
    # pg_ctl -w waits until the server accepts connections; the server detaches, so its pid comes
    # from postmaster.pid. Its log goes to a file, not our caller's pipe, and not the lock (fd 9).
    as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 30 -o "-c listen_addresses=127.0.0.1 -p $PORT \
        -c unix_socket_directories=$RUN -c fsync=$DURABLE -c synchronous_commit=$DURABLE -c full_page_writes=$DURABLE \
        -c max_connections=200" start </dev/null >"$P/pg_ctl.out" 2>&1 9>&- || {
        log "PostgreSQL did not start; last lines of $LOG:"
        tail -n 20 "$LOG" >&2 || true
        cat "$P/pg_ctl.out" >&2 || true
        stop_postgres
        return 1
    }
    # The role and database of the tests, once (the cluster keeps them).
    if [ "$(superuser_psql -At -c "SELECT count(*) FROM pg_roles WHERE rolname = '$ROLE'")" = 0 ]; then
        superuser_psql -c "CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD'" -c "CREATE DATABASE hub OWNER $ROLE"
    fi
    if ! answers; then
        log "PostgreSQL started, but $ROLE cannot log in over TCP; last lines of $LOG:"
        tail -n 20 "$LOG" >&2 || true
        stop_postgres
        return 1
    fi
    log "PostgreSQL up in $((($(date +%s%N) - t0) / 1000000)) ms"
    print_info
}

stop_postgres() {
    if pid_alive; then
        local pid
        pid="$(postmaster_pid)"
        # SIGTERM is PostgreSQL's "smart" shutdown, which waits for clients; SIGINT is "fast".
        kill_and_wait INT 20 "$pid" || {
            log "PostgreSQL (pid $pid) still runs 20 s after SIGINT; sending SIGQUIT, then SIGKILL"
            kill_and_wait QUIT 5 "$pid" || kill_and_wait KILL 5 "$pid" || fail "PostgreSQL (pid $pid) does not stop"
        }
        log "stopped PostgreSQL (pid $pid)"
    elif [ -f "$DATA/postmaster.pid" ]; then
        log "removing the stale $DATA/postmaster.pid (pid $(postmaster_pid) is not our server; not signalled)"
        rm -f "$DATA/postmaster.pid"
    fi
}

status() {
    if pid_alive && answers; then
        print_info
        return 0
    fi
    echo "postgres stopped (state dir $P)"
    return 1
}

createdb() {
    local name="$1"
    [[ "$name" =~ ^[a-z][a-z0-9_]{0,62}$ ]] || fail "a database name is a lower-case letter, then letters, digits or _ (at most 63)"
    pid_alive && answers || fail "PostgreSQL does not run; start it first (scripts/peers/postgres.sh start)"
    superuser_psql -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" -c "CREATE DATABASE $name OWNER $ROLE"
    url "$name"
}

command="${1:-}"
case "$command" in
start | stop | status | url) shift ;;
createdb)
    shift
    [ $# -eq 1 ] || fail "usage: $0 createdb NAME"
    ;;
*)
    echo "usage: $0 start|stop|status|url|createdb NAME" >&2
    exit 2
    ;;
esac
close_inherited_descriptors
case "$command" in
status) status ;;
url) url ;;
*)
    mkdir -p "$P"
    # One command at a time (parallel test processes may all call start).
    exec 9>"$P/.lock"
    flock 9
    case "$command" in
    stop) stop_postgres ;;
    createdb) createdb "$1" ;;
    *) start ;;
    esac
    ;;
esac
