#!/usr/bin/env bash
# Fails when a folder under Plugins/ is not a declared target (SwiftPM would silently ignore it) or
# when a plugin's tests do not run the adapter conformance check.
set -euo pipefail
cd "$(dirname "$0")/.."
declared="$(swift package dump-package | python3 -c '
import json, sys
for target in json.load(sys.stdin)["targets"]:
    if target.get("path"):
        print(target["path"])
')"
status=0
for folder in Plugins/*/; do
    name="$(basename "$folder")"
    for part in Sources Tests; do
        if ! grep -qx "Plugins/$name/$part" <<<"$declared"; then
            echo "error: Plugins/$name/$part is not a target in Package.swift; add (\"$name\", \"${name}Adapter\", [...]) to the plugins list" >&2
            status=1
        fi
    done
done
# The adapter contract is checked in every plugin (docs/adapters.md, "Testing").
for folder in Plugins/*/; do
    if ! grep -rqs "AdapterConformance.violations" "$folder/Tests"; then
        echo "error: $(basename "$folder")'s tests do not run the conformance check (AdapterConformance.violations)" >&2
        status=1
    fi
done
[ $status -eq 0 ] && echo "plugins: every folder under Plugins/ is a declared target and runs the conformance check" >&2
exit $status
