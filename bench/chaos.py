"""``python -m bench.chaos``: decisions while the worker, the API and the projector get kill -9.

Sends decisions with Idempotency-Keys, retrying each until it is acknowledged, while a
killer thread SIGKILLs one of the three processes at random moments and starts it again.
Then counts: acknowledged decisions missing from the store, duplicated decisions, and read
models that differ from a rebuild. Prints the three counts; exits 1 when any is above 0.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import signal
import sys
import threading
import time
from collections import Counter, deque
from pathlib import Path

import httpx
import structlog
from temporalio.client import Client

from bench.approvals import CLIENTS, head_client, start_approvals, wait_open
from bench.stack import Stack, reference_stack, wait_http
from infra.store import EventStore
from projections.engine.operations import checksum, rebuild
from projections.engine.registry import all_views
from projections.engine.runner import ProjectionRunner
from projections.engine.viewstore import ViewStore

VICTIMS = ("worker", "api", "projector")
#: The last run's counts, shown as row 7 by ``python -m bench``.
RESULT = Path(__file__).resolve().parent.parent / "docs" / "chaos.json"
#: Seconds between one process being back and the next kill.
PAUSE = (2.0, 6.0)
#: Answers after which the same request is sent again (besides 5xx and a key in use).
RETRIED = frozenset({425, 429})
#: Seconds after which one decision is given up (counted, never acknowledged).
GIVE_UP_AFTER = 600.0
#: Answers that ended a decision without an acknowledgement, by status.
refused: Counter[str] = Counter()


def killer(stack: Stack, stop: threading.Event, kills: Counter[str]) -> None:
    """At a random moment kill -9 one process, start it again, let it come up; repeat."""
    rng = random.Random(7)
    while not stop.wait(rng.uniform(*PAUSE)):
        name = rng.choice(VICTIMS)
        stack.procs[name].kill()
        kills[name] += 1
        stop.wait(rng.uniform(0.1, 1.0))
        stack.procs[name].start()
        if name == "api":
            wait_http(stack.url("/health"), 120)


async def decide_once(http: httpx.AsyncClient, request_id: str, acked: dict[str, str]) -> bool:
    """POST the decision with its key once; True when it is settled (200 or a final refusal)."""
    try:
        answer = await http.post(
            f"/api/v1/approvals/{request_id}/decisions",
            json={"outcome": "approve", "comment": "Sesuai."},
            headers={"Idempotency-Key": f"chaos-{request_id}"},
        )
    except httpx.HTTPError:
        return False
    if answer.status_code == 200:
        acked[request_id] = answer.json()["decision_id"]
        return True
    if answer.status_code >= 500 or answer.status_code in RETRIED:
        return False
    if answer.status_code == 409 and "idempotency-key-in-use" in answer.text:
        return False
    refused[f"{answer.status_code} {answer.json().get('type', '').rsplit('/', 1)[-1]}"] += 1
    return True


async def send_all(stack: Stack, ids: list[str], acked: dict[str, str]) -> None:
    """Every decision, CLIENTS at a time; one not settled goes to the back of the queue."""
    queue = deque((request_id, time.monotonic() + GIVE_UP_AFTER) for request_id in ids)
    async with head_client(stack) as http:

        async def client() -> None:
            while queue:
                request_id, deadline = queue.popleft()
                if await decide_once(http, request_id, acked):
                    continue
                if time.monotonic() > deadline:
                    refused["gave-up"] += 1
                    continue
                queue.append((request_id, deadline))
                await asyncio.sleep(0.05)

        await asyncio.gather(*(client() for _ in range(CLIENTS)))


async def prepare(stack: Stack, count: int) -> list[str]:
    """Start ``count`` approvals and wait until each has its step open."""
    client = await Client.connect(stack.settings.temporal_target)
    ids = await start_approvals(client, stack.settings.temporal_task_queue, count)
    async with head_client(stack) as http:
        await wait_open(http, ids, within=1800)
    return ids


def decisions_in(store: EventStore) -> Counter[tuple[str, str]]:
    """How often each (request, decision id) was recorded."""
    found: Counter[tuple[str, str]] = Counter()
    position = 0
    while batch := store.recorder.select_notifications(
        start=position, limit=1000, inclusive_of_start=False
    ):
        for n in batch:
            if n.topic.endswith(".DecisionRecorded"):
                state = json.loads(n.state)
                found[(str(n.originator_id), str(state.get("decision_id")))] += 1
        position = batch[-1].id
    return found


def views_differing(store: EventStore) -> int:
    """Views whose live content differs from a rebuild from the log."""
    runner = ProjectionRunner(store, all_views())
    runner.catch_up()
    runner.viewstore.close()
    viewstore = ViewStore(store)
    try:
        live = {v.name: checksum(viewstore, v) for v in all_views()}
        rebuild(store)
        rebuilt = {v.name: checksum(viewstore, v) for v in all_views()}
    finally:
        viewstore.close()
    return sum(1 for name in live if live[name] != rebuilt[name])


def main() -> int:
    """Run the fault test; the exit status."""
    parser = argparse.ArgumentParser(prog="python -m bench.chaos", description=__doc__)
    parser.add_argument("--approvals", type=int, default=1000)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    logging.getLogger("httpx").setLevel(logging.WARNING)
    stack = reference_stack("chaos")
    kills: Counter[str] = Counter()
    acked: dict[str, str] = {}
    started = time.monotonic()
    try:
        stack.start_temporal()
        stack.start_worker()
        stack.start_projector()
        stack.start_api()
        print(f"starting {args.approvals} approvals ...", flush=True)
        ids = asyncio.run(prepare(stack, args.approvals))
        stop = threading.Event()
        thread = threading.Thread(target=killer, args=(stack, stop, kills), daemon=True)
        thread.start()
        print("sending decisions while killing processes ...", flush=True)
        asyncio.run(send_all(stack, ids, acked))
        stop.set()
        thread.join()
    finally:
        stack.stop()
    return report(
        stack.settings.event_store_url, args.approvals, acked, kills, time.monotonic() - started
    )


def report(
    url: str, approvals: int, acked: dict[str, str], kills: Counter[str], seconds: float
) -> int:
    """Count and print; the exit status."""
    store = EventStore(url)
    try:
        recorded = decisions_in(store)
        per_request = Counter(request for request, _ in recorded.elements())
        missing = sum(1 for r, d in acked.items() if recorded[(r, d)] == 0)
        duplicated = sum(n - 1 for n in per_request.values() if n > 1)
        differing = views_differing(store)
    finally:
        store.close()
    print(f"acknowledged decisions: {len(acked)} in {seconds:.0f} s; kills: {dict(kills)}")
    print(f"not acknowledged (final answer or gave up): {dict(refused)}")
    print(f"missing acknowledged decisions: {missing}")
    print(f"duplicated decisions: {duplicated}")
    print(f"read models differing from a rebuild: {differing}")
    RESULT.write_text(
        json.dumps(
            {
                "approvals": approvals,
                "acknowledged": len(acked),
                "not_acknowledged": dict(refused),
                "kills": dict(kills),
                "seconds": round(seconds),
                "missing": missing,
                "duplicated": duplicated,
                "differing_views": differing,
            },
            indent=2,
        )
        + "\n"
    )
    return 1 if missing or duplicated or differing else 0


if __name__ == "__main__":
    sys.exit(main())
