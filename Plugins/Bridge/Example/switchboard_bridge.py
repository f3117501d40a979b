"""The channel-independent half of a Switchboard bridge, Python 3.11 standard library only:
signing and checking requests (both directions), the spool that keeps what the hub has not yet
accepted, and the sender that posts it with retries. `irc_bridge.py` uses it; a bridge for another
channel can copy this file as it is and write only its channel's half. See docs/bridge-protocol.md.
"""
from __future__ import annotations

import hashlib, hmac, json, logging, os, threading, time
import urllib.error, urllib.request
from datetime import datetime, timezone

log = logging.getLogger("switchboard_bridge")
MAX_SKEW = 300  # seconds a signed request's timestamp may differ from our clock
MAX_BATCH = 500  # envelopes (or status updates) per post, as the protocol allows
PERMANENT = (400, 413, 415)  # hub answers that no retry of the same body can change
# Posts go straight to the hub, never through an http_proxy from the environment: signed bodies
# must not leave the machine by accident, and a proxy would not reach 127.0.0.1 anyway.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
BODY_KEY = {"envelopes": "envelopes", "status": "updates"}  # route -> the body's list


def now_iso() -> str:
    """The current time as ISO 8601 UTC with milliseconds, e.g. 2026-11-23T10:00:00.123Z."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def error(status: int, code: str, message: str) -> tuple[int, dict]:
    """An error answer to the hub; `code` tells it whether a retry can help."""
    return status, {"error": {"code": code, "message": message}}


# ---------------------------------------------------------------- signing (both directions)
def sign(secret: bytes, timestamp: int, body: bytes) -> str:
    """X-Switchboard-Signature: sha256=hex(HMAC-SHA256(secret, "<timestamp>." + raw body))."""
    return "sha256=" + hmac.new(secret, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def signature_problem(secret: bytes, headers, body: bytes) -> str | None:
    """Why a request is refused, or None. Uses the raw bytes only: call it before parsing.
    The reason never contains the secret or the expected signature."""
    ts = headers.get("X-Switchboard-Timestamp", "").strip()
    given = headers.get("X-Switchboard-Signature", "").strip().lower()  # hex in either case, as the hub
    if not (ts.isascii() and ts.isdigit()) or not given:
        return "X-Switchboard-Timestamp (whole seconds) and X-Switchboard-Signature are required"
    if not hmac.compare_digest(sign(secret, int(ts), body).encode(), given.encode("utf-8", "replace")):
        return "signature does not match (is the secret the same on both sides?)"
    if abs(time.time() - int(ts)) > MAX_SKEW:
        return f"timestamp is more than {MAX_SKEW} s from this bridge's clock"
    return None


# ---------------------------------------------------------------- durable state
def write_atomically(path: str, text: str) -> None:
    """Writes a file so that a crash leaves the old or the new version, never half of one."""
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(path + ".tmp", path)


class Spool:
    """What the hub has not yet accepted, on disk BEFORE it is posted: spool.jsonl, one
    {"kind": "envelopes"|"status", "item": {...}} per line, rewritten atomically on each change.
    An item leaves it only after a 2xx (or, refused for good, into rejected.jsonl), so a crash,
    a restart or an unreachable hub loses nothing."""

    def __init__(self, directory: str) -> None:
        self.path = os.path.join(directory, "spool.jsonl")
        self.rejected_path = os.path.join(directory, "rejected.jsonl")
        self.changed = threading.Condition()
        self.records: list[dict] = []
        if os.path.exists(self.path):
            with open(self.path, encoding="utf-8") as f:
                self.records = [json.loads(line) for line in f if line.strip()]
            log.info("the spool holds %d item(s) from an earlier run; posting them again", len(self.records))

    def save(self) -> None:
        write_atomically(self.path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in self.records))

    def add(self, kind: str, item: dict) -> None:
        with self.changed:
            self.records.append({"kind": kind, "item": item})
            self.save()
            self.changed.notify_all()

    def next_batch(self, stop: threading.Event) -> list[dict]:
        """The oldest records of one kind, at most MAX_BATCH; waits while the spool is empty."""
        with self.changed:
            while not self.records and not stop.is_set():
                self.changed.wait(1)
            batch: list[dict] = []
            for record in self.records:
                if record["kind"] != (batch or self.records)[0]["kind"] or len(batch) == MAX_BATCH:
                    break
                batch.append(record)
            return batch

    def remove(self, done: list[dict], rejected_reason: str | None = None) -> None:
        """Drops settled records; with a reason, they are kept in rejected.jsonl for a human."""
        with self.changed:
            if rejected_reason is not None:
                with open(self.rejected_path, "a", encoding="utf-8") as f:
                    for record in done:
                        f.write(json.dumps({**record, "reason": rejected_reason, "at": now_iso()}) + "\n")
            gone = {id(record) for record in done}
            self.records = [r for r in self.records if id(r) not in gone]
            self.save()


# ---------------------------------------------------------------- bridge -> hub
class HubSender(threading.Thread):
    """Posts spooled records to the hub, signed, retrying with exponential backoff on network
    errors, 5xx, 429 and 401. Ids stay the same on every retry, so the hub answers "duplicate"
    for what it already stored."""

    def __init__(self, hub: str, secret: bytes, spool: Spool, stop: threading.Event, record) -> None:
        super().__init__(name="hub-sender", daemon=True)
        self.hub, self.secret, self.spool, self.stop, self.record = hub.rstrip("/"), secret, spool, stop, record

    def run(self) -> None:
        delay = 1.0
        while not self.stop.is_set():
            batch = self.spool.next_batch(self.stop)
            try:
                wait = self.deliver(batch) if batch else None
            except Exception:  # e.g. an answer of an unexpected shape: keep the batch, retry later
                log.exception("posting to the hub failed")
                wait = 0.0
            if wait is None:
                delay = 1.0
            else:  # at least what the hub asked for (Retry-After), else exponential backoff
                self.stop.wait(max(wait, delay))
                delay = min(delay * 2, 60.0)

    def post(self, route: str, body: bytes) -> tuple[int, dict, dict]:
        """(HTTP status, or 0 when nothing answered; the JSON answer; the headers)."""
        ts = int(time.time())
        headers = {"Content-Type": "application/json", "X-Switchboard-Timestamp": str(ts),
                   "X-Switchboard-Signature": sign(self.secret, ts, body)}
        request = urllib.request.Request(f"{self.hub}/{route}", data=body, method="POST", headers=headers)
        try:
            with OPENER.open(request, timeout=15) as response:
                status, raw, answer_headers = response.status, response.read(), response.headers
        except urllib.error.HTTPError as failure:  # an answer, with an error status
            status, raw, answer_headers = failure.code, failure.read(), failure.headers
        except OSError as failure:  # refused, reset, timeout: the hub may just be restarting
            log.warning("hub %s/%s unreachable: %s", self.hub, route, failure)
            return 0, {}, {}
        try:
            answer = json.loads(raw or b"{}")
        except ValueError:
            answer = {"error": raw[:200].decode("utf-8", "replace")}
        return status, answer if isinstance(answer, dict) else {}, answer_headers

    def deliver(self, batch: list[dict]) -> float | None:
        """Posts one batch: None when it is settled, else the seconds to wait before a retry."""
        route = batch[0]["kind"]
        payload = {BODY_KEY[route]: [r["item"] for r in batch]}
        self.record(route, payload)
        status, answer, headers = self.post(route, json.dumps(payload, ensure_ascii=False).encode())
        message = answer.get("error")
        if 200 <= status < 300 or (status == 422 and isinstance(answer.get("results"), list)):
            # 200: all stored (or duplicates); 422: the store refused some, each result says which.
            results = answer.get("results") or []
            if route == "envelopes":
                self.record("hub-answer", answer)
            for record, result in zip(batch, results):  # one result per envelope, in order
                if result.get("result") == "rejected":
                    log.error("hub rejected %s: %s", record["item"].get("id"), result.get("reason"))
                    self.spool.remove([record], f"hub: {result.get('reason')}")
            log.info("hub took %d %s: %s", len(batch), route, ",".join(sorted({str(r.get("result")) for r in results})))
            self.spool.remove(batch)
        elif status in PERMANENT and len(batch) > 1:  # find the bad one(s): post them one by one
            log.warning("hub refused a batch of %d (%d: %s); posting them one by one", len(batch), status, message)
            for record in batch:
                wait = self.deliver([record])
                if wait is not None:
                    return wait
        elif status in PERMANENT:
            log.error("hub refused %s for good (%d: %s); kept in %s", route, status, message, self.spool.rejected_path)
            self.spool.remove(batch, f"{status}: {message}")
        else:
            if status == 401:
                log.error("hub answered 401 (%s): BRIDGE_SECRET or this machine's clock is wrong", message)
            elif status:
                log.warning("hub answered %d (%s) to %d %s; will retry", status, message, len(batch), route)
            retry_after = headers.get("Retry-After", "") if status == 429 else ""
            return float(retry_after) if retry_after.isascii() and retry_after.isdigit() else 0.0
        return None
