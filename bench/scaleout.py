"""Row 9: N APIs + N workers against 1 + 1 on PostgreSQL, in the same run, and the costs
docs/capacity.md is built on, measured in the same runs: CPU per decision and per query of
each process kind (from /proc), events per decision, bytes per event in the store, and the
connections each process kind holds (pg_stat_activity).

The N API processes are uvicorn's (``JEJAK_API_WORKERS``) behind one port, as an operator
runs them on one host, so one wrk and one set of clients drive either size.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass, field
from typing import Any

import httpx
import psycopg
from temporalio.client import Client

from bench import wrk
from bench.approvals import CLIENTS, decide_all, head_client, start_approvals, wait_open
from bench.cluster import Cluster, postgres_cluster
from bench.database import ConnectionSampler, Database
from bench.queries import token_of
from bench.report import Row, Stat
from bench.stores import fresh_dir
from infra.store import EventStore

#: The query of the row (the inspectorate's status per aspect).
QUERY = "/api/v1/status/aspects"
KINDS = ("api", "worker", "projector", "temporal", "database")


@dataclass
class Size:
    """What one cluster size measured: rates per run, CPU ms per unit by process kind."""

    apis: int
    workers: int
    decisions: list[float] = field(default_factory=list)
    queries: list[float] = field(default_factory=list)
    cpu_per_decision: dict[str, float] = field(default_factory=dict)
    cpu_per_query: dict[str, float] = field(default_factory=dict)
    cpu_per_start: dict[str, float] = field(default_factory=dict)
    events_per_decision: float = 0.0
    events_per_start: float = 0.0
    storage: dict[str, float] = field(default_factory=dict)
    connections: dict[str, Any] = field(default_factory=dict)
    failures: int = 0


def cpu_by_kind(cluster: Cluster) -> dict[str, float]:
    """CPU seconds used so far by each kind of process (with its child processes)."""
    pids = {name: proc.pid for name, proc in cluster.procs.items()}
    pids["database"] = cluster.database.pid
    found = dict.fromkeys(KINDS, 0.0)
    for name, pid in pids.items():
        kind = next(k for k in KINDS if name.startswith(k))
        for each in wrk.descendants(pid):
            try:
                found[kind] += wrk.cpu_seconds(each)
            except OSError:  # a process that ended between the listing and the reading
                continue
    return found


def per_unit(before: dict[str, float], after: dict[str, float], units: int) -> dict[str, float]:
    """CPU milliseconds per unit by kind, and their total."""
    found = {k: 1000 * (after[k] - before[k]) / max(units, 1) for k in KINDS}
    found["total"] = sum(found.values())
    return found


def storage(url: str) -> dict[str, float]:
    """Bytes per event in the events table (with its indexes), in the hash chain, and in
    the whole database (read models, keys, checkpoints and all) beyond an empty one."""
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT (SELECT count(*) FROM jejak_events),"
            " pg_total_relation_size('jejak_events'), pg_total_relation_size('event_chain'),"
            " pg_database_size(current_database()) - pg_database_size('template1')"
        ).fetchone()
    assert row is not None
    events = int(row[0])
    return {
        "events": events,
        "events_table_bytes_per_event": row[1] / events,
        "chain_bytes_per_event": row[2] / events,
        "database_bytes_per_event": row[3] / events,
    }


async def drive(cluster: Cluster, size: Size, runs: int, count: int, seconds: float) -> None:
    """``runs`` rounds of ``count`` decisions, then ``runs`` wrk runs of the query."""
    client = await Client.connect(cluster.settings.temporal_target)
    store = EventStore(cluster.settings.event_store_url)
    script = wrk.write_script(cluster.data_dir)
    try:
        async with head_client(cluster) as http:
            for _ in range(runs):
                cpu, position = cpu_by_kind(cluster), store.max_position()
                ids = await start_approvals(client, cluster.settings.temporal_task_queue, count)
                await wait_open(http, ids)
                size.cpu_per_start = per_unit(cpu, cpu_by_kind(cluster), count)
                size.events_per_start = (store.max_position() - position) / count
                cpu, position = cpu_by_kind(cluster), store.max_position()
                run = await decide_all(http, ids)
                size.cpu_per_decision = per_unit(cpu, cpu_by_kind(cluster), count)
                size.events_per_decision = (store.max_position() - position) / count
                size.decisions.append(run.rate)
                size.failures += run.failures
        token = token_of(cluster, QUERY)
        # The query answers 200 before the load starts (a broken query would measure errors).
        (await http_get(cluster.url(QUERY), token)).raise_for_status()
        for _ in range(runs):
            cpu = cpu_by_kind(cluster)
            load = await asyncio.to_thread(wrk.run, cluster.url(QUERY), token, seconds, script)
            requests = round(load.rate * seconds)
            size.cpu_per_query = per_unit(cpu, cpu_by_kind(cluster), requests)
            size.queries.append(load.rate)
            size.failures += load.failures
    finally:
        store.close()
    size.storage = storage(cluster.settings.event_store_url)


async def http_get(url: str, token: str) -> httpx.Response:
    """One GET with a bearer token."""
    async with httpx.AsyncClient(timeout=60) as http:
        return await http.get(url, headers={"Authorization": f"Bearer {token}"})


def measure(n: int, runs: int, count: int, seconds: float) -> list[Size]:
    """1 API + 1 worker, then ``n`` + ``n``, each over a fresh database of one server."""
    database = Database(fresh_dir("pgdata"))
    found = []
    try:
        for apis in (1, n):
            size = Size(apis, apis)
            cluster = postgres_cluster(fresh_dir(f"scale-{apis}"), database)
            cluster.env["JEJAK_API_WORKERS"] = str(apis)
            try:
                cluster.start_all(apis=1, workers=apis, projectors=1)
                with ConnectionSampler(database, cluster.process_names) as sampler:
                    asyncio.run(drive(cluster, size, runs, count, seconds))
                size.connections = sampler.report()
            finally:
                cluster.stop()
            found.append(size)
    finally:
        database.stop()
    return found


def scaleout_rows(n: int, runs: int, count: int, seconds: float) -> list[Row]:
    """Decisions/s and the query's req/s of n + n against 1 + 1."""
    one, many = measure(n, runs, count, seconds)
    costs = {"1+1": vars(one), f"{n}+{n}": vars(many)}
    used = {
        label: Stat.of(size.decisions).median * size.cpu_per_decision["total"] / 1000
        for label, size in (("1+1", one), (f"{n}+{n}", many))
    }
    bound = (
        f"the {os.cpu_count()} cores, shared by every process (APIs, workers, projector, Temporal, "
        "PostgreSQL, the clients) and by other work on the machine (load average in the "
        "machine section); the decisions kept "
        + " and ".join(f"{cores:.2f} cores busy with {label}" for label, cores in used.items())
        + ", so the rest of the time went to waiting (Temporal round trips, one event loop "
        "per API process, the activity threads of each worker), which more processes overlap"
    )
    return [
        Row(
            f"9. Scale-out: decisions, {n} APIs + {n} workers",
            Stat.of(many.decisions),
            "/s",
            Stat.of(one.decisions),
            "1 API + 1 worker",
            "more than 1+1 where cores allow",
            notes=(
                f"PostgreSQL, {count} decisions per run from {CLIENTS} clients, one projector; "
                f"{n} uvicorn processes behind one port and {n} worker processes. Bounded by "
                f"{bound}. CPU ms per decision by process kind, 1+1: "
                f"{_ms(one.cpu_per_decision)}; {n}+{n}: {_ms(many.cpu_per_decision)}. "
                f"Non-200 answers: {one.failures} / {many.failures}."
            ),
            extra={**costs, "cores_busy": used},
        ),
        Row(
            f"9. Scale-out: query {QUERY}, {n} API processes",
            Stat.of(many.queries),
            "req/s",
            Stat.of(one.queries),
            "1 API process",
            "more than 1 where cores allow",
            notes=(
                f"wrk, {wrk.CONNECTIONS} connections, {seconds:g} s per run, same run as the "
                f"decisions. CPU ms per query, 1: {_ms(one.cpu_per_query)}; {n}: "
                f"{_ms(many.cpu_per_query)}. Peak connections held, 1+1: "
                f"{one.connections.get('peak_by_kind')}; {n}+{n}: "
                f"{many.connections.get('peak_by_kind')}."
            ),
        ),
    ]


def _ms(found: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.1f}" for k, v in found.items())
