#!/usr/bin/env bash
# Creates the Python venv of reference implementations ("oracles") that Switchboard's tests
# compare against, with pinned versions:
#   phonenumbers 9.0.43  Google's libphonenumber in Python (SwitchboardPhoneNumbers' oracle test)
#   twilio 9.13.0        Twilio's helper library (its request-signature code is an oracle)
#   jsonschema 4.26.0    checks the bridge protocol's JSON Schemas and the traffic against them
#
# usage: scripts/peers/oracles.sh
#
# The venv is $SWITCHBOARD_PEERS_DIR/venv-oracles (default /tmp/switchboard-peers/venv-oracles).
# Idempotent: when the venv already has both packages at these versions it does nothing.
# Needs the Debian package python3-venv (scripts/test.sh installs it). Prints nothing on success
# except what pip must; exits non-zero with a message on failure.
set -euo pipefail
STATE="${SWITCHBOARD_PEERS_DIR:-/tmp/switchboard-peers}"
VENV="$STATE/venv-oracles"
PINS=("phonenumbers==9.0.43" "twilio==9.13.0" "jsonschema==4.26.0")

fail() {
    echo "oracles.sh: $*" >&2
    exit 1
}

# True when the venv's python imports and reports exactly the pinned versions.
up_to_date() {
    [ -x "$VENV/bin/python3" ] || return 1
    "$VENV/bin/python3" - "${PINS[@]}" 2>/dev/null <<'PY'
import sys
from importlib.metadata import version, PackageNotFoundError
for pin in sys.argv[1:]:
    name, wanted = pin.split("==")
    try:
        if version(name) != wanted:
            sys.exit(1)
    except PackageNotFoundError:
        sys.exit(1)
PY
}

up_to_date && exit 0

PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON="$(command -v python3 || true)"
[ -n "$PYTHON" ] || fail "no python3 found; install the Debian package python3-venv"
mkdir -p "$STATE" || fail "cannot create $STATE"
if [ ! -x "$VENV/bin/python3" ] || ! "$VENV/bin/python3" -m pip --version >/dev/null 2>&1; then
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV" >/dev/null ||
        fail "could not create $VENV with $PYTHON -m venv (is the Debian package python3-venv installed?)"
fi
"$VENV/bin/python3" -m pip install -q --disable-pip-version-check "${PINS[@]}" ||
    fail "pip could not install ${PINS[*]} into $VENV"
up_to_date || fail "$VENV still lacks ${PINS[*]} after pip install"
