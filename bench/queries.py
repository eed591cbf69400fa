"""Rows 5 and 6: status and deadline queries against a trivial endpoint; reads as cities grow."""

from __future__ import annotations

import asyncio
import statistics
import time
from pathlib import Path

import httpx

from api.auth import Role, sign_dev_token
from bench.approvals import CLIENTS, Run, concurrently
from bench.cities import generate
from bench.lag import percentile
from bench.report import Row, Stat
from bench.stack import Proc, Stack, free_port, serve_command, wait_http
from domain.scenario import personas
from infra.store import EventStore
from projections.registry import all_views
from projections.runner import ProjectionRunner

ENDPOINTS = ("/api/v1/status/aspects", "/api/v1/deadlines?state=overdue")


def build_store(data_dir: Path, cities: int, events_per_city: int) -> tuple[str, int, str]:
    """A SQLite store with ``cities`` cities, read models caught up; (url, events, first plan)."""
    url = f"sqlite:///{data_dir / 'events.db'}"
    store = EventStore(url)
    try:
        found = generate(store, cities, events_per_city)
        runner = ProjectionRunner(store, all_views())
        runner.prepare()
        runner.catch_up()
        runner.viewstore.close()
        return url, found.events, str(found.plans[0])
    finally:
        store.close()


async def load(base: str, path: str, token: str, count: int) -> Run:
    """``count`` GETs of ``path``, CLIENTS at a time."""
    limits = httpx.Limits(max_connections=CLIENTS * 2)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits) as http:
        await http.get(path)

        async def get(_: str) -> bool:
            return (await http.get(path)).status_code == 200

        return await concurrently([str(i) for i in range(count)], get)


async def sequential(base: str, path: str, token: str, count: int) -> list[float]:
    """Latencies (ms) of ``count`` GETs one after another."""
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers) as http:
        await http.get(path)
        found = []
        for _ in range(count):
            started = time.perf_counter()
            answer = await http.get(path)
            found.append((time.perf_counter() - started) * 1000)
            if answer.status_code != 200:
                raise RuntimeError(f"{path}: {answer.status_code} {answer.text[:200]}")
        return found


def token_of(stack: Stack) -> str:
    """The inspectorate's dev token: it may read status and deadlines."""
    return sign_dev_token(
        stack.settings, personas.INSPECTORATE, Role.INSPECTORATE, personas.INSPECTORATE_OPD
    )


def query_rows(data_dir: Path, runs: int, count: int) -> list[Row]:
    """Throughput and p99 of each endpoint against the trivial endpoint, same uvicorn."""
    url, events, _ = build_store(data_dir, 1, 0)
    stack = Stack(data_dir, url)
    trivial = Proc(
        "trivial",
        serve_command("bench.trivial:create_app", free_port()),
        stack.env,
        data_dir / "trivial.log",
    )
    trivial_port = int(trivial.command[-1])
    try:
        stack.start_temporal()
        stack.start_api()
        trivial.start()
        wait_http(f"http://127.0.0.1:{trivial_port}/ping", 60)
        token = token_of(stack)
        base_runs = [
            asyncio.run(load(f"http://127.0.0.1:{trivial_port}", "/ping", token, count))
            for _ in range(runs)
        ]
        return [
            _query_row(stack, path, token, runs, count, base_runs, events) for path in ENDPOINTS
        ]
    finally:
        trivial.stop()
        stack.stop()


def _query_row(
    stack: Stack, path: str, token: str, runs: int, count: int, base: list[Run], events: int
) -> Row:
    ours = [asyncio.run(load(stack.url(), path, token, count)) for _ in range(runs)]
    p99s = [percentile(r.latencies, 0.99) for r in ours]
    failures = sum(r.failures for r in ours)
    row = Row(
        f"5. Query {path}",
        Stat.of([r.rate for r in ours]),
        "req/s",
        Stat.of([r.rate for r in base]),
        "trivial FastAPI endpoint",
        ">= 0.5x trivial, p99 < 20 ms",
        notes=(
            f"{count} GETs per run, {CLIENTS} concurrent clients, one uvicorn process each "
            f"(same settings); reference city ({events:,} events), read models caught up. p99 "
            f"{Stat.of(p99s).text('ms')} (trivial "
            f"{Stat.of([percentile(r.latencies, 0.99) for r in base]).text('ms')}); "
            f"non-200 answers: {failures}. Under {CLIENTS} concurrent clients p99 includes "
            "queueing in the one server process."
        ),
        extra={"p99_ms": Stat.of(p99s).median, "failures": failures},
    )
    row.passed = (row.ratio or 0) >= 0.5 and Stat.of(p99s).median < 20 and failures == 0
    return row


def scale_rows(root: Path, sizes: list[int], events_per_city: int, count: int) -> list[Row]:
    """p50 of each endpoint at each size; flat when the largest is within 1.5x the smallest."""
    found: dict[int, dict[str, float]] = {}
    totals: dict[int, int] = {}
    for size in sizes:
        data_dir = root / f"cities-{size}"
        data_dir.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        url, events, plan = build_store(data_dir, size, events_per_city)
        built = time.perf_counter() - started
        totals[size] = events
        stack = Stack(data_dir, url)
        try:
            stack.start_temporal()
            stack.start_api()
            token = token_of(stack)
            paths = (f"{ENDPOINTS[0]}?plan_id={plan}", ENDPOINTS[1])
            found[size] = {
                p.split("?")[0]: statistics.median(
                    asyncio.run(sequential(stack.url(), p, token, count))
                )
                for p in paths
            }
            found[size]["build_s"] = built
        finally:
            stack.stop()
    return [_scale_row(path.split("?")[0], sizes, found, totals) for path in ENDPOINTS]


def _scale_row(
    path: str, sizes: list[int], found: dict[int, dict[str, float]], totals: dict[int, int]
) -> Row:
    small, large = found[sizes[0]][path], found[sizes[-1]][path]
    points = ", ".join(
        f"{s} {'city' if s == 1 else 'cities'} ({totals[s]:,} events): {found[s][path]:.1f} ms"
        for s in sizes
    )
    row = Row(
        f"6. Scale {path}, {sizes[-1]} cities",
        Stat.of([large]),
        "ms p50",
        Stat.of([small]),
        f"{sizes[0]} city",
        "flat (<= 1.5x)",
        higher_is_better=False,
        notes=f"Sequential GETs, median latency: {points}. "
        + ("Status is asked for one plan (plan_id); " if "status" in path else "")
        + "build (generate + project) times: "
        + ", ".join(f"{s}: {found[s]['build_s']:.0f} s" for s in sizes)
        + ".",
        extra={"points": found, "events": totals},
    )
    row.passed = large <= 1.5 * small
    return row
