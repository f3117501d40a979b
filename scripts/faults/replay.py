#!/usr/bin/env python3
"""Fault test "replay": every inbound webhook delivered twice at once is stored once.

Why it exists: channels redeliver (a timeout on their side, a retry queue, an at-least-once
platform), and two copies of one request can reach the hub at the same moment on two
connections. The hub promises (docs/architecture.md) dedup on (channel, external id) inside its
group-commit transaction, and a 2xx only once the message is on disk. This test holds it to that
across every webhook-receiving channel type on one hub: a shuffled mix of distinct messages, each
posted TWICE CONCURRENTLY (two threads released together by a barrier, each on its own
connection), by a pool of 16 threads.

Asserts: both posts of every pair got a 2xx (the ones that did not are named); where the answer
lists results, exactly one of the pair says "stored"; the stored inbound messages equal the
distinct messages sent, in total and per channel, each external id is stored exactly once, and
no thread of one sender was split over two conversations by the race.

Usage: scripts/faults/replay.py [--per-channel N] [--seed S]   (env: SWITCHBOARD_BINARY)
"""

import argparse
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import channels
import faultlib

NAME = "replay"


def post_once(port, request, barrier):
    """One of the two racing posts: wait for the twin, then post on a fresh connection."""
    method, path, headers, body = request
    try:
        barrier.wait(timeout=60)
    except threading.BrokenBarrierError:
        pass
    released = time.monotonic()
    try:
        answer = faultlib.request(port, method, path, body, headers, timeout=60)
        results = (answer.json() or {}).get("results") if answer.status < 300 and b'"results"' in answer.body else None
        return answer.status, answer.text(200), results, released
    except Exception as error:  # a transport failure is reported, never swallowed
        return None, f"{type(error).__name__}: {error}", None, released


def run():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-channel", type=int, default=40, help="distinct messages per channel (default 40)")
    parser.add_argument("--seed", type=int, default=None, help="shuffle seed (printed; reuse it to reproduce)")
    parser.add_argument("--threads", type=int, default=16)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    failures = faultlib.Failures(NAME)
    chosen = channels.all_channels()
    tag = f"r{seed}"
    messages = [(channel, n) + channel.request(n, tag) for channel in chosen for n in range(args.per_channel)]
    random.Random(seed).shuffle(messages)
    print(f"{NAME}: {len(messages)} distinct messages over {len(chosen)} channels "
          f"({', '.join(c.kind for c in chosen)}), each posted twice at once; seed={seed}", flush=True)

    started = time.monotonic()
    with faultlib.Workspace() as workspace:
        hub = faultlib.Hub(workspace.path, channels.channels_yaml(chosen), channels.SECRETS)
        try:
            hub.start()
            # Pairs are queued next to each other, so the two halves are picked by two workers
            # at once and released together by their barrier.
            with ThreadPoolExecutor(max_workers=args.threads) as pool:
                futures = []
                for message in messages:
                    barrier = threading.Barrier(2)
                    request = message[2:6]
                    futures.append((message, [pool.submit(post_once, hub.port, request, barrier) for _ in range(2)]))
                outcomes = [(message, [future.result() for future in pair]) for message, pair in futures]
            elapsed = time.monotonic() - started
            counts = check(hub, outcomes, chosen, failures)
            if not hub.running():
                failures.add(f"the hub exited during the run; its log:\n{hub.log()[-3000:]}")
        finally:
            hub.stop()
    counts["seconds"] = f"{time.monotonic() - started:.1f}"
    print(f"{NAME}: posting took {elapsed:.1f}s", flush=True)
    return failures.finish(counts)


def check(hub, outcomes, chosen, failures):
    store = hub.database
    acknowledged = non_2xx = double_stored = 0
    for (channel, n, method, path, headers, body, external_id), answers in outcomes:
        good = [status for status, _, _, _ in answers if status is not None and 200 <= status < 300]
        acknowledged += len(good)
        if len(good) < 2:
            non_2xx += 2 - len(good)
            failures.add(f"{channel.kind} message {external_id}: answers "
                         + "; ".join(f"{status} {text}" for status, text, _, _ in answers))
        results = [r for _, _, r, _ in answers if r is not None]
        if len(results) == 2:
            stored = sum(1 for r in results for item in r if item.get("result") == "stored")
            if stored != 1:
                double_stored += stored > 1
                failures.add(f"{channel.kind} message {external_id}: {stored} of the pair answered 'stored' "
                             f"(expected exactly 1): {results}")

    by_channel = store.inbound_by_channel()
    total_sent = total_stored = duplicates = lost = 0
    for channel in chosen:
        sent_ids = {message[6] for message, _ in outcomes if message[0] is channel}
        stored_ids = store.inbound_ids(channel.id)
        extra = {i: c for i, c in stored_ids.items() if c > 1}
        missing = sorted(sent_ids - stored_ids.keys())
        unexpected = sorted(stored_ids.keys() - sent_ids)
        rows = by_channel.get(channel.id, 0)
        total_sent += len(sent_ids)
        total_stored += rows
        duplicates += rows - len(sent_ids & stored_ids.keys())  # rows beyond one per message sent
        lost += len(missing)
        print(f"{NAME}:   {channel.kind:<10} sent={len(sent_ids)} stored={rows}", flush=True)
        failures.check(rows == len(sent_ids), f"{channel.kind}: {rows} inbound messages stored for "
                       f"{len(sent_ids)} distinct sent")
        failures.check(not missing, f"{channel.kind}: lost (acknowledged, not stored): {missing[:10]}")
        failures.check(not extra, f"{channel.kind}: stored more than once: {list(extra.items())[:10]}")
        failures.check(not unexpected, f"{channel.kind}: stored under ids never sent: {unexpected[:10]}")
    # Twins would share a text while having different ids: look for that too.
    repeated = store.rows("SELECT channel, text, COUNT(*) FROM messages WHERE direction = 'inbound' "
                          "GROUP BY channel, text HAVING COUNT(*) > 1")
    failures.check(not repeated, f"the same text stored more than once: {repeated[:5]}")
    # Twins that open a conversation race to create it: one thread of one sender is one conversation.
    split = store.rows("SELECT channel, thread_key, customer_address, COUNT(*) FROM conversations "
                       "GROUP BY channel, thread_key, customer_address HAVING COUNT(*) > 1")
    failures.check(not split, f"one thread split over several conversations: {split[:5]}")
    failures.check(total_stored == total_sent, f"stored {total_stored} inbound messages for {total_sent} sent")
    skews = sorted(abs(answers[0][3] - answers[1][3]) * 1000 for _, answers in outcomes)
    return {"sent": total_sent, "posts": 2 * len(outcomes), "acknowledged": acknowledged, "non_2xx": non_2xx,
            "double_stored_answers": double_stored, "stored": total_stored, "duplicates": duplicates, "lost": lost,
            "median_twin_skew_ms": f"{skews[len(skews) // 2]:.2f}"}


if __name__ == "__main__":
    faultlib.main_guard(run)
