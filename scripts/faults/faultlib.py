"""Shared machinery of the fault tests (issue 7, "Nothing lost, nothing doubled").

Why it exists: every fault test starts a real `switchboard` binary with a config of its own, talks
HTTP to it, stands in for a channel's API, and reads the truth from the SQLite file afterwards.
Doing that in one place keeps the four tests short and makes them behave alike: a hub is always
stopped by its pid (also on failure), stand-in servers listen on 127.0.0.1 port 0, temporary
directories are removed, and every violation is collected and reported the same way.

Standard library only (Python 3.9+). See docs/fault-tests.md.
"""

import base64
import hashlib
import hmac
import http.client
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
API_TOKEN = "faults-api-token-7Hq2Zt9Lw4Xc8Vb1"
LISTENING = "switchboard listening on http://127.0.0.1:"


def binary_path():
    """The hub under test: $SWITCHBOARD_BINARY, or .build/debug/switchboard of this repository."""
    path = os.environ.get("SWITCHBOARD_BINARY") or str(REPO_ROOT / ".build/debug/switchboard")
    if not os.access(path, os.X_OK):
        raise SystemExit(f"no switchboard binary at {path}: build it (swift build) or set SWITCHBOARD_BINARY")
    return path


class FaultError(Exception):
    """A problem with the test setup itself (the hub did not start, a stand-in failed)."""


class Failures:
    """Collects violations so a test reports all of them, then exits non-zero if there were any."""

    def __init__(self, name):
        self.name = name
        self.messages = []

    def check(self, condition, message):
        if not condition:
            self.add(message)
        return condition

    def add(self, message):
        self.messages.append(message)
        print(f"{self.name}: FAIL: {message}", flush=True)

    def finish(self, counts):
        """Prints the final counts line (always the last line) and returns the exit status."""
        if self.messages:
            print(f"{self.name}: {len(self.messages)} violation(s); first: {self.messages[0]}", flush=True)
        line = " ".join(f"{key}={value}" for key, value in counts.items())
        print(f"{self.name}: {line}", flush=True)
        return 1 if self.messages else 0


class Workspace:
    """A temporary directory for one test's config, database and logs; removed on exit unless
    FAULTS_KEEP=1 (then its path is printed, for a post-mortem)."""

    def __enter__(self):
        self.path = Path(tempfile.mkdtemp(prefix="sb-faults-"))
        return self

    def __exit__(self, *exc):
        if os.environ.get("FAULTS_KEEP") == "1":
            print(f"kept {self.path}", flush=True)
        else:
            shutil.rmtree(self.path, ignore_errors=True)
        return False


def hub_config(database, channels_yaml, outbox=""):
    """A complete config: the hub on 127.0.0.1 port 0, the API token from ${FAULTS_API_TOKEN},
    `database` as the SQLite file, `outbox` (the section's lines, indented by two spaces) and
    `channels_yaml` (entries indented by two spaces)."""
    return (
        "server:\n  host: 127.0.0.1\n  port: 0\n  api_token: ${FAULTS_API_TOKEN}\n"
        f"storage:\n  sqlite:\n    path: {database}\n"
        + (f"outbox:\n{outbox}\n" if outbox else "")
        + "channels:\n"
        + channels_yaml
    )


class Hub:
    """One `switchboard serve` process on `workdir/hub.sqlite`, with `channels_yaml` and the
    `secrets` (name → value) in its environment. Output (stdout and stderr) goes to
    `workdir/hub.log`, appended across restarts; `log()` reads all of it."""

    def __init__(self, workdir, channels_yaml, secrets, outbox="", log_level="info"):
        self.workdir = Path(workdir)
        self.config_path = self.workdir / "switchboard.yaml"
        self.config_path.write_text(hub_config(self.workdir / "hub.sqlite", channels_yaml, outbox))
        self.log_path = self.workdir / "hub.log"
        self.env = dict(os.environ, FAULTS_API_TOKEN=API_TOKEN, SWITCHBOARD_LOG_LEVEL=log_level, **secrets)
        self.process = None
        self.port = None

    def start(self, timeout=30):
        offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [binary_path(), "serve", "--config", str(self.config_path)],
                cwd=self.workdir, env=self.env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.log(offset)
            if LISTENING in text:
                rest = text.split(LISTENING, 1)[1]
                digits = rest[: len(rest) - len(rest.lstrip("0123456789"))]
                if digits and rest[len(digits):len(digits) + 1] in ("\n", "\r", "/", " "):
                    self.port = int(digits)
                    return self
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        raise FaultError(f"the hub did not start within {timeout}s; its output:\n{self.log(offset)[-4000:]}")

    def running(self):
        return self.process is not None and self.process.poll() is None

    def kill(self):
        """SIGKILL: the crash. Waits until the process is gone."""
        if self.running():
            os.kill(self.process.pid, signal.SIGKILL)
        if self.process:
            self.process.wait()

    def stop(self, grace=10):
        """SIGTERM, then SIGKILL after `grace` seconds; safe to call twice."""
        if not self.running():
            if self.process:
                self.process.wait()
            return
        os.kill(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self.kill()

    def log(self, offset=0):
        if not self.log_path.exists():
            return ""
        with open(self.log_path, "rb") as log:
            log.seek(offset)
            return log.read().decode("utf-8", "replace")

    @property
    def database(self):
        return Store(self.workdir / "hub.sqlite")


# Signing, each by the channel's published rule.

def hmac_hex(secret, data, digest=hashlib.sha256):
    return hmac.new(secret.encode(), data, digest).hexdigest()


def sign_switchboard(secret, body):
    """`X-Switchboard-Signature` of the webhook channel: sha256=<hex HMAC-SHA256 of the body>."""
    return "sha256=" + hmac_hex(secret, body)


def sign_bridge(secret, timestamp, body):
    """The bridge protocol: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">."""
    return "sha256=" + hmac_hex(secret, f"{timestamp}.".encode() + body)


def sign_meta(app_secret, body):
    """`X-Hub-Signature-256`: sha256=<hex HMAC-SHA256(app secret, raw body)>."""
    return "sha256=" + hmac_hex(app_secret, body)


def sign_x(consumer_secret, body):
    """`x-twitter-webhooks-signature`: sha256=<base64 HMAC-SHA256(consumer secret, raw body)>."""
    return "sha256=" + base64.b64encode(hmac.new(consumer_secret.encode(), body, hashlib.sha256).digest()).decode()


def sign_twilio(auth_token, url, params):
    """`X-Twilio-Signature`: base64 HMAC-SHA1 of the URL followed by every POST parameter sorted by
    name, name then value (https://www.twilio.com/docs/usage/security#validating-requests)."""
    text = url + "".join(name + value for name, value in sorted(params))
    return base64.b64encode(hmac.new(auth_token.encode(), text.encode(), hashlib.sha1).digest()).decode()


# HTTP to the hub.

class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        try:
            return json.loads(self.body or b"null")
        except ValueError:
            return None

    def text(self, limit=300):
        return self.body[:limit].decode("utf-8", "replace")


def request(port, method, path, body=b"", headers=None, timeout=30):
    """One request on a new connection; raises OSError/http.client errors on transport failure."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        answer = connection.getresponse()
        return Response(answer.status, dict(answer.getheaders()), answer.read())
    finally:
        connection.close()


class KeepAlive:
    """One persistent HTTP/1.1 connection that reconnects after a failure."""

    def __init__(self, port, timeout=30):
        self.port = port
        self.timeout = timeout
        self.connection = None

    def send(self, method, path, body=b"", headers=None):
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            self.connection.request(method, path, body=body, headers=headers or {})
            answer = self.connection.getresponse()
            return Response(answer.status, dict(answer.getheaders()), answer.read())
        except Exception:
            self.close()
            raise

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def api(port, method, path, payload=None, timeout=30):
    """The hub's JSON API under /api/v1, with the bearer token."""
    body = json.dumps(payload).encode() if payload is not None else b""
    headers = {"Authorization": f"Bearer {API_TOKEN}", "Content-Type": "application/json"}
    return request(port, method, "/api/v1" + path, body, headers, timeout)


def queue_reply(port, conversation_id, text):
    """Queues a reply through the API; returns its message id (raises FaultError unless 202)."""
    answer = api(port, "POST", f"/conversations/{conversation_id}/replies", {"text": text, "author": "faults"})
    if answer.status != 202:
        raise FaultError(f"reply refused: {answer.status} {answer.text()}")
    return answer.json()["id"]


# The database, read directly.

class Store:
    """Read-only questions to the hub's SQLite file (WAL; safe beside the running hub)."""

    def __init__(self, path):
        self.path = str(path)

    def rows(self, sql, args=()):
        connection = sqlite3.connect(self.path, timeout=30)
        try:
            return connection.execute(sql, args).fetchall()
        finally:
            connection.close()

    def scalar(self, sql, args=()):
        return self.rows(sql, args)[0][0]

    def inbound_count(self):
        return self.scalar("SELECT COUNT(*) FROM messages WHERE direction = 'inbound'")

    def inbound_by_channel(self):
        return dict(self.rows("SELECT channel, COUNT(*) FROM messages WHERE direction = 'inbound' GROUP BY channel"))

    def inbound_ids(self, channel, like="%"):
        """external id → rows stored under it, for one channel."""
        return dict(self.rows(
            "SELECT external_id, COUNT(*) FROM messages WHERE direction = 'inbound' AND channel = ? "
            "AND external_id LIKE ? GROUP BY external_id", (channel, like)))

    def outbox(self):
        """message id → (idempotency key, state, requests made, last error). Requests made counts
        every attempt: those that failed or succeeded (`attempts`) and those the channel answered
        "slow down" (`rate_limited`, counted apart since they have their own budget)."""
        return {row[0]: row[1:] for row in self.rows(
            "SELECT message_id, idempotency_key, state, attempts + rate_limited, last_error FROM outbox")}


# Stand-ins for channel APIs.

def reserve_port():
    """A socket bound to a free port but not listening: connections to it are refused until a
    StandIn takes it over, so the port cannot be taken by someone else meanwhile."""
    reserved = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    reserved.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    reserved.bind(("127.0.0.1", 0))
    return reserved


class QuietServer(ThreadingHTTPServer):
    """A client that went away (a killed hub, a timed-out send) is not an error worth a traceback."""

    def handle_error(self, request, client_address):
        pass


class StandIn:
    """A tiny threaded HTTP/1.1 server on 127.0.0.1 that records every request and answers with
    `handler(request) -> (status, headers, body)`. Each request is a dict: method, path, headers
    (lower-case names), body, at (monotonic time)."""

    def __init__(self, handler, reserved=None):
        self.handler = handler
        self.requests = []
        self.lock = threading.Lock()
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                record = {
                    "method": self.command, "path": self.path, "body": self.rfile.read(length) if length else b"",
                    "headers": {name.lower(): value for name, value in self.headers.items()}, "at": time.monotonic()}
                with stand_in.lock:
                    stand_in.requests.append(record)
                status, headers, body = stand_in.handler(record)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = answer

        if reserved is None:
            self.server = QuietServer(("127.0.0.1", 0), Handler)
        else:
            self.server = QuietServer(reserved.getsockname(), Handler, bind_and_activate=False)
            self.server.socket.close()
            self.server.socket = reserved
            self.server.server_activate()
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        if self.thread.is_alive():
            self.server.shutdown()
        self.server.server_close()

    def recorded(self):
        with self.lock:
            return list(self.requests)


def json_answer(status, payload, **headers):
    return status, dict({"Content-Type": "application/json"}, **headers), json.dumps(payload).encode()


def wait_until(condition, timeout, interval=0.2):
    """Polls `condition` until true or `timeout` seconds pass; returns its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)


def main_guard(run):
    """Runs a test's `run()` and exits with its status; a setup error is a failure with a message.
    SIGTERM (a CI timeout) unwinds like Ctrl-C, so every hub and stand-in is still stopped."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        sys.exit(run())
    except FaultError as error:
        print(f"setup failed: {error}", flush=True)
        sys.exit(2)
