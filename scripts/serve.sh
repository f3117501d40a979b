#!/usr/bin/env bash
# Starts the hub on the embedded SQLite default with the sample config (Config/switchboard.yaml).
# Installs the system packages it needs, creates .switchboard/secrets.env with random secrets on
# first run, builds, and serves on http://127.0.0.1:8080 until Ctrl-C.
#   SWITCHBOARD_BUILD=release scripts/serve.sh    # optimised build (slower to build the first time)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
ensure_packages
export SWIFT_DETERMINISTIC_HASHING=1

mkdir -p .switchboard
if [ ! -f .switchboard/secrets.env ]; then
    random() { od -An -tx1 -N24 /dev/urandom | tr -d ' \n'; }
    umask 077
    {
        echo "SWITCHBOARD_API_TOKEN=$(random)"
        echo "SHOP_WEBHOOK_SECRET=$(random)"
    } > .switchboard/secrets.env
    echo "created .switchboard/secrets.env (API token and webhook secret for the sample config)" >&2
fi
set -a
source .switchboard/secrets.env
set +a

build="${SWITCHBOARD_BUILD:-debug}"
swift build -c "$build" --product switchboard
binary="$(swift build -c "$build" --show-bin-path)/switchboard"
"$binary" config check Config/switchboard.yaml
exec "$binary" serve --config Config/switchboard.yaml "$@"
