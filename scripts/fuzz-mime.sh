#!/usr/bin/env bash
# Fuzzes the email MIME parser with libFuzzer for N seconds (default 60), seeded with a copy of
# the test corpus. Crashing inputs are written to fuzz-crashes/ (override with CRASH_DIR) and the
# script exits non-zero when there is one. Reproduce a crash in a normal build with:
#   swift run MIMEFuzz fuzz-crashes/crash-…
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
crash_dir="${CRASH_DIR:-$PWD/fuzz-crashes}"
export SWIFT_DETERMINISTIC_HASHING=1

# -parse-as-library: the target has no main.swift and, under FUZZING, no @main either.
swift build -c debug --product MIMEFuzz --scratch-path .build-fuzz \
    --sanitize=fuzzer -Xswiftc -DFUZZING -Xswiftc -parse-as-library >&2
binary="$(swift build -c debug --product MIMEFuzz --scratch-path .build-fuzz \
    --sanitize=fuzzer -Xswiftc -DFUZZING -Xswiftc -parse-as-library --show-bin-path)/MIMEFuzz"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/seeds" "$crash_dir"
find Plugins/Email/MIMETests/Corpus -type f ! -name '*.md' -exec cp {} "$work/seeds/" \;

echo "== fuzzing MIMEParser for ${seconds}s (seeds: $(ls "$work/seeds" | wc -l) files, crashes to $crash_dir)" >&2
set +e
"$binary" "$work/seeds" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 -max_len="${MAX_LEN:-65536}" \
    -artifact_prefix="$crash_dir/" -print_final_stats=1 2>&1 | tee "$work/log" | grep -vE '^#[0-9]+\s+(NEW|REDUCE|pulse)' >&2
status=${PIPESTATUS[0]}
set -e
if [ "$status" -ne 0 ] || ls "$crash_dir" | grep -qE '^(crash|timeout|oom|leak|slow-unit)-'; then
    echo "fuzz-mime: found a problem (exit $status); inputs in $crash_dir" >&2
    exit 1
fi
echo "fuzz-mime: no crash in ${seconds}s" >&2
