#!/usr/bin/env bash
# Runs the whole test suite: installs what the build needs, checks formatting and that every
# folder under Plugins/ is a declared target, then builds once and runs every test (unit, store,
# and end-to-end tests that start the built binary and drive it over HTTP).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
ensure_packages
export SWIFT_DETERMINISTIC_HASHING=1

bash scripts/check-plugins.sh
echo "== swift format lint" >&2
swift format lint --strict --recursive Package.swift Sources Plugins Tests Benchmarks
echo "== swift test" >&2
swift test
