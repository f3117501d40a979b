#!/usr/bin/env python3
"""A customer on IRC, for end-to-end tests of the IRC bridge (Python 3.11 standard library only).

    irc_customer.py --irc 127.0.0.1:26667 --nick ana --to hubbot --say "Where is order 42?" \\
        --expect "It ships today" --timeout 60 [--channel '#support']

Connects (asking again every 0.5 s while the nick is in use, e.g. by its previous run still
quitting), waits for the welcome (001), then until --to can hear it: online (ISON), or with
--channel a member of that channel (NAMES), asked again every 0.5 s. Then it says --say:
privately to --to, or with --channel in that channel as "<to>: <text>".
It then waits for a PRIVMSG from --to whose text contains --expect (private or in the channel).
Every PRIVMSG it receives is printed on stdout as one JSON line {"from", "target", "text"}.
Exit status: 0 when the expected text came, 1 on timeout or a lost connection (reason on stderr),
2 on bad arguments. Without --say it only listens; without --expect it exits after saying.
"""
from __future__ import annotations

import argparse
import json
import signal
import socket
import sys
import time


def parse_line(line: str) -> tuple[str, str, list[str]]:
    """Splits ':prefix COMMAND p1 p2 :trailing' into (prefix, COMMAND, [p1, p2, trailing])."""
    prefix = ""
    if line.startswith(":"):
        prefix, _, line = line[1:].partition(" ")
    line, separator, trailing = f" {line}".partition(" :")
    params = line.split()
    command = params.pop(0).upper() if params else ""
    if separator:
        params.append(trailing)
    return prefix, command, params


class Customer:
    """A bare IRC client: line reading with a deadline, and the few commands a test needs."""

    def __init__(self, host: str, port: int, deadline: float) -> None:
        self.sock = socket.create_connection((host, port), timeout=10)
        self.deadline = deadline
        self.buffer = b""

    def send(self, line: str) -> None:
        self.sock.sendall(line.encode() + b"\r\n")

    def lines(self):
        """Yields (prefix, command, params) until the deadline; answers PING on the way."""
        while True:
            while b"\n" not in self.buffer:
                left = self.deadline - time.monotonic()
                if left <= 0:
                    return
                self.sock.settimeout(min(left, 0.5))
                try:
                    data = self.sock.recv(4096)
                except TimeoutError:
                    yield "", "", []  # lets the caller act on the clock (e.g. ask ISON again)
                    continue
                if not data:
                    raise ConnectionError("the IRC server closed the connection")
                self.buffer += data
            raw, _, self.buffer = self.buffer.partition(b"\n")
            prefix, command, params = parse_line(raw.rstrip(b"\r").decode("utf-8", errors="replace"))
            if command == "PING":
                self.send(f"PONG :{params[-1] if params else ''}")
            yield prefix, command, params


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--irc", default="127.0.0.1:26667", help="IRC server HOST:PORT")
    parser.add_argument("--nick", required=True, help="the customer's nick")
    parser.add_argument("--to", required=True, help="the bot's nick")
    parser.add_argument("--say", help="the text to send")
    parser.add_argument("--expect", help="wait for a PRIVMSG from --to containing this text")
    parser.add_argument("--channel", help="say it in this channel (joined first) as '<to>: text'")
    parser.add_argument("--timeout", type=float, default=60, help="seconds for the whole run")
    args = parser.parse_args()
    signal.pthread_sigmask(signal.SIG_SETMASK, [])  # a parent may have blocked SIGTERM (Foundation's Process)
    host, _, port = args.irc.rpartition(":")
    if not host or not port.isdigit():
        parser.error("--irc must be HOST:PORT, e.g. 127.0.0.1:26667")
    deadline = time.monotonic() + args.timeout
    stage = "connecting"
    try:
        client = Customer(host, int(port), deadline)
        client.send(f"NICK {args.nick}")
        client.send(f"USER {args.nick} 0 * :Switchboard test customer")
        stage, asked = "waiting for the welcome (001)", 0.0
        # Ready when --to can hear us: online (ISON answers 303 with its nick) or, with --channel,
        # a member of the channel (NAMES answers 353 listing it, or we see it JOIN).
        probe = f"NAMES {args.channel}" if args.channel else f"ISON {args.to}"
        for prefix, command, params in client.lines():
            ready = False
            if command == "433":  # nick in use, e.g. by our previous run still quitting: ask again
                print(f"irc_customer: nick {args.nick} is in use; trying again", file=sys.stderr)
                time.sleep(0.5)
                client.send(f"NICK {args.nick}")
            if command == "001":
                if args.channel:
                    client.send(f"JOIN {args.channel}")
                stage = f"waiting until {args.to} is {'in ' + args.channel if args.channel else 'online'}"
            if stage.startswith("waiting until"):
                if time.monotonic() - asked >= 0.5:
                    client.send(probe)
                    asked = time.monotonic()
                names = [n.lstrip("~&@%+").lower() for n in (params[-1].split() if params else [])]
                ready = (command == "303" and not args.channel and args.to.lower() in names) or (
                    command == "353" and args.to.lower() in names) or (
                    command == "JOIN" and prefix.split("!", 1)[0].lower() == args.to.lower())
            if ready:
                if args.say is not None:
                    target = args.channel or args.to
                    text = f"{args.to}: {args.say}" if args.channel else args.say
                    client.send(f"PRIVMSG {target} :{text}")
                if args.expect is None:
                    client.send("QUIT :done")
                    return 0
                stage = f"waiting for a PRIVMSG from {args.to} containing {args.expect!r}"
            if command == "PRIVMSG" and len(params) == 2:
                sender = prefix.split("!", 1)[0]
                print(json.dumps({"from": sender, "target": params[0], "text": params[1]}, ensure_ascii=False),
                      flush=True)
                if sender.lower() == args.to.lower() and args.expect is not None and args.expect in params[1]:
                    client.send("QUIT :done")
                    return 0
    except OSError as error:
        print(f"irc_customer: {stage}: {error}", file=sys.stderr)
        return 1
    print(f"irc_customer: timed out after {args.timeout:g} s while {stage}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
