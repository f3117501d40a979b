#!/usr/bin/env python3
"""Fault test "storm": a channel API that refuses everything for a while, then recovers.

Why it exists: providers go down and rate-limit (503, 429 with Retry-After) for seconds at a time,
usually exactly when agents are busiest. The outbox promises to retry with backoff, honour
Retry-After, dead-letter only after `max_attempts`, and send each reply once with the same
Idempotency-Key on every attempt. This test checks all of that against a stand-in for the
webhook channel's outbound_url that answers a mix of 503 and 429 (`Retry-After: 1`) for the first
8 seconds after its first request, then 200.

Config: `outbox: {max_attempts: 20, base_delay: 100ms, max_delay: 2s}`. ~200 replies are queued
through the API over a few conversations.

Asserts, within a deadline: every reply got exactly one 200 from the stand-in (per
Idempotency-Key), none was dropped or dead-lettered (the outbox rows are all `sent`, and the API's
conversation view shows each reply as sent), every request for one reply carried the same key and
body, no retry came sooner than the Retry-After allowed, and the outbox's attempt count matches
what the stand-in saw.

Usage: scripts/faults/storm.py [--replies 200] [--storm-seconds 8] [--deadline 60]
"""

import argparse
import json
import threading
import time

import channels
import faultlib

NAME = "storm"
CONVERSATIONS = 4


class FlakyAPI:
    """Answers 503 and 429 alternately (both with Retry-After: 1) until `seconds` after the first
    request, then 200 with an id derived from the key."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.first = None
        self.lock = threading.Lock()
        self.answers = []  # (key, status, body, when)

    def __call__(self, request):
        key = request["headers"].get("idempotency-key", "")
        with self.lock:
            now = time.monotonic()
            self.first = self.first or now
            storming = now - self.first < self.seconds
            status = (503 if len(self.answers) % 2 == 0 else 429) if storming else 200
            self.answers.append((key, status, request["body"], now))
        if status == 200:
            return faultlib.json_answer(200, {"id": "ext-" + key})
        return faultlib.json_answer(status, {"error": "try later"}, **{"Retry-After": "1"})

    def by_key(self):
        with self.lock:
            answers = list(self.answers)
        table = {}
        for key, status, body, when in answers:
            table.setdefault(key, []).append((status, body, when))
        return table


def run():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replies", type=int, default=200)
    parser.add_argument("--storm-seconds", type=float, default=8)
    parser.add_argument("--deadline", type=float, default=60, help="seconds after queueing for all to be delivered")
    args = parser.parse_args()
    failures = faultlib.Failures(NAME)
    started = time.monotonic()
    api = FlakyAPI(args.storm_seconds)
    stand_in = faultlib.StandIn(api).start()
    hub = None
    counts = {}
    with faultlib.Workspace() as workspace:
        try:
            channel = channels.Webhook(outbound_url=stand_in.url + "/replies")
            hub = faultlib.Hub(workspace.path, channel.yaml(), channels.SECRETS,
                               outbox="  max_attempts: 20\n  base_delay: 100ms\n  max_delay: 2s").start()
            conversations = []
            for k in range(CONVERSATIONS):
                body = json.dumps({"id": f"storm-{k}", "from": f"email:storm{k}@example.com",
                                   "text": f"help {k}"}).encode()
                method, path, headers, body = channel.build(body)
                answer = faultlib.request(hub.port, method, path, body, headers)
                if answer.status != 200:
                    raise faultlib.FaultError(f"seed message refused: {answer.status} {answer.text()}")
                conversations.append(answer.json()["results"][0]["conversation_id"])
            replies = {}
            for i in range(args.replies):
                conversation = conversations[i % CONVERSATIONS]
                replies[faultlib.queue_reply(hub.port, conversation, f"storm reply {i}")] = conversation
            queued_at = time.monotonic()
            print(f"{NAME}: {len(replies)} replies queued in {queued_at - started:.1f}s; the API refuses for "
                  f"{args.storm_seconds:.0f}s after its first request", flush=True)

            def settled():
                states = [row[1] for row in hub.database.outbox().values()]
                return states and all(state in ("sent", "dead") for state in states)

            done = faultlib.wait_until(settled, args.deadline, interval=0.5)
            took = time.monotonic() - queued_at
            failures.check(done, f"replies still pending {args.deadline:.0f}s after queueing")
            time.sleep(1.0)  # a resend right after the last 200 would show up here
            counts = check(hub, api, replies, failures)
            counts["delivered_after_s"] = f"{took:.1f}"
            failures.check(hub.running(), f"the hub exited; its log:\n{hub.log()[-3000:]}")
        finally:
            if hub:
                hub.stop()
            stand_in.stop()
    counts["seconds"] = f"{time.monotonic() - started:.1f}"
    return failures.finish(counts)


def check(hub, api, replies, failures):
    outbox = hub.database.outbox()
    keys = {outbox[m][0]: m for m in replies if m in outbox}
    failures.check(len(keys) == len(replies), f"{len(replies) - len(keys)} replies have no outbox row")
    seen = api.by_key()
    attempts = sum(len(v) for v in seen.values())
    statuses = [status for answers in seen.values() for status, _, _ in answers]
    gaps = [b[2] - a[2] for answers in seen.values() for a, b in zip(answers, answers[1:])]
    delivered = duplicates = 0
    wrong_count, changed, miscounted = [], [], []
    for key, message in keys.items():
        answers = seen.get(key, [])
        ok = sum(1 for status, _, _ in answers if status == 200)
        delivered += ok >= 1
        duplicates += max(ok - 1, 0)
        if ok != 1:
            wrong_count.append(f"{message} (key {key}): {ok} 200s, answers {[status for status, _, _ in answers]}")
        if len({body for _, body, _ in answers}) > 1:
            changed.append(message)
        if outbox[message][2] != len(answers):
            miscounted.append(f"{message}: outbox {outbox[message][2]}, API {len(answers)}")
    failures.check(not wrong_count, f"{len(wrong_count)} replies did not get exactly one 200: {wrong_count[:3]}")
    failures.check(not changed, f"{len(changed)} replies changed body between attempts: {changed[:3]}")
    failures.check(not miscounted, f"{len(miscounted)} replies' attempt counts differ: {miscounted[:3]}")
    # Every refusal said Retry-After: 1, so no retry may come sooner (a little slack for clocks).
    early = [gap for gap in gaps if gap < 0.95]
    failures.check(not early, f"{len(early)} retries came less than 1 s after a Retry-After: 1 "
                              f"(shortest {min(early, default=0):.3f}s)")
    strangers = set(seen) - set(keys)
    failures.check(not strangers, f"requests with unknown Idempotency-Keys: {sorted(strangers)[:5]}")
    states = [outbox[m][1] for m in keys.values()]
    dead = states.count("dead")
    failures.check(dead == 0, f"{dead} replies dead-lettered: "
                              f"{[outbox[m][3] for m in keys.values() if outbox[m][1] == 'dead'][:3]}")
    failures.check(states.count("sent") == len(keys), f"outbox states: { {s: states.count(s) for s in set(states)} }")
    # What an agent sees: each reply's delivery status in the conversation view.
    not_sent, shown = [], 0
    for conversation in sorted(set(replies.values())):
        view = faultlib.api(hub.port, "GET", f"/conversations/{conversation}").json() or {}
        for message in view.get("messages", []):
            if message.get("id") in replies:
                shown += 1
                if message.get("delivery_status") != "sent":
                    not_sent.append((message.get("id"), message.get("delivery_status")))
    failures.check(shown == len(replies), f"the API shows {shown} of the {len(replies)} replies")
    failures.check(not not_sent, f"{len(not_sent)} replies not shown as sent by the API: {not_sent[:5]}")
    return {"queued": len(replies), "attempts": attempts, "http_503": statuses.count(503),
            "http_429": statuses.count(429), "delivered": delivered, "duplicates": duplicates,
            "dead_lettered": dead, "not_delivered": len(keys) - delivered,
            "min_retry_gap_s": f"{min(gaps, default=0):.2f}"}


if __name__ == "__main__":
    faultlib.main_guard(run)
