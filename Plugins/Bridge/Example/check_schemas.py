#!/usr/bin/env python3
"""Checks the bridge protocol's JSON Schemas (Plugins/Bridge/Schemas) with the jsonschema package.

    python3 check_schemas.py [RECORDED.jsonl ...]

1. every schema is a valid draft 2020-12 schema (Draft202012Validator.check_schema);
2. every ```json block in docs/bridge-protocol.md validates against the schema it belongs to,
   chosen by its top-level keys (envelopes, updates, idempotency_key, results, error, id);
3. each schema refuses a few known-bad messages (so a schema that accepts anything fails);
4. each line of the given JSON-lines files, {"schema": "<name>", "body": {...}}, validates against
   Schemas/<name>.schema.json (irc_bridge.py --record FILE writes such lines).

Prints what it checked; exits 1 with the reasons on any failure, 2 if jsonschema is missing.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

try:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError
except ImportError:
    print("check_schemas: the Python package jsonschema is missing (pip install jsonschema)", file=sys.stderr)
    sys.exit(2)

HERE = Path(__file__).resolve().parent
SCHEMAS = HERE.parent / "Schemas"
DOC = HERE.parents[2] / "docs" / "bridge-protocol.md"
NAMES = ["envelopes", "status", "outbound", "send-result", "hub-answer"]

# Messages each schema must refuse: (schema, what is wrong, the message).
MUST_FAIL = [
    ("envelopes", "no envelopes", {"envelopes": []}),
    ("envelopes", "501 envelopes", {"envelopes": [{"id": f"x{i}", "from": "irc:a", "text": "t"} for i in range(501)]}),
    ("envelopes", "no from", {"envelopes": [{"id": "x", "text": "t"}]}),
    ("envelopes", "no text, html or attachments", {"envelopes": [{"id": "x", "from": "irc:a"}]}),
    ("envelopes", "unknown field", {"envelopes": [{"id": "x", "from": "irc:a", "text": "t", "colour": "red"}]}),
    ("envelopes", "address without kind", {"envelopes": [{"id": "x", "from": "ana", "text": "t"}]}),
    ("envelopes", "id over 512", {"envelopes": [{"id": "x" * 513, "from": "irc:a", "text": "t"}]}),
    ("envelopes", "sent_at without zone", {"envelopes": [{"id": "x", "from": "irc:a", "text": "t",
                                                           "sent_at": "2026-11-23 10:00"}]}),
    ("status", "unknown status", {"updates": [{"id": "x", "status": "queued"}]}),
    ("status", "failed without reason", {"updates": [{"id": "x", "status": "failed"}]}),
    ("outbound", "no idempotency_key", {"id": "m", "conversation_id": "c", "to": "irc:a", "thread": "irc:a",
                                        "visibility": "private", "text": "t"}),
    ("send-result", "unknown code", {"error": {"code": "oops", "message": "m"}}),
    ("send-result", "error as a string", {"error": "no"}),
    ("hub-answer", "stored without ids", {"results": [{"result": "stored"}]}),
    ("hub-answer", "rejected without reason", {"results": [{"result": "rejected"}]}),
]


def schema_for(example: dict) -> str | None:
    """Which schema a documented example belongs to, by its top-level keys."""
    if "envelopes" in example:
        return "envelopes"
    if "updates" in example:
        return "status"
    if "idempotency_key" in example:
        return "outbound"
    if "results" in example or isinstance(example.get("error"), str):
        return "hub-answer"
    if "error" in example or set(example) <= {"id"}:
        return "send-result"
    return None


def problems(validator: Draft202012Validator, instance) -> list[str]:
    """Every reason the instance is invalid, as 'path: message'."""
    return [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message[:300]}"
            for e in sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path)))]


def main() -> int:
    failures: list[str] = []
    validators: dict[str, Draft202012Validator] = {}
    for name in NAMES:  # 1. the schemas themselves
        path = SCHEMAS / f"{name}.schema.json"
        try:
            schema = json.loads(path.read_text(encoding="utf-8"))
            Draft202012Validator.check_schema(schema)
            for key in ("$id", "title", "description"):
                if key not in schema:
                    raise SchemaError(f"it has no {key}")
        except (OSError, ValueError, SchemaError) as error:
            failures.append(f"{path}: not a valid draft 2020-12 schema: {str(error).splitlines()[0]}")
            continue
        validators[name] = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
        print(f"ok   schema {path.relative_to(HERE.parents[2])}")

    blocks = re.findall(r"^```json[ \t]*\n(.*?)^```", DOC.read_text(encoding="utf-8"), re.S | re.M)
    if not blocks:
        failures.append(f"{DOC}: no ```json blocks found")
    for number, block in enumerate(blocks, 1):  # 2. the documented examples
        where = f"{DOC.name} json block {number}"
        try:
            example = json.loads(block)
        except ValueError as error:
            failures.append(f"{where}: not JSON: {error}")
            continue
        name = schema_for(example) if isinstance(example, dict) else None
        if name is None or name not in validators:
            failures.append(f"{where}: no schema for an example with keys {sorted(example)}")
            continue
        found = problems(validators[name], example)
        failures += [f"{where} ({name}): {p}" for p in found]
        print(f"{'FAIL' if found else 'ok  '} {where} against {name}")

    for name, what, instance in MUST_FAIL:  # 3. the schemas refuse what they must
        if name in validators and validators[name].is_valid(instance):
            failures.append(f"{name}.schema.json accepts a message it must refuse: {what}")
    print(f"ok   {len(MUST_FAIL)} known-bad messages checked")

    for file in sys.argv[1:]:  # 4. recorded traffic
        counts: dict[str, int] = {}
        with open(file, encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                if not line.strip():
                    continue
                where = f"{file}:{number}"
                try:
                    entry = json.loads(line)
                    name, body = entry["schema"], entry["body"]
                except (ValueError, KeyError, TypeError):
                    failures.append(f'{where}: not a line of the form {{"schema": "<name>", "body": {{...}}}}')
                    continue
                if name not in validators:
                    failures.append(f"{where}: unknown schema {name!r} (one of {', '.join(NAMES)})")
                    continue
                failures += [f"{where} ({name}): {p}" for p in problems(validators[name], body)]
                counts[name] = counts.get(name, 0) + 1
        print(f"     {file}: {sum(counts.values())} message(s) checked "
              f"({', '.join(f'{n} {c}' for n, c in sorted(counts.items())) or 'none'})")

    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    print(f"check_schemas: {'FAILED, ' + str(len(failures)) + ' problem(s)' if failures else 'all good'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
