#!/usr/bin/env bash
# Follows docs/adapters.md step by step, as a new adapter's author would: generates a plugin with
# scripts/new-adapter.py, builds, runs its tests (the adapter conformance check among them),
# lints it, and has `switchboard config check` accept the sample config with a channel of its type
# appended (in a copy, with stand-in secrets). Then puts the tree
# back exactly as it was: the generated folder is removed and the two registration files are
# restored from copies taken before (also when a step fails or the run is interrupted).
#
# usage: scripts/check-new-adapter.sh        (scripts/test.sh runs it after the test suite)
#
# It refuses to run (and fails) when Plugins/GuideCheck exists or when Package.swift or
# BuiltinAdapters.swift have uncommitted changes: it never touches work in progress.
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
    fail "${FILES[*]} have uncommitted changes; commit them first (this check edits both and" \
        "puts them back)"
fi
saved="$(mktemp -d)"
for file in "${FILES[@]}"; do cp "$file" "$saved/$(basename "$file")"; done
# Plain cp on the way back too: the restored files get a new time, so the next build sees them.
restore() {
    for file in "${FILES[@]}"; do cp "$saved/$(basename "$file")" "$file"; done
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
echo "== step 3: the sample config with a guide-check channel appended passes switchboard config check" >&2
config="$saved/switchboard.yaml"
cp Config/switchboard.yaml "$config"
cat >>"$config" <<'YAML'
  - id: guide
    type: guide-check
    settings:
      secret: ${GUIDE_CHECK_SECRET}
      api_url: https://api.example.com/send
YAML
# Stand-ins for the secrets scripts/serve.sh would have made, and the new channel's.
GUIDE_CHECK_SECRET=guide-check-secret-0123456789 SWITCHBOARD_API_TOKEN=guide-check-token-0123456789 \
    SHOP_WEBHOOK_SECRET=guide-check-shop-secret-0123 .build/debug/switchboard config check "$config"
echo "new adapter: the guide's steps give a plugin that builds, conforms and is accepted in config"
