#!/usr/bin/env python3
"""Fault test "crash": SIGKILL the hub in the middle of a webhook burst with replies queued.

Why it exists: the hub answers a webhook 2xx only after the message is committed (WAL,
synchronous = FULL), and writes a reply and its outbox row in one transaction, so a crash at any
moment must neither lose an acknowledged message or a queued reply nor store anything twice.
This test crashes it for real:

1. A hub with a webhook channel whose outbound_url is a port we hold but do not listen on, so
   every send is refused and the replies stay queued (retried with backoff). ~50 replies are
   queued through the API over a few conversations.
2. A burst of 10,000 signed webhooks from 16 threads on keep-alive connections; the hub is
   SIGKILLed once ~4,000 have been acknowledged.
3. The stand-in now listens on that port (200 to everything, recording Idempotency-Key), and the
   hub restarts on the same database.

Asserts: every acknowledged webhook is stored exactly once (by external id in `messages`); the
ones that failed or were in flight at the kill are stored at most once; every reply queued before
the kill reaches the stand-in after the restart (distinct keys; a resend of a key is allowed and
counted). Then, as a real sender would, every request that had no 2xx is posted again to the
restarted hub: each must get a 2xx, and in the end all 10,000 are stored exactly once.

Usage: scripts/faults/crash.py [--burst 10000] [--kill-after 4000] [--replies 50]
"""

import argparse
import json
import threading
import time

import channels
import faultlib

NAME = "crash"
SEED_CONVERSATIONS = 5
LEASE_SECONDS = 120  # Dispatcher.claimDue's lease: a send claimed when the hub died waits this long


class Burst:
    """The sender side: who got a 2xx, who failed, and the kill once enough were acknowledged."""

    def __init__(self, hub, channel, tag, total, kill_after):
        self.hub, self.channel, self.tag = hub, channel, tag
        self.total, self.kill_after = total, kill_after
        self.lock = threading.Lock()
        self.next = 0
        self.acked, self.failed, self.refused = set(), {}, {}
        self.killed = threading.Event()
        self.killed_at = None

    def take(self):
        with self.lock:
            if self.killed.is_set() or self.next >= self.total:
                return None
            self.next += 1
            return self.next - 1

    def worker(self, port):
        connection = faultlib.KeepAlive(port, timeout=30)
        while (n := self.take()) is not None:
            method, path, headers, body, _ = self.channel.request(n, self.tag)
            try:
                answer = connection.send(method, path, body, headers)
            except Exception as error:
                with self.lock:
                    self.failed[n] = f"{type(error).__name__} after kill={self.killed.is_set()}"
                continue
            with self.lock:
                if 200 <= answer.status < 300:
                    self.acked.add(n)
                    if len(self.acked) >= self.kill_after and not self.killed.is_set():
                        self.hub.kill()
                        self.killed_at = time.monotonic()
                        self.killed.set()
                else:
                    self.refused[n] = f"{answer.status} {answer.text(150)}"
        connection.close()

    def run(self, port, threads):
        workers = [threading.Thread(target=self.worker, args=(port,), daemon=True) for _ in range(threads)]
        for thread in workers:
            thread.start()
        for thread in workers:
            thread.join()


def seed_replies(hub, channel, count):
    """Opens a few conversations and queues `count` replies over them; returns their message ids."""
    conversations = []
    for k in range(SEED_CONVERSATIONS):
        body = json.dumps({"id": f"seed-{k}", "from": f"email:seed{k}@example.com", "text": f"seed {k}"}).encode()
        method, path, headers, body = channel.build(body)
        answer = faultlib.request(hub.port, method, path, body, headers)
        if answer.status != 200:
            raise faultlib.FaultError(f"seed message refused: {answer.status} {answer.text()}")
        conversations.append(answer.json()["results"][0]["conversation_id"])
    return [faultlib.queue_reply(hub.port, conversations[i % len(conversations)], f"reply {i} before the crash")
            for i in range(count)]


def redeliver(port, channel, tag, numbers, threads):
    """Posts each of `numbers` again; returns {n: (status or error, result)}."""
    outcome, lock, queue = {}, threading.Lock(), list(numbers)

    def worker():
        connection = faultlib.KeepAlive(port, timeout=30)
        while True:
            with lock:
                if not queue:
                    break
                n = queue.pop()
            method, path, headers, body, _ = channel.request(n, tag)
            try:
                answer = connection.send(method, path, body, headers)
                result = ((answer.json() or {}).get("results") or [{}])[0].get("result")
                value = (answer.status, result)
            except Exception as error:
                value = (f"{type(error).__name__}: {error}", None)
            with lock:
                outcome[n] = value
        connection.close()

    pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return outcome


def run():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--burst", type=int, default=10_000)
    parser.add_argument("--kill-after", type=int, default=4_000, help="acknowledgements before SIGKILL")
    parser.add_argument("--replies", type=int, default=50)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--outbound", choices=["refused", "slow"], default="refused",
                        help="the channel API before the kill: connection refused, or answers after 20 s")
    parser.add_argument("--reply-deadline", type=float, default=30, help="seconds after the restart")
    args = parser.parse_args()
    failures = faultlib.Failures(NAME)
    started = time.monotonic()
    tag = f"c{int(time.time())}"
    reserved = faultlib.reserve_port()
    phase = {"down": True}

    def outbound(request):
        """Before the kill: refused (the port is not listening yet) or, with --outbound slow, each
        send held past the hub's 15 s timeout. After it: 200 with an id from the key."""
        if phase["down"]:
            time.sleep(20)
            return faultlib.json_answer(503, {"error": "slow"})
        return faultlib.json_answer(200, {"id": "ext-" + request["headers"].get("idempotency-key", "")})

    stand_in = faultlib.StandIn(outbound, reserved=reserved).start() if args.outbound == "slow" else None
    hub, counts = None, {}
    with faultlib.Workspace() as workspace:
        try:
            channel = channels.Webhook(outbound_url=f"http://127.0.0.1:{reserved.getsockname()[1]}/replies")
            hub = faultlib.Hub(workspace.path, channel.yaml(), channels.SECRETS,
                               outbox="  max_attempts: 500\n  base_delay: 200ms\n  max_delay: 2s").start()
            reply_ids = seed_replies(hub, channel, args.replies)
            outbox = hub.database.outbox()
            pending = [m for m in reply_ids if outbox[m][1] == "pending"]
            failures.check(len(pending) == len(reply_ids),
                           f"only {len(pending)} of {len(reply_ids)} replies pending before the burst")
            print(f"{NAME}: {len(reply_ids)} replies queued (outbound {args.outbound}); burst of {args.burst} "
                  f"from {args.threads} threads, SIGKILL after {args.kill_after} acknowledgements", flush=True)
            burst = run_burst(hub, channel, tag, args, failures)

            phase["down"] = False
            stand_in = stand_in or faultlib.StandIn(outbound, reserved=reserved).start()
            hub.start()
            print(f"{NAME}: restarted in {time.monotonic() - burst.killed_at:.1f}s after the kill", flush=True)
            counts = check_after_restart(hub, channel, tag, burst, failures)
            counts.update(check_replies(hub, stand_in, reply_ids, args.reply_deadline, burst.killed_at, failures))
            counts.update(check_redelivery(hub, channel, tag, burst, args, failures))
            all_sent = faultlib.wait_until(
                lambda: all(row[1] == "sent" for m, row in hub.database.outbox().items() if m in reply_ids), 10)
            failures.check(all_sent, "not every reply's outbox row is 'sent' at the end")
            failures.check(hub.running(), f"the restarted hub exited; its log:\n{hub.log()[-3000:]}")
        finally:
            if hub:
                hub.stop()
            if stand_in:
                stand_in.stop()
            reserved.close()
    counts["seconds"] = f"{time.monotonic() - started:.1f}"
    return failures.finish(counts)


def run_burst(hub, channel, tag, args, failures):
    burst = Burst(hub, channel, tag, args.burst, args.kill_after)
    started = time.monotonic()
    burst.run(hub.port, args.threads)
    sent = len(burst.acked) + len(burst.failed) + len(burst.refused)
    print(f"{NAME}: burst: {sent} sent in {time.monotonic() - started:.1f}s, {len(burst.acked)} acknowledged, "
          f"{len(burst.failed)} failed, {len(burst.refused)} refused; killed={burst.killed.is_set()}", flush=True)
    if not burst.killed.is_set():
        raise faultlib.FaultError(f"the burst ended before {args.kill_after} acknowledgements")
    failures.check(not burst.refused, f"non-2xx answers before the kill: {list(burst.refused.items())[:5]}")
    early = {n: why for n, why in burst.failed.items() if "kill=False" in why}
    failures.check(not early, f"transport errors before the kill: {list(early.items())[:5]}")
    return burst


def stored_numbers(hub, tag):
    """Burst number → rows stored under its external id (`<tag>-wh-<n>`)."""
    return {int(i.rsplit("-", 1)[1]): c for i, c in hub.database.inbound_ids("shop", f"{tag}-%").items()}


def check_after_restart(hub, channel, tag, burst, failures):
    """What survived the kill: every acknowledged message once, the rest at most once."""
    stored = stored_numbers(hub, tag)
    lost = sorted(n for n in burst.acked if stored.get(n, 0) == 0)
    twice = {n: c for n, c in stored.items() if c > 1}
    failures.check(not lost, f"{len(lost)} acknowledged webhooks not stored after the restart: "
                             f"{[channel.payload(n, tag)[1] for n in lost[:10]]}")
    failures.check(not twice, f"stored more than once: {list(twice.items())[:10]}")
    return {"sent": len(burst.acked) + len(burst.failed) + len(burst.refused), "acknowledged": len(burst.acked),
            "stored": len(stored), "stored_unacknowledged": sum(1 for n in stored if n not in burst.acked),
            "duplicates": sum(c - 1 for c in twice.values()), "lost": len(lost)}


def check_replies(hub, stand_in, reply_ids, deadline, killed_at, failures):
    """Every reply queued before the kill reaches the stand-in after it (resends counted)."""
    keys = [hub.database.outbox()[m][0] for m in reply_ids]
    received, delayed = wait_for_replies(stand_in, keys, hub, deadline, since=killed_at)
    missing = [k for k in keys if k not in received]
    outbox = hub.database.outbox()
    failures.check(not missing, f"{len(missing)} replies queued before the kill never reached the stand-in: "
                                f"{missing[:5]}; their outbox rows (state, attempts, error): "
                                f"{[outbox[m][1:] for m in reply_ids if outbox[m][0] in missing][:3]}")
    return {"replies_queued": len(keys), "replies_received": sum(1 for k in keys if k in received),
            "reply_resends": sum(c - 1 for c in received.values() if c > 1), "replies_lost": len(missing),
            "replies_delayed_by_lease": delayed}


def check_redelivery(hub, channel, tag, burst, args, failures):
    """The sender retries everything that had no 2xx; then all of the burst is stored once."""
    again = [n for n in range(args.burst) if n not in burst.acked]
    outcome = redeliver(hub.port, channel, tag, again, args.threads)
    bad = {n: v for n, v in outcome.items() if not (isinstance(v[0], int) and 200 <= v[0] < 300)}
    failures.check(not bad, f"{len(bad)} redeliveries after the restart had no 2xx: {list(bad.items())[:5]}")
    final = stored_numbers(hub, tag)
    missing = [n for n in range(args.burst) if n not in final]
    twice = {n: c for n, c in final.items() if c > 1}
    repeated = hub.database.rows("SELECT text, COUNT(*) FROM messages WHERE direction = 'inbound' "
                                 "GROUP BY text HAVING COUNT(*) > 1")
    failures.check(not missing, f"{len(missing)} of the burst missing after redelivery: {missing[:10]}")
    failures.check(not twice and not repeated, f"stored twice after redelivery: {list(twice.items())[:5]} "
                                               f"{repeated[:5]}")
    return {"redelivered": len(outcome), "redelivery_duplicates": sum(1 for v in outcome.values()
                                                                      if v[1] == "duplicate"),
            "final_stored": len(final), "final_duplicates": sum(c - 1 for c in twice.values()) + len(repeated)}


def wait_for_replies(stand_in, keys, hub, deadline, since):
    """Waits until every key reached the stand-in; past `deadline`, keeps waiting only for replies
    still held by a claim lease taken before the kill (and says so). Returns (key → times received
    since `since`, how many were held by a lease)."""
    def received():
        seen = {}
        for record in stand_in.recorded():
            if record["at"] >= since:
                key = record["headers"].get("idempotency-key")
                seen[key] = seen.get(key, 0) + 1
        return seen

    faultlib.wait_until(lambda: all(k in received() for k in keys), deadline)
    missing = [k for k in keys if k not in received()]
    leased = []
    if missing:
        now_ms = time.time() * 1000
        leased = [row for row in hub.database.rows(
            "SELECT idempotency_key, next_attempt_at FROM outbox WHERE state = 'pending'")
            if row[0] in missing and row[1] > now_ms + 5000]
        if leased:
            wait = max(row[1] for row in leased) / 1000 - time.time() + 10
            print(f"{NAME}: NOTE: {len(leased)} replies are held by the {LEASE_SECONDS}s claim lease taken "
                  f"before the kill; waiting {wait:.0f}s more for it to expire", flush=True)
            faultlib.wait_until(lambda: all(k in received() for k in keys), wait)
    return received(), len(leased)


if __name__ == "__main__":
    faultlib.main_guard(run)
