#!/usr/bin/env python3
"""Signs and checks Twilio webhook requests with Twilio's own RequestValidator (twilio-python).

Usage: scripts/twilio-sign.py AUTH_TOKEN < requests.jsonl

Each input line is {"url": "...", "params": [[name, value], ...]} (repeated names allowed); each
output line is {"signature": "<X-Twilio-Signature>", "valid": true|false}, where "valid" is the
validator's own verdict on that signature (a self-check). Switchboard's end-to-end tests sign
their Twilio requests with this, so the hub is checked against Twilio's implementation, not ours.
Needs the `twilio` package: scripts/peers/oracles.sh puts it in a venv.
"""
import json
import sys

from twilio.request_validator import RequestValidator


class MultiParams(dict):
    """What RequestValidator expects for repeated keys: an object with getall()."""

    def getall(self, key):
        return self[key]


def main():
    validator = RequestValidator(sys.argv[1])
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        params = MultiParams()
        for name, value in request["params"]:
            params.setdefault(name, []).append(value)
        signature = validator.compute_signature(request["url"], params)
        valid = validator.validate(request["url"], params, signature)
        print(json.dumps({"signature": signature, "valid": valid}), flush=True)


if __name__ == "__main__":
    main()
