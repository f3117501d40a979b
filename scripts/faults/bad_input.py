#!/usr/bin/env python3
"""Fault test "bad input": malformed and forged webhooks get a 4xx, store nothing, leak nothing.

Why it exists: webhook URLs are public. Whatever arrives there (a misconfigured provider, a
truncated retry, a forgery, a replay, a flood of bytes) must be refused with a 4xx that says
whose fault it is, must not store anything, must not crash or hang the hub, and must never make
the hub print a secret. This test sends a table of bad requests to every webhook-receiving channel
type configured on one hub (webhook, bridge, twilio, kannel, sms-http, whatsapp, messenger,
instagram, telegram in webhook mode, x in webhook mode).

Cases (each on a message never sent before, so anything stored is visible):
  wrong content type   a valid, correctly signed body under the wrong Content-Type      → 415
  truncated            the first half of a valid body, signed as sent                   → 400
  empty body           no body at all, signed                                           → 400
  invalid utf-8        a valid body with bytes FF FE in the text, signed                → 400
  huge body            a signed body over the hub's 1 MiB limit                         → 413
  missing signature    a valid body without the channel's signature/token               → 401 or 403
  wrong signature      a valid body signed with another secret                          → 401 or 403
  old timestamp        (bridge) correctly signed, timestamp an hour ago                  → 401
  future timestamp     (bridge) correctly signed, timestamp an hour ahead                → 401
(webhook's 401 and the others' 403 for authentication are what docs/ and the adapters say.)

Asserts: every answer is a 4xx (a different 4xx than expected is shown, not failed; a 2xx, 5xx,
transport error or a hang over 15 s fails), the inbound message count is unchanged after each
case, and neither the hub's log (run at SWITCHBOARD_LOG_LEVEL=$FAULTS_LOG_LEVEL, default debug)
nor any answer contains a configured secret or token.

Usage: scripts/faults/bad_input.py [--channel KIND ...]
"""

import argparse
import http.client
import os
import socket
import time
import urllib.parse

import channels
import faultlib

NAME = "bad_input"
LIMIT = 1024 * 1024
TIMEOUT = 15


def raw_request(port, method, path, headers, body):
    """Sends a request even if the hub answers and closes before reading all of the body (a 413),
    then reads whatever answer came. Returns (status or a description of the failure, body)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
    try:
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n"
        head += "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        head += f"Content-Length: {len(body)}\r\n\r\n"
        try:
            sock.sendall(head.encode("latin-1") + body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the hub stopped reading; its answer may still be there
        answer = http.client.HTTPResponse(sock)
        try:
            answer.begin()
            return answer.status, answer.read()
        except socket.timeout:
            return "hang", b""
        except (http.client.HTTPException, OSError) as error:
            return f"{type(error).__name__}", b""
    finally:
        sock.close()


def invalid_utf8(channel, body):
    if isinstance(channel, channels.Kannel):
        return body.replace(b"+%28", b"+%FF%FE%28", 1)
    if isinstance(channel, channels.Twilio):
        return body.replace(b"+%28", b"+\xff\xfe%28", 1)
    return body.replace(b" (", b" \xff\xfe(", 1)


def huge(channel, body):
    """A body just over the limit; for JSON, still valid JSON (a long text), so only size is wrong."""
    padding = LIMIT + 4096 - len(body)
    if isinstance(channel, (channels.Twilio, channels.Kannel)):
        return body + b"&Padding=" + b"a" * padding
    return body.replace(b" (", b" " + b"a" * padding + b" (", 1)


def cases(channel):
    """(case name, expected status, builder(n) -> (method, path, headers, body)) for one channel."""
    kannel = isinstance(channel, channels.Kannel)
    auth = channel.auth_status

    def valid(n):
        return channel.payload(n, "bad")[0]

    table = []
    if not kannel:  # smsbox calls GET: there is no body whose type could be wrong
        wrong_type = "application/json" if isinstance(channel, channels.Twilio) else "text/plain"
        table.append(("wrong content type", 415, lambda n: channel.build(valid(n), content_type=wrong_type)))
    table += [
        ("truncated", 400, lambda n: channel.build(valid(n)[: len(valid(n)) // 2])),
        ("empty body", 400, lambda n: channel.build(b"")),
        ("invalid utf-8", 400, lambda n: channel.build(invalid_utf8(channel, valid(n)))),
    ]
    if kannel:
        table.append(("huge body", 413, lambda n: channel.build(valid(n), request_body=b"a" * (LIMIT + 4096))))
    else:
        table.append(("huge body", 413, lambda n: channel.build(huge(channel, valid(n)))))
    table += [
        ("missing signature", auth, lambda n: channel.build(valid(n), auth="missing")),
        ("wrong signature", auth, lambda n: channel.build(valid(n), auth="wrong")),
    ]
    if channel.signs_timestamp:
        table += [
            ("old timestamp", 401, lambda n: channel.build(valid(n), timestamp=int(time.time()) - 3600)),
            ("future timestamp", 401, lambda n: channel.build(valid(n), timestamp=int(time.time()) + 3600)),
        ]
    return table


def run():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--channel", action="append", help="only these channel kinds (repeatable)")
    args = parser.parse_args()
    level = os.environ.get("FAULTS_LOG_LEVEL", "debug")
    failures = faultlib.Failures(NAME)
    started = time.monotonic()
    chosen = [c for c in channels.all_channels() if not args.channel or c.kind in args.channel]
    secrets = list(channels.SECRETS.values()) + [faultlib.API_TOKEN]
    secrets += [urllib.parse.quote(s) for s in secrets if urllib.parse.quote(s) != s]
    rows, n = [], 0
    counts = {}
    with faultlib.Workspace() as workspace:
        hub = faultlib.Hub(workspace.path, channels.channels_yaml(chosen), channels.SECRETS, log_level=level)
        try:
            hub.start()
            store = hub.database
            for channel in chosen:
                for case, expected, build in cases(channel):
                    n += 1
                    before = store.inbound_count()
                    method, path, headers, body = build(n)
                    took = time.monotonic()
                    status, answer = raw_request(hub.port, method, path, headers, body)
                    took = time.monotonic() - took
                    stored = store.inbound_count() - before
                    verdict = judge(status, expected, stored)
                    rows.append((channel.kind, case, expected, status, stored, verdict, answer, took))
                    if verdict.startswith("FAIL"):
                        failures.add(f"{channel.kind} / {case}: expected {expected}, got {status} "
                                     f"({answer[:160]!r}), {stored} stored, {took:.1f}s — reproduce with "
                                     f"scripts/faults/bad_input.py --channel {channel.kind}")
                    leaked = [s for s in secrets if s.encode() in answer]
                    failures.check(not leaked, f"{channel.kind} / {case}: the answer contains a secret")
                    if not hub.running():
                        failures.add(f"the hub died after {channel.kind} / {case}; log:\n{hub.log()[-2000:]}")
                        hub.start()
            # A good request still works at the end: the refusals were about the faults.
            for channel in chosen:
                method, path, headers, body, _ = channel.request(10_000 + n, "good")
                status, answer = raw_request(hub.port, method, path, headers, body)
                failures.check(status == 200, f"{channel.kind}: a valid request after the bad ones got {status} "
                                              f"{answer[:160]!r}")
        finally:
            hub.stop()
        log = hub.log()
        leaks = sorted({s for s in secrets if s in log})
        for secret in leaks:
            line = next(line for line in log.splitlines() if secret in line)
            name = next((k for k, v in channels.SECRETS.items() if v in secret or
                         urllib.parse.quote(v) == secret), "FAULTS_API_TOKEN")
            failures.add(f"the hub's log contains the value of {name}: {line[:300]}")
    print_table(rows)
    bad = [r for r in rows if r[5].startswith("FAIL")]
    differs = [r for r in rows if r[5] == "4xx, differs"]
    counts = {"cases": len(rows), "as_expected": len(rows) - len(bad) - len(differs), "other_4xx": len(differs),
              "failed": len(bad), "stored": sum(r[4] for r in rows), "secrets_in_log": len(leaks),
              "log_level": level, "seconds": f"{time.monotonic() - started:.1f}"}
    return failures.finish(counts)


def judge(status, expected, stored):
    if stored:
        return f"FAIL: stored {stored}"
    if not isinstance(status, int):
        return f"FAIL: {status}"
    if status == expected:
        return "ok"
    if 400 <= status < 500:
        return "4xx, differs"
    return "FAIL: 2xx" if status < 300 else f"FAIL: {status // 100}xx"


def print_table(rows):
    print(f"{NAME}: {'channel':<10} {'case':<18} {'expected':>8} {'actual':>8}  verdict", flush=True)
    for kind, case, expected, status, stored, verdict, answer, took in rows:
        note = f"  {answer[:90].decode('utf-8', 'replace')}" if verdict != "ok" else ""
        print(f"{NAME}: {kind:<10} {case:<18} {expected:>8} {status!s:>8}  {verdict}{note}", flush=True)


if __name__ == "__main__":
    faultlib.main_guard(run)
