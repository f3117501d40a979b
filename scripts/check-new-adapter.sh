#!/usr/bin/env bash
# Follows docs/adapters.md literally, as a new adapter's author would: generates a plugin with
# scripts/new-adapter.py, builds, runs its tests (the adapter conformance check among them),
# lints it, and has `switchboard config check` accept a channel of its type. Then puts the tree
# back exactly as it was: the generated folder is removed and the two registration files are
# restored from copies taken before (also when a step fails or the run is interrupted).
#
# usage: scripts/check-new-adapter.sh        (scripts/test.sh runs it after the test suite)
#
# It refuses to run when Plugins/GuideCheck exists, and does not run (saying so; failing under CI)
# when Package.swift or BuiltinAdapters.swift have uncommitted changes: it never touches work in
# progress.
set -euo pipefail
cd "$(dirname "$0")/.."
export SWIFT_DETERMINISTIC_HASHING=1
NAME=GuideCheck
MODULE=GuideCheckAdapter
FILES=(Package.swift Sources/SwitchboardAdapters/BuiltinAdapters.swift)

fail() {
    echo "check-new-adapter: $*" >&2
    exit 1
}

[ -e "Plugins/$NAME" ] && fail "Plugins/$NAME exists; remove it first"
if git rev-parse --git-dir >/dev/null 2>&1 && ! git diff --quiet -- "${FILES[@]}"; then
    # Outside CI a developer's work in progress is left alone, loudly; in CI this cannot happen
    # on a clean clone, so it fails.
    [ -n "${CI:-}" ] && fail "${FILES[*]} have uncommitted changes"
    echo "check-new-adapter: NOT RUN: ${FILES[*]} have uncommitted changes; commit them and run" \
        "scripts/check-new-adapter.sh" >&2
    exit 0
fi
saved="$(mktemp -d)"
for file in "${FILES[@]}"; do cp -p "$file" "$saved/$(basename "$file")"; done
restore() {
    for file in "${FILES[@]}"; do cp -p "$saved/$(basename "$file")" "$file"; done
    rm -rf "Plugins/$NAME" "$saved"
}
trap restore EXIT

echo "== docs/adapters.md, step 1: scripts/new-adapter.py $NAME" >&2
python3 scripts/new-adapter.py "$NAME"
echo "== step 2: swift build --build-tests && swift test --skip-build --filter ${MODULE}Tests" >&2
log="$saved/build.log"
if ! swift build --build-tests >"$log" 2>&1; then
    grep -E "error|warning: " "$log" | head -40 >&2 || tail -40 "$log" >&2
    fail "the generated plugin does not build"
fi
if ! swift test --skip-build --filter "${MODULE}Tests" >"$log" 2>&1; then
    tail -40 "$log" >&2
    fail "the generated plugin's tests failed"
fi
grep -E "^(✔|✘) (Test|Suite)" "$log" >&2 || true
grep -q "conformsToTheAdapterContract() passed" "$log" || fail "the conformance check did not run and pass"
echo "== the generated files pass the format lint and the plugin check" >&2
swift format lint --strict --recursive "Plugins/$NAME" Package.swift Sources/SwitchboardAdapters
bash scripts/check-plugins.sh
echo "== step 3: a channel of type guide-check passes switchboard config check" >&2
config="$saved/guide-check.yaml"
cat >"$config" <<'YAML'
server:
  api_token: guide-check-token-0123456789
storage:
  sqlite:
    path: guide-check.sqlite
channels:
  - id: guide
    type: guide-check
    settings:
      secret: guide-check-secret-0123456789
      api_url: https://api.example.com/send
YAML
.build/debug/switchboard config check "$config"
echo "new adapter: the guide's steps give a plugin that builds, conforms and is accepted in config"
