#!/usr/bin/env python3
"""Reference reading of email files by Python's standard `email` package (policy.default).

Usage: scripts/mime-oracle.py FILE...

Prints one JSON object per file, one per line:
  {"file": path, "subject": str|null, "from": [addr-spec...],
   "text": str|null,   # content of get_body(preferencelist=('plain',))
   "html": str|null,   # content of get_body(preferencelist=('html',)) when there is no plain body
   "error": str|null}
The EmailMIME tests compare MIMEParser's reading against this. Standard library only.
"""
import email
import email.policy
import json
import sys


def read(path):
    result = {"file": path, "subject": None, "from": [], "text": None, "html": None, "error": None}
    with open(path, "rb") as handle:
        message = email.message_from_bytes(handle.read(), policy=email.policy.default)
    errors = []
    try:
        subject = message["subject"]
        result["subject"] = None if subject is None else str(subject)
    except Exception as error:  # a header the policy cannot parse
        errors.append("subject: %r" % error)
    try:
        sender = message["from"]
        if sender is not None:
            result["from"] = [address.addr_spec for address in sender.addresses]
    except Exception as error:
        errors.append("from: %r" % error)
    try:
        body = message.get_body(preferencelist=("plain",))
        if body is not None:
            result["text"] = body.get_content()
        else:
            body = message.get_body(preferencelist=("html",))
            if body is not None:
                result["html"] = body.get_content()
    except Exception as error:
        errors.append("body: %r" % error)
    result["error"] = "; ".join(errors) or None
    return result


def main(paths):
    if not paths:
        sys.stderr.write(__doc__)
        return 2
    for path in paths:
        sys.stdout.write(json.dumps(read(path), ensure_ascii=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
