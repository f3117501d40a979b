#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR/../lib
# Real mail peers on loopback for Switchboard's tests (written from shared/peers.md §2, Email):
#   Dovecot 2.3   IMAP 127.0.0.1:23143 (STARTTLS offered), IMAPS :23993, LMTP :23124
#   smtp_peer.py  SMTP 127.0.0.1:23125 (aiosmtpd): spools each message to $STATE/spool/<n>.eml
#                 (prefixed with X-Test-Mail-From / X-Test-Rcpt-To) and relays it to Dovecot LMTP
#   smtp_peer.py  SMTP 127.0.0.1:23126 with STARTTLS and AUTH (support@example.test / supportpass),
#                 spooling to $STATE/spool-tls/<n>.eml and relaying to Dovecot LMTP
#
# usage: scripts/peers/mail.sh start|stop|status
#
# State dir: $SWITCHBOARD_PEERS_DIR (default /tmp/switchboard-peers); `start` prints it.
#   tls/cert.pem       self-signed certificate for localhost and 127.0.0.1 (pass it as caFile)
#   dovecot/           config, logs, pid (run/master.pid) and the mailboxes (mail/<domain>/<user>/Maildir)
#   spool/, spool-tls/ what the SMTP peers accepted; smtp.pid, smtp-tls.pid, smtp*.log
#   venv-mail/         Python venv with aiosmtpd
#
# Users (IMAP login = address; LMTP/SMTP recipients):
#   alice@example.test / alicepass      bob@example.test / bobpass
#   support@example.test / supportpass  sales@example.test / salespass
# `user+folder@example.test` delivers into the folder `folder` (created on first delivery), so tests
# can each use their own folder and run in parallel against the same peers.
#
# `start` installs what is missing (dovecot-imapd, dovecot-lmtpd, python3-venv via apt-get; aiosmtpd
# via pip into the venv), creates the `vmail` user, starts what is not already running and waits
# until every port answers. Running it again while the peers run is fine. `stop` kills by pid only.
# Needs root (Dovecot drops to the vmail user to write mail); CI runs as root.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/packages.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../lib/daemons.sh"
HERE="$(cd "$(dirname "$0")" && pwd)"
STATE="${SWITCHBOARD_PEERS_DIR:-/tmp/switchboard-peers}"
D="$STATE/dovecot"
T="$STATE/tls"
VENV="$STATE/venv-mail"
IMAP=23143 IMAPS=23993 LMTP=23124 SMTP=23125 SMTP_TLS=23126
USERS=(alice bob support sales)

log() { echo "mail.sh: $*" >&2; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() {
    local port="$1" what="$2" logfile="$3"
    for _ in $(seq 150); do
        port_open "$port" && return 0
        sleep 0.1
    done
    log "$what did not open 127.0.0.1:$port within 15 s; last lines of $logfile:"
    tail -n 30 "$logfile" >&2 2>/dev/null || true
    return 1
}

install_missing() {
    install_packages dovecot-imapd dovecot-lmtpd python3-venv openssl || {
        log "apt-get install of dovecot-imapd, dovecot-lmtpd, python3-venv or openssl failed"
        exit 1
    }
    if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import aiosmtpd' 2>/dev/null; then
        log "creating $VENV with aiosmtpd"
        rm -rf "$VENV"
        /usr/bin/python3 -m venv "$VENV"
        "$VENV/bin/pip" install -q aiosmtpd >&2
    fi
    id vmail >/dev/null 2>&1 ||
        useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin vmail
}

write_config() {
    mkdir -p "$D/mail" "$D/run" "$D/state" "$T" "$STATE/spool" "$STATE/spool-tls"
    chown vmail:vmail "$D/mail"
    if [ ! -f "$T/cert.pem" ]; then
        openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=localhost" \
            -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
            -keyout "$T/key.pem.tmp" -out "$T/cert.pem.tmp" 2>/dev/null
        mv "$T/key.pem.tmp" "$T/key.pem"
        mv "$T/cert.pem.tmp" "$T/cert.pem"
    fi
    : >"$D/users.tmp"
    for user in "${USERS[@]}"; do echo "$user@example.test:{PLAIN}${user}pass" >>"$D/users.tmp"; done
    mv "$D/users.tmp" "$D/users"
    cat >"$D/dovecot.conf" <<CONF
# Written by scripts/peers/mail.sh; self-contained: never reads /etc/dovecot.
protocols = imap lmtp
listen = 127.0.0.1
base_dir = $D/run
state_dir = $D/state
log_path = $D/dovecot.log
ssl = yes
ssl_cert = <$T/cert.pem
ssl_key = <$T/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_login_user = dovenull
default_internal_user = dovecot
mail_location = maildir:$D/mail/%d/%n/Maildir
# parallel tests log in many times from 127.0.0.1 (the default is 10 per user and IP)
mail_max_userip_connections = 200
# user+folder@example.test delivers into "folder", created on first delivery
recipient_delimiter = +
lmtp_save_to_detail_mailbox = yes
lda_mailbox_autocreate = yes
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $D/users
}
userdb {
  driver = static
  args = uid=vmail gid=vmail home=$D/mail/%d/%n
}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Sent {
    special_use = \Sent
    auto = subscribe
  }
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $IMAPS
    ssl = yes
  }
}
# No auth penalty: after failed logins (which tests make on purpose) Dovecot would otherwise delay
# every login from 127.0.0.1 by up to 15 s. Auth cannot reach anvil's penalty socket, so it is off.
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $LMTP
  }
}
CONF
}

start_smtp() {
    local name="$1" port="$2" spool="$3"
    shift 3
    if pidfile_running "$STATE/$name.pid" && port_open "$port"; then return 0; fi
    if port_open "$port"; then
        log "127.0.0.1:$port is already taken by a process this script did not start"
        return 1
    fi
    unblocked "$VENV/bin/python" -W ignore "$HERE/smtp_peer.py" --listen "127.0.0.1:$port" --spool "$spool" \
        --lmtp "127.0.0.1:$LMTP" "$@" >"$STATE/$name.log" 2>&1 </dev/null 9>&- &
    echo $! >"$STATE/$name.pid"
    wait_port "$port" "the SMTP peer ($name)" "$STATE/$name.log"
}

start() {
    install_missing
    write_config
    if ! pidfile_running "$D/run/master.pid"; then
        for port in $IMAP $IMAPS $LMTP; do
            if port_open "$port"; then
                log "127.0.0.1:$port is already taken by a process this script did not start"
                return 1
            fi
        done
        # A socket left by an older config would make auth wait 5 s for the penalty service.
        rm -f "$D/run/anvil-auth-penalty"
        # Dovecot keeps the stderr it was started with: give it a file, not our caller's pipe, and
        # not the lock (fd 9), which a daemon would otherwise hold for as long as it runs.
        if ! (unblocked dovecot -c "$D/dovecot.conf" </dev/null >"$D/start.log" 2>&1 9>&-); then
            log "dovecot did not start:"
            cat "$D/start.log" >&2
            return 1
        fi
    fi
    wait_port $IMAP "Dovecot IMAP" "$D/dovecot.log"
    wait_port $IMAPS "Dovecot IMAPS" "$D/dovecot.log"
    wait_port $LMTP "Dovecot LMTP" "$D/dovecot.log"
    start_smtp smtp $SMTP "$STATE/spool"
    start_smtp smtp-tls $SMTP_TLS "$STATE/spool-tls" --tls-cert "$T/cert.pem" --tls-key "$T/key.pem" \
        --auth support@example.test:supportpass
    echo "mail peers running; state dir $STATE"
    echo "  IMAP 127.0.0.1:$IMAP (STARTTLS), IMAPS 127.0.0.1:$IMAPS, LMTP 127.0.0.1:$LMTP"
    echo "  SMTP 127.0.0.1:$SMTP -> $STATE/spool, SMTP+STARTTLS+AUTH 127.0.0.1:$SMTP_TLS -> $STATE/spool-tls"
    echo "  CA file $T/cert.pem"
}

stop_pid() {
    local pidfile="$1" what="$2"
    if ! pidfile_running "$pidfile"; then
        rm -f "$pidfile"
        return 0
    fi
    local pid
    pid="$(cat "$pidfile")"
    kill_and_wait TERM 10 "$pid" || {
        log "$what (pid $pid) ignored SIGTERM; sending SIGKILL"
        kill_and_wait KILL 5 "$pid" || true
    }
    rm -f "$pidfile"
    log "stopped $what (pid $pid)"
}

stop() {
    stop_pid "$STATE/smtp.pid" "the SMTP peer"
    stop_pid "$STATE/smtp-tls.pid" "the SMTP peer with STARTTLS"
    # Dovecot's master removes master.pid itself and takes its children down with it.
    stop_pid "$D/run/master.pid" "Dovecot"
}

status() {
    local all=0
    for entry in "Dovecot:$D/run/master.pid" "SMTP:$STATE/smtp.pid" "SMTP-TLS:$STATE/smtp-tls.pid"; do
        local name="${entry%%:*}" pidfile="${entry#*:}"
        if pidfile_running "$pidfile"; then
            echo "$name running (pid $(cat "$pidfile"))"
        else
            echo "$name stopped"
            all=1
        fi
    done
    echo "state dir $STATE"
    return $all
}

command="${1:-}"
case "$command" in
start | stop | status) ;;
*)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
close_inherited_descriptors
mkdir -p "$STATE"
# One start/stop at a time (parallel test processes may all call start).
exec 9>"$STATE/.lock"
flock 9
"$command"
