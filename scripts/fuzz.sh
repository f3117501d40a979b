#!/usr/bin/env bash
# Fuzzes the config loader and the channel adapters' parsers with libFuzzer (docs/fuzzing.md).
#
#   scripts/fuzz.sh TARGET|all [SECONDS]     # SECONDS per target, default 60
#
# TARGET is one of the SwitchboardFuzz targets below, or `mime` (scripts/fuzz-mime.sh); `all` runs
# each of them in turn, MIME last. One instrumented build (in .build-fuzz) serves every target:
# the target is chosen by SWITCHBOARD_FUZZ_TARGET. Each run starts from a temporary copy of
# Fuzz/Corpus/TARGET; crashing inputs go to fuzz-crashes/TARGET/ (override the root with
# CRASH_DIR). Exits non-zero when any target finds something, and says how to replay it:
#   swift run SwitchboardFuzz TARGET fuzz-crashes/TARGET/crash-…
# Environment: MAX_LEN (longest input, default 65536), JOBS (build jobs, e.g. 1 on a shared machine).
set -euo pipefail
cd "$(dirname "$0")/.."
targets=(config webhook bridge twilio kannel sms-http meta telegram x matrix)
usage="usage: scripts/fuzz.sh TARGET|all [SECONDS]  (TARGET: ${targets[*]} mime)"
[ $# -ge 1 ] || { echo "$usage" >&2; exit 2; }
wanted="$1"
seconds="${2:-60}"
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "fuzz: SECONDS must be a whole number, not '$seconds'; $usage" >&2; exit 2; }
crash_root="${CRASH_DIR:-$PWD/fuzz-crashes}"
export SWIFT_DETERMINISTIC_HASHING=1

run_mime=0
case "$wanted" in
all) selected=("${targets[@]}"); run_mime=1 ;;
mime) selected=(); run_mime=1 ;;
*)
    if [[ " ${targets[*]} " != *" $wanted "* ]]; then
        echo "fuzz: unknown target '$wanted'; valid targets: ${targets[*]} mime all" >&2
        exit 2
    fi
    selected=("$wanted")
    ;;
esac

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
summary=()
failed=0

if [ ${#selected[@]} -gt 0 ]; then
    # -parse-as-library: under FUZZING the target has no @main; libFuzzer provides main.
    flags=(-c debug --product SwitchboardFuzz --scratch-path .build-fuzz --sanitize=fuzzer
        -Xswiftc -DFUZZING -Xswiftc -parse-as-library)
    [ -n "${JOBS:-}" ] && flags+=(-j "$JOBS")
    swift build "${flags[@]}" >&2
    binary="$(swift build "${flags[@]}" --show-bin-path)/SwitchboardFuzz"
fi

for target in "${selected[@]}"; do
    corpus="$work/$target"
    crash_dir="$crash_root/$target"
    mkdir -p "$corpus" "$crash_dir"
    cp Fuzz/Corpus/"$target"/* "$corpus/"
    touch "$work/$target.started"
    echo "== fuzzing $target for ${seconds}s (seeds: $(ls "$corpus" | wc -l) files, crashes to $crash_dir)" >&2
    set +e
    SWITCHBOARD_FUZZ_TARGET="$target" "$binary" "$corpus" -max_total_time="$seconds" -timeout=20 \
        -rss_limit_mb=4096 -max_len="${MAX_LEN:-65536}" -artifact_prefix="$crash_dir/" -print_final_stats=1 2>&1 |
        tee "$work/$target.log" | grep -vE '^#[0-9]+\s+(NEW|REDUCE|pulse)' >&2
    status=${PIPESTATUS[0]}
    set -e
    execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$target.log" | tail -1)"
    found="$(find "$crash_dir" -newer "$work/$target.started" -type f \
        \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' -o -name 'slow-unit-*' \) | sort)"
    if [ "$status" -ne 0 ] || [ -n "$found" ]; then
        failed=1
        summary+=("$target ${seconds}s ${execs:-?} execs: FOUND A PROBLEM (exit $status)")
        for file in $found; do
            summary+=("    replay: swift run SwitchboardFuzz $target ${file#"$PWD"/}")
        done
    else
        summary+=("$target ${seconds}s ${execs:-?} execs: no crash")
    fi
done

if [ "$run_mime" -eq 1 ]; then
    if CRASH_DIR="$crash_root/mime" scripts/fuzz-mime.sh "$seconds"; then
        summary+=("mime ${seconds}s: no crash (details above)")
    else
        failed=1
        summary+=("mime ${seconds}s: FOUND A PROBLEM; replay: swift run MIMEFuzz fuzz-crashes/mime/crash-…")
    fi
fi

echo "== fuzz summary" >&2
printf '%s\n' "${summary[@]}" >&2
exit $failed
