#!/usr/bin/env bash
# Runs the fault tests of issue 7 ("Nothing lost, nothing doubled") one after another against a
# built hub, and fails if any of them fails. Every test runs even when an earlier one failed, so
# one run shows every problem. See docs/fault-tests.md.
#
#   scripts/faults/run.sh                 # all four: replay, crash, storm, bad_input
#   scripts/faults/run.sh storm replay    # some of them
#
# The hub binary is $SWITCHBOARD_BINARY, or .build/debug/switchboard (CI builds it with
# `swift test` first). Needs python3 (standard library only).
set -u
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export SWITCHBOARD_BINARY="${SWITCHBOARD_BINARY:-$root/.build/debug/switchboard}"
if [ ! -x "$SWITCHBOARD_BINARY" ]; then
    echo "run.sh: no switchboard binary at $SWITCHBOARD_BINARY (build it, or set SWITCHBOARD_BINARY)" >&2
    exit 2
fi

tests=("$@")
[ ${#tests[@]} -eq 0 ] && tests=(replay crash storm bad_input)

failed=()
summary=()
for name in "${tests[@]}"; do
    script="$here/$name.py"
    if [ ! -f "$script" ]; then
        echo "run.sh: no test named $name (replay, crash, storm, bad_input)" >&2
        failed+=("$name")
        continue
    fi
    echo "== $name"
    start=$(date +%s)
    python3 "$script"
    status=$?
    took=$(( $(date +%s) - start ))
    summary+=("$(printf '%-10s %s (%ss)' "$name" "$([ $status -eq 0 ] && echo passed || echo "FAILED ($status)")" "$took")")
    [ $status -eq 0 ] || failed+=("$name")
done

echo "== summary"
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
    echo "run.sh: failed: ${failed[*]}" >&2
    exit 1
fi
echo "run.sh: all fault tests passed"
