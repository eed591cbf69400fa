"""``python -m bench.chaos``: decisions with Idempotency-Keys while processes get kill -9.

Sends decisions with Idempotency-Keys from 16 clients, retrying each until it is
acknowledged, while a killer thread SIGKILLs processes at random moments and starts them
again. Then counts (bench.faults): acknowledged decisions missing from the store,
duplicated decisions, read models that differ from a rebuild, keys left in flight.

Two modes:

- default: SQLite, one API, one worker, one projector; the worker, the API and the
  projector are killed (docs/chaos.json, row 7);
- ``--postgres``: a PostgreSQL server of its own (``max_connections`` 100) under
  ``--apis``/``--workers``/``--projectors`` processes; no kills unless ``--kill`` names
  victims (``database`` is its postmaster). Counts the answers of 500 and the connections
  held at peak too (docs/connections.json under ``--label``, row 7b).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import logging
import random
import signal
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import structlog
from temporalio.client import Client

from bench.approvals import CLIENTS, head_client, start_approvals, wait_open
from bench.cluster import Cluster, postgres_cluster
from bench.database import ConnectionSampler, Database
from bench.faults import Counts, Tally, count
from bench.stack import Stack, reference_stack
from bench.stores import fresh_dir

VICTIMS = ("worker", "api", "projector")
DOCS = Path(__file__).resolve().parent.parent / "docs"
#: The last run's counts, shown as row 7 by ``python -m bench``.
RESULT = DOCS / "chaos.json"
#: The PostgreSQL runs' counts by label (e.g. before and after a change), shown as row 7b.
CONNECTIONS = DOCS / "connections.json"
#: Seconds between one process being back and the next kill.
PAUSE = (2.0, 6.0)
#: Answers after which the same request is sent again (besides 5xx and a key in use).
RETRIED = frozenset({425, 429})
#: Seconds after which one decision is given up (counted, never acknowledged).
GIVE_UP_AFTER = 600.0

#: A killer: given the stack, a stop event and the run, kills and revives until stopped.
Killer = Callable[[Stack, threading.Event, "Run"], None]


@dataclass
class Run:
    """What happened during the decisions: the clients' tally, the kills, the wall time."""

    tally: Tally = field(default_factory=Tally)
    kills: Counter[str] = field(default_factory=Counter)
    #: When each victim was last brought back (time.time()).
    revived_at: dict[str, float] = field(default_factory=dict)
    killer_errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def kill_and_revive(self, stack: Stack, name: str, down: float, stop: threading.Event) -> None:
        """kill -9 ``name``, leave it down ``down`` seconds, start it again."""
        stack.kill(name)
        self.kills[name] += 1
        stop.wait(down)
        stack.revive(name)
        self.revived_at[name] = time.time()


def random_kills(victims: Sequence[str], seed: int = 7) -> Killer:
    """At random moments kill -9 one of ``victims``, start it again, let it come up; repeat."""

    def kill(stack: Stack, stop: threading.Event, run: Run) -> None:
        rng = random.Random(seed)
        while not stop.wait(rng.uniform(*PAUSE)):
            run.kill_and_revive(stack, rng.choice(victims), rng.uniform(0.1, 1.0), stop)

    return kill


def scripted_kills(plan: Sequence[tuple[int, str]], down: float = 0.5) -> Killer:
    """Kill each victim once the clients hold that many acknowledgements, then revive it."""

    def kill(stack: Stack, stop: threading.Event, run: Run) -> None:
        for threshold, name in plan:
            while len(run.tally.acked) < threshold and not stop.is_set():
                stop.wait(0.05)
            if stop.is_set():
                return  # the clients are done: a kill now would hit nothing (``kills`` says so)
            run.kill_and_revive(stack, name, down, stop)

    return kill


async def decide_once(http: httpx.AsyncClient, base: str, request_id: str, tally: Tally) -> bool:
    """POST the decision with its key once; True when it is settled (200 or a final refusal)."""
    try:
        answer = await http.post(
            f"{base}/api/v1/approvals/{request_id}/decisions",
            json={"outcome": "approve", "comment": "Sesuai."},
            headers={"Idempotency-Key": f"chaos-{request_id}"},
        )
    except httpx.HTTPError:
        tally.no_answer += 1
        return False
    if answer.status_code == 200:
        tally.acked[request_id] = answer.json()["decision_id"]
        return True
    if answer.status_code >= 500:
        tally.server_errors[answer.status_code] += 1
        return False
    if answer.status_code in RETRIED:
        return False
    if answer.status_code == 409 and "idempotency-key-in-use" in answer.text:
        return False
    is_json = "json" in answer.headers.get("content-type", "")
    problem = str(answer.json().get("type", "")) if is_json else ""
    tally.refused[f"{answer.status_code} {problem.rsplit('/', 1)[-1]}"] += 1
    return True


async def send_all(
    stack: Stack, ids: list[str], tally: Tally, give_up_after: float = GIVE_UP_AFTER
) -> None:
    """Every decision, CLIENTS at a time, spread over the APIs; one not settled goes to the
    back of the queue (and to the next API)."""
    queue = deque((request_id, time.monotonic() + give_up_after) for request_id in ids)
    bases = itertools.cycle([stack.url("", name) for name in stack.api_ports] or [stack.url()])
    async with head_client(stack) as http:

        async def client() -> None:
            while queue:
                request_id, deadline = queue.popleft()
                if await decide_once(http, next(bases), request_id, tally):
                    continue
                if time.monotonic() > deadline:
                    tally.refused["gave-up"] += 1
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


def under_faults(
    stack: Stack, ids: list[str], killer: Killer | None, give_up_after: float = GIVE_UP_AFTER
) -> Run:
    """Send every decision while ``killer`` (if any) kills and revives processes."""
    run, stop = Run(), threading.Event()

    def guarded() -> None:
        assert killer is not None
        try:
            killer(stack, stop, run)
        except Exception as exc:  # a victim that does not come back is a finding, not a hang
            run.killer_errors.append(repr(exc))

    thread = threading.Thread(target=guarded, name="killer", daemon=True)
    started = time.monotonic()
    if killer is not None:
        thread.start()
    try:
        asyncio.run(send_all(stack, ids, run.tally, give_up_after))
    finally:
        stop.set()
        if killer is not None:
            thread.join()
    run.seconds = time.monotonic() - started
    return run


def summary(approvals: int, run: Run, counts: Counts) -> dict[str, Any]:
    """The figures of a run, as docs/*.json keep them."""
    return {
        "approvals": approvals,
        "clients": CLIENTS,
        "acknowledged": len(run.tally.acked),
        "not_acknowledged": dict(run.tally.refused),
        "answers_5xx": {str(k): v for k, v in sorted(run.tally.server_errors.items())},
        "no_answer": run.tally.no_answer,
        "kills": dict(run.kills),
        "seconds": round(run.seconds),
        "missing": counts.missing,
        "duplicated": counts.duplicated,
        "differing_views": counts.differing_views,
        **counts.extra,
        "stuck_keys": counts.stuck_keys,
        "audit_verify": counts.audit_output,
    }


def print_summary(found: dict[str, Any]) -> None:
    """One line per figure."""
    for key, value in found.items():
        print(f"{key}: {value}")


def sqlite_run(approvals: int) -> int:
    """Row 7: SQLite, one process of each kind, the worker, API and projector killed."""
    stack = reference_stack("chaos")
    try:
        stack.start_temporal()
        stack.start_worker()
        stack.start_projector()
        stack.start_api()
        print(f"starting {approvals} approvals ...", flush=True)
        ids = asyncio.run(prepare(stack, approvals))
        print("sending decisions while killing processes ...", flush=True)
        run = under_faults(stack, ids, random_kills(VICTIMS))
    finally:
        stack.stop()
    counts = count(stack.settings.event_store_url, run.tally, stack.env)
    found = summary(approvals, run, counts)
    print_summary(found)
    RESULT.write_text(json.dumps(found, indent=2) + "\n")
    return 1 if counts.faults else 0


def postgres_run(args: argparse.Namespace) -> int:
    """Row 7b: the processes asked for on PostgreSQL; 500s, stuck keys, peak connections."""
    database = Database(fresh_dir("pgdata"))
    cluster: Cluster | None = None
    try:
        cluster = postgres_cluster(fresh_dir("chaos-pg"), database)
        cluster.start_all(args.apis, args.workers, args.projectors)
        print(f"starting {args.approvals} approvals ...", flush=True)
        ids = asyncio.run(prepare(cluster, args.approvals))
        victims = [v for v in args.kill.split(",") if v]
        print(f"sending decisions; killing {victims or 'nothing'} ...", flush=True)
        with ConnectionSampler(database, cluster.process_names) as sampler:
            run = under_faults(cluster, ids, random_kills(victims) if victims else None)
        cluster.stop()
        counts = count(cluster.settings.event_store_url, run.tally, cluster.env)
    finally:
        if cluster is not None:
            cluster.stop()
        database.stop()
    found = {
        "processes": {"api": args.apis, "worker": args.workers, "projector": args.projectors},
        "max_connections": 100,
        **summary(args.approvals, run, counts),
        "connections": sampler.report(),
    }
    print_summary(found)
    earlier = json.loads(CONNECTIONS.read_text()) if CONNECTIONS.exists() else {}
    earlier[args.label] = found
    CONNECTIONS.write_text(json.dumps(earlier, indent=2) + "\n")
    return 1 if counts.faults or run.tally.server_errors.get(500) else 0


def main() -> int:
    """Run the chosen mode; the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.chaos", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    parser.add_argument("--approvals", type=int, default=1000)
    parser.add_argument("--postgres", action="store_true", help="the PostgreSQL mode (row 7b)")
    parser.add_argument("--apis", type=int, default=3)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--projectors", type=int, default=2)
    parser.add_argument("--kill", default="", help="victims, e.g. worker-1,projector-2,database")
    parser.add_argument("--label", default="latest", help="name of the run in connections.json")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    logging.getLogger("httpx").setLevel(logging.WARNING)
    return postgres_run(args) if args.postgres else sqlite_run(args.approvals)


if __name__ == "__main__":
    sys.exit(main())
