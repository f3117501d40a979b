#!/usr/bin/env bash
# Delivers a raw RFC 5322 message straight into a Dovecot mailbox of the mail peers
# (scripts/peers/mail.sh), as a customer's mail would arrive, bypassing SMTP.
#
# usage: scripts/peers/deliver.sh USER FILE [FOLDER]
#   USER    alice@example.test (or alice+folder@example.test for a folder of safe characters)
#   FILE    the message; "-" reads standard input; a directory delivers every file in it, in name
#           order, over one LMTP connection (FOLDER, if any, of safe characters only)
#   FOLDER  deliver into this folder (created if missing); any name, spaces and UTF-8 included
#
# Without FOLDER, or with a FOLDER of only [A-Za-z0-9._-], it speaks LMTP to 127.0.0.1:23124
# (Python's smtplib, envelope sender customer@example.org) and delivers to USER+FOLDER. Other
# folder names go through dovecot-lda -m, which takes any UTF-8 name.
# Exits non-zero when the recipient is refused (e.g. a user that does not exist).
set -euo pipefail
STATE="${SWITCHBOARD_PEERS_DIR:-/tmp/switchboard-peers}"
LMTP=23124
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
    echo "usage: $0 USER FILE [FOLDER]" >&2
    exit 2
fi
user="$1" file="$2" folder="${3:-}"
[ "$file" = "-" ] && file=/dev/stdin
sender="customer@example.org"
if [ -n "$folder" ] && ! [[ "$folder" =~ ^[A-Za-z0-9._-]+$ ]]; then
    [ -d "$file" ] && { echo "deliver.sh: a directory is delivered over LMTP: FOLDER must be of [A-Za-z0-9._-]" >&2; exit 2; }
    exec /usr/lib/dovecot/dovecot-lda -c "$STATE/dovecot/dovecot.conf" -d "$user" -f "$sender" -m "$folder" <"$file"
fi
rcpt="$user"
[ -n "$folder" ] && rcpt="${user%@*}+$folder@${user#*@}"
if [ -d "$file" ]; then
    exec /usr/bin/python3 - "$rcpt" "$sender" "$LMTP" "$file" <<'PY'
import os, smtplib, sys
rcpt, sender, port, folder = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
with smtplib.LMTP("127.0.0.1", port) as lmtp:
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), "rb") as f:
            data = f.read()
        try:
            refused = lmtp.sendmail(sender, [rcpt], data)
        except smtplib.SMTPRecipientsRefused as error:
            sys.exit(f"deliver.sh: LMTP refused {rcpt}: {error.recipients}")
        if refused:
            sys.exit(f"deliver.sh: LMTP refused {refused} for {name}")
PY
fi
exec /usr/bin/python3 - "$rcpt" "$sender" "$LMTP" 3<"$file" <<'PY'
import os, smtplib, sys
rcpt, sender, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
with os.fdopen(3, "rb") as f:
    data = f.read()
try:
    with smtplib.LMTP("127.0.0.1", port) as lmtp:
        refused = lmtp.sendmail(sender, [rcpt], data)
except smtplib.SMTPRecipientsRefused as error:
    sys.exit(f"deliver.sh: LMTP refused {rcpt}: {error.recipients}")
if refused:
    sys.exit(f"deliver.sh: LMTP refused {refused}")
PY
