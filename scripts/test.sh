#!/usr/bin/env bash
# Runs the whole test suite: installs what the build needs, checks formatting and that every
# folder under Plugins/ is a declared target, starts the real peers (Dovecot and an SMTP peer,
# Kannel with fakesmsc, Synapse, ngircd, PostgreSQL) and the oracles' Python venv (phonenumbers, twilio,
# jsonschema), then builds once and runs every test (unit, store, and end-to-end tests that start
# the built binary and drive it over HTTP, IMAP, SMTP, Kannel's SMS interfaces, the Matrix
# client-server API and IRC through the example bridge), then the fault tests (scripts/faults/), then
# drives the web inbox and chat widget in headless Chromium, then follows docs/adapters.md step by step.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
# The build's packages and the peers' in one apt-get run.
ensure_packages dovecot-imapd dovecot-lmtpd python3-venv openssl kannel kannel-extras ngircd postgresql \
    chromium fonts-noto-color-emoji
export SWIFT_DETERMINISTIC_HASHING=1

bash scripts/check-plugins.sh
echo "== swift format lint" >&2
swift format lint --strict --recursive Package.swift Sources Plugins Tests Benchmarks Fuzz
# The real servers the end-to-end tests talk to (Dovecot, an SMTP peer, Kannel, Synapse), on 127.0.0.1 only; the
# tests would start them too, but starting them here installs their packages before the build
# and stops them (by pid) when the run ends, whatever happens.
stop_peers() {
    bash scripts/peers/postgres.sh stop || true
    bash scripts/peers/ngircd.sh stop || true
    bash scripts/peers/synapse.sh stop || true
    bash scripts/peers/kannel.sh stop || true
    bash scripts/peers/mail.sh stop || true
}
trap stop_peers EXIT
# Hubs the end-to-end tests start stop with their test; a test process that crashed leaves them
# running (holding fixed ports such as Kannel's 23180), and nothing else knows their pids: stop
# this checkout's test hubs (their configs are in /tmp/sb-e2e-*) before and after the run.
stop_test_hubs() {
    pkill -KILL -f "$PWD/.build/.*/switchboard serve --config /tmp/sb-e2e-" || true
}
stop_test_hubs
echo "== mail peers" >&2
bash scripts/peers/mail.sh start
echo "== Kannel" >&2
bash scripts/peers/kannel.sh start
echo "== Synapse (Matrix)" >&2
bash scripts/peers/synapse.sh start
echo "== ngircd (IRC, for the example bridge)" >&2
bash scripts/peers/ngircd.sh start
echo "== PostgreSQL (the store suite runs on SQLite and on PostgreSQL)" >&2
bash scripts/peers/postgres.sh start
echo "== oracles (phonenumbers, twilio, jsonschema)" >&2
bash scripts/peers/oracles.sh
echo "== swift test" >&2
log="$(mktemp)"
trap 'rm -f "$log"; stop_test_hubs; stop_peers' EXIT
set +e
swift test 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
[ "$status" -eq 0 ] || exit "$status"
# Issue 7's fault tests against the binary swift test just built: replay, crash (SIGKILL mid-burst),
# storm (503/429 then recovery) and bad input; each prints its counts (docs/fault-tests.md).
echo "== fault tests (scripts/faults/run.sh)" >&2
bash scripts/faults/run.sh
# The API against its OpenAPI document: schemathesis drives the built hub (scripts/api-check.sh).
echo "== API against its OpenAPI document (scripts/api-check.sh)" >&2
bash scripts/api-check.sh
# The web inbox and the chat widget in real headless Chromium (Playwright): login, one timeline
# across two channels, a reply and its delivery state live, the visitor's side live, CSRF
# (scripts/browser-test.sh; it also refreshes the screenshots in docs/screenshots).
echo "== web inbox and chat widget in Chromium (scripts/browser-test.sh)" >&2
bash scripts/browser-test.sh
# The fuzz targets' seeds through the plain build's replay tool: every seed still runs through the
# same code the fuzzer drives (docs/fuzzing.md; the fuzzing itself is scripts/fuzz.sh, by hand).
echo "== fuzz seeds (SwitchboardFuzz replay)" >&2
for target in config webhook bridge twilio kannel sms-http meta telegram x matrix; do
    .build/debug/SwitchboardFuzz "$target" Fuzz/Corpus/"$target"/* >/dev/null
done
# docs/adapters.md, followed step by step: a generated plugin builds, conforms and passes config check.
echo "== the adapter guide (scripts/check-new-adapter.sh)" >&2
bash scripts/check-new-adapter.sh
# Swift Testing's summary, as the plain closing line that any CI reads.
count="$(grep -oE 'Test run with [0-9]+ tests?' "$log" | tail -n 1 | grep -oE '[0-9]+' || true)"
if [ -z "$count" ] || [ "$count" -eq 0 ]; then
    echo "error: swift test ran no test" >&2
    exit 1
fi
echo "tests: $count passed, 0 failed"
