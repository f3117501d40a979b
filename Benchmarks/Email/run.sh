#!/usr/bin/env bash
# Email ingest from a real Dovecot mailbox: Switchboard's email channel against django-helpdesk
# (PyPI) importing the same mail, on the same machine, in the same run, each into its own SQLite.
# Prints a Markdown section; with --write FILE, replaces it in FILE.
#
# 1. `make_mailbox.py` writes COUNT real-looking mails (seeded: the same files every run).
# 2. They are delivered over LMTP into two folders of support@example.test on the mail peers
#    (scripts/peers/mail.sh): one for each importer, so each reads the same mail from a full folder.
#    Filling is not timed.
# 3. Switchboard: the release hub starts with one email channel on its folder (IMAP over loopback,
#    poll_interval 1s). The clock runs from starting the process until its store holds COUNT
#    email messages; every one is committed (synchronous = FULL) before it counts.
# 4. django-helpdesk: `manage.py get_email` on a queue that reads its folder over IMAP. The clock
#    runs from starting the command until it exits; it has then imported every mail and expunged
#    the folder (checked). Its venv is kept in the peers' state directory between runs.
#
# usage: Benchmarks/Email/run.sh --binary PATH [--count N] [--write FILE]
#   --binary  a release build: swift build -c release --product switchboard --scratch-path .build-bench
#   KEEP_WORK=1 keeps the work directory (both stores, the logs) for a look afterwards.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source-path=SCRIPTDIR/../../scripts/lib
source scripts/lib/daemons.sh
ROOT="$(pwd)"
BINARY="" COUNT=10000 WRITE="" HELPDESK_VERSION="2.6.1"
while [ $# -gt 0 ]; do
    case "$1" in
    --binary) BINARY="$2"; shift 2 ;;
    --count) COUNT="$2"; shift 2 ;;
    --write) WRITE="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -x "$BINARY" ] || { echo "--binary must name a built switchboard" >&2; exit 2; }

STATE="${SWITCHBOARD_PEERS_DIR:-/tmp/switchboard-peers}"
WORK="$(mktemp -d /tmp/sb-email-bench.XXXXXX)"
PORT=23192
RUN="$(date +%s)"
SB_FOLDER="bench-sb-$RUN"
DH_FOLDER="bench-dh-$RUN"
HUB_PID=""
log() { echo "email-bench: $*" >&2; }
cleanup() {
    stop_process "$HUB_PID"
    for folder in "$SB_FOLDER" "$DH_FOLDER"; do
        doveadm -c "$STATE/dovecot/dovecot.conf" mailbox delete -u support@example.test "$folder" 2>/dev/null || true
    done
    [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

bash scripts/peers/mail.sh start >/dev/null
log "writing $COUNT mails"
python3 Benchmarks/Email/make_mailbox.py --out "$WORK/mail" --count "$COUNT"
MAIL_SIZE="$(du -sh "$WORK/mail" | cut -f1)"

fill() { bash scripts/peers/deliver.sh support@example.test "$WORK/mail" "$1"; } # one LMTP connection
log "filling the folders $SB_FOLDER and $DH_FOLDER"
fill "$SB_FOLDER"
fill "$DH_FOLDER"

now() { date +%s.%N; }
elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$1" "$2"; }

# --- Switchboard ---------------------------------------------------------------------------------
mkdir -p "$WORK/sb"
cat >"$WORK/sb/hub.yaml" <<YAML
server:
  host: 127.0.0.1
  port: $PORT
storage:
  sqlite:
    path: $WORK/sb/hub.sqlite
channels:
  - id: support-mail
    type: email
    settings:
      address: support@example.test
      imap:
        url: imap://127.0.0.1:23143
        tls: none
        username: support@example.test
        password: supportpass
        folder: $SB_FOLDER
      poll_interval: 1s
YAML
count_sb() {
    python3 - "$WORK/sb/hub.sqlite" <<'PY' 2>/dev/null || echo 0
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True, timeout=5)
print(db.execute("SELECT count(*) FROM messages WHERE channel = 'support-mail' AND direction = 'inbound'").fetchone()[0])
PY
}
log "Switchboard: importing $SB_FOLDER"
SB_START="$(now)"
"$BINARY" serve --config "$WORK/sb/hub.yaml" >"$WORK/sb/hub.log" 2>&1 &
HUB_PID=$!
last=0 still=0
while :; do
    n="$(count_sb)"
    [ "$n" -ge "$COUNT" ] && break
    if [ "$n" = "$last" ]; then still=$((still + 1)); else still=0 last="$n"; fi
    if [ "$still" -ge 300 ] || ! kill -0 "$HUB_PID" 2>/dev/null; then
        log "Switchboard stopped at $n of $COUNT mails; last lines of its log:"
        tail -n 30 "$WORK/sb/hub.log" >&2
        exit 1
    fi
    sleep 0.1
done
SB_END="$(now)"
SB_RSS="$(awk '/VmHWM/ {printf "%d", $2 / 1024}' "/proc/$HUB_PID/status")"
kill -TERM "$HUB_PID"
wait "$HUB_PID" 2>/dev/null || true
HUB_PID=""
SB_SECONDS="$(elapsed "$SB_START" "$SB_END")"
SB_STORED="$(count_sb)"
SB_AUTOMATIC="$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT count(*) FROM messages WHERE is_automatic = 1\").fetchone()[0])" "$WORK/sb/hub.sqlite")"
SB_CUSTOMERS="$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM customers WHERE merged_into IS NULL').fetchone()[0])" "$WORK/sb/hub.sqlite")"
SB_CONVERSATIONS="$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM conversations').fetchone()[0])" "$WORK/sb/hub.sqlite")"
log "Switchboard: $SB_STORED mails in $SB_SECONDS s"

# --- django-helpdesk -----------------------------------------------------------------------------
VENV="$STATE/venv-helpdesk-$HELPDESK_VERSION"
if ! "$VENV/bin/python" -c 'import helpdesk' 2>/dev/null; then
    log "installing django-helpdesk $HELPDESK_VERSION into $VENV"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q "django-helpdesk==$HELPDESK_VERSION" >&2
fi
DH="$WORK/dh"
mkdir -p "$DH"
(cd "$DH" && "$VENV/bin/django-admin" startproject helpdesksite .)
cat >>"$DH/helpdesksite/settings.py" <<'PY'

# Added by Benchmarks/Email/run.sh (django-helpdesk's documented settings, mail kept in memory).
INSTALLED_APPS += ["django.contrib.sites", "django.contrib.humanize", "rest_framework", "helpdesk"]
SITE_ID = 1
HELPDESK_TEAMS_MODE_ENABLED = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "media"
PY
cat >"$DH/helpdesksite/urls.py" <<'PY'
from django.urls import include, path

urlpatterns = [path("helpdesk/", include("helpdesk.urls", namespace="helpdesk"))]
PY
(cd "$DH" && "$VENV/bin/python" manage.py migrate -v 0)
(cd "$DH" && "$VENV/bin/python" manage.py shell -c "
from helpdesk.models import Queue
Queue.objects.create(title='Support', slug='support', email_address='support@example.test',
    allow_email_submission=True, email_box_type='imap', email_box_host='127.0.0.1', email_box_port=23143,
    email_box_ssl=False, email_box_user='support@example.test', email_box_pass='supportpass',
    email_box_imap_folder='$DH_FOLDER', email_box_interval=0)
")
log "django-helpdesk: importing $DH_FOLDER"
DH_START="$(now)"
(cd "$DH" && /usr/bin/time -f "%M" -o "$WORK/dh-rss" "$VENV/bin/python" manage.py get_email) >"$WORK/dh.log" 2>&1 || {
    log "django-helpdesk's get_email failed; last lines:"
    tail -n 30 "$WORK/dh.log" >&2
    exit 1
}
DH_END="$(now)"
DH_SECONDS="$(elapsed "$DH_START" "$DH_END")"
DH_RSS="$(( $(tail -n 1 "$WORK/dh-rss") / 1024 ))"
read -r DH_TICKETS DH_FOLLOWUPS < <(python3 -c "
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute('SELECT count(*) FROM helpdesk_ticket').fetchone()[0],
      db.execute('SELECT count(*) FROM helpdesk_followup').fetchone()[0])" "$DH/db.sqlite3")
DH_LEFT="$(doveadm -c "$STATE/dovecot/dovecot.conf" mailbox status -u support@example.test messages "$DH_FOLDER" | sed "s/.*messages=//")"
[ "$DH_LEFT" = "0" ] || { log "django-helpdesk left $DH_LEFT mails in $DH_FOLDER"; exit 1; }
log "django-helpdesk: $DH_TICKETS tickets, $DH_FOLLOWUPS follow-ups in $DH_SECONDS s"

# --- report --------------------------------------------------------------------------------------
python3 - "$COUNT" "$SB_SECONDS" "$DH_SECONDS" <<'PY' >"$WORK/rates"
import sys
count, sb, dh = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
print(f"{count / sb:.0f} {count / dh:.1f} {dh / sb:.1f}")
PY
read -r SB_RATE DH_RATE RATIO <"$WORK/rates"
CPU="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
MEM="$(awk '/MemTotal/ {printf "%d", $2 / 1048576}' /proc/meminfo)"
DOVECOT="$(dovecot --version | cut -d' ' -f1)"
SECTION="$(cat <<MD
<!-- email-ingest-benchmark:begin -->
#### Email ingest: Switchboard and django-helpdesk, the same mailbox

Measured $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) cores ($CPU), $MEM GiB RAM, Linux; Dovecot $DOVECOT over IMAP on 127.0.0.1 (no TLS), \`$BINARY\`, django-helpdesk $HELPDESK_VERSION ($("$VENV/bin/python" -c 'import django; print("Django", django.get_version())'), $("$VENV/bin/python" --version)).
Mailbox: $COUNT mails, $MAIL_SIZE (\`make_mailbox.py\`, seed 7), the same mails in one folder for each.

| | mails | time | mails/s | peak RSS |
|---|---:|---:|---:|---:|
| baseline: django-helpdesk \`manage.py get_email\` | $COUNT ($DH_TICKETS tickets, $DH_FOLLOWUPS follow-ups) | $DH_SECONDS s | $DH_RATE | $DH_RSS MB |
| Switchboard, email channel | $SB_STORED ($SB_AUTOMATIC automatic; $SB_CUSTOMERS customers, $SB_CONVERSATIONS conversations) | $SB_SECONDS s | $SB_RATE | $SB_RSS MB |
| **ratio Switchboard / django-helpdesk** | | | **${RATIO}×** | target ≥ 10× |
<!-- email-ingest-benchmark:end -->
MD
)"
echo "$SECTION"
if [ -n "$WRITE" ]; then
    python3 Benchmarks/write_section.py "$WRITE" "$SECTION"
    log "wrote the section into $WRITE"
fi
