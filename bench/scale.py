"""Row 6: one million events on SQLite and on PostgreSQL (``make bench-scale``).

One store grows in steps: the reference city (1,000 events), then 5 and then 50 cities of
20,000 events beside it (101,000 and 1,001,000 events). At each step the read models catch
up, an API process serves the overviews, and each query is timed twice: cold (every
request with a parameter the route ignores, so no kept answer serves it: the query runs
over the read models each time) and kept (the same request again). After the last step
every view is rebuilt in one pass and the hash chain of the whole log is verified, in a
child process whose peak memory is reported.
"""

from __future__ import annotations

import asyncio
import json
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field

import httpx

from bench import wrk
from bench.cities import Cities, grow, start
from bench.queries import sequential, token_of
from bench.report import Row, Stat
from bench.stack import Stack
from bench.stores import fresh_dir, postgres_url, sqlite_url
from infra.store import EventStore
from projections.audit.verify import verify
from projections.engine.days import DEADLINE_DAYS, INBOX_DAYS, DayRefresher, deployment_city
from projections.engine.operations import rebuild
from projections.engine.registry import all_views
from projections.engine.runner import ProjectionRunner

#: Events of the reference city, the first step.
REFERENCE_EVENTS = 1000
PATHS = (
    "/api/v1/status/aspects?plan_id={plan}",
    "/api/v1/status/programs?plan_id={plan}",
    "/api/v1/deadlines?state=overdue",
    "/api/v1/me/inbox",
)


@dataclass
class Point:
    """What one step measured."""

    events: int
    build_s: float
    project_s: float
    cold_ms: dict[str, float] = field(default_factory=dict)
    kept_ms: dict[str, float] = field(default_factory=dict)
    api_rss_mib: float = 0.0


def scale_rows(database: str, steps: list[int], events_per_city: int, count: int) -> list[Row]:
    """The scale rows of one database: each query at every step, then rebuild and verify."""
    label = "SQLite" if database == "sqlite" else "PostgreSQL"
    url = sqlite_url("scale") if database == "sqlite" else postgres_url("scale")
    data_dir = fresh_dir(f"scale-{database}")
    store = EventStore(url)
    runner = ProjectionRunner(store, all_views())
    points: list[Point] = []
    try:
        runner.prepare()
        found = Cities()
        for more in steps:
            started = time.perf_counter()
            if not found.plans:
                found = start(store, REFERENCE_EVENTS)
            grow(store, found, more - (len(found.plans) - 1), events_per_city)
            built = time.perf_counter() - started
            point = Point(store.max_position(), built, _project(store, runner))
            _query(point, Stack(data_dir, url), str(found.plans[0]), count)
            points.append(point)
    finally:
        runner.viewstore.close()
        store.close()
    return [*(_path_row(p, label, points) for p in PATHS), _log_row(label, url, points)]


def _project(store: EventStore, runner: ProjectionRunner) -> float:
    """Seconds for the read models to catch up (and the working days to be counted)."""
    started = time.perf_counter()
    runner.catch_up()
    days = DayRefresher(store, [DEADLINE_DAYS, INBOX_DAYS], deployment_city(store, ""))
    days.tick()
    days.viewstore.close()
    return time.perf_counter() - started


def _query(point: Point, stack: Stack, plan: str, count: int) -> None:
    """Cold and kept median latency of each path, and the API's memory after them."""
    proc = stack.start_api()
    try:
        for template in PATHS:
            path = template.format(plan=plan)
            token = token_of(stack, path)
            cold = asyncio.run(_cold(stack.url(), path, token, count))
            kept = asyncio.run(sequential(stack.url(), path, token, count))
            point.cold_ms[template] = statistics.median(cold)
            point.kept_ms[template] = statistics.median(kept)
        point.api_rss_mib = wrk.rss_mib({"api": proc.pid})["api"]
    finally:
        stack.stop()


async def _cold(base: str, path: str, token: str, count: int) -> list[float]:
    """Latencies (ms) of ``count`` GETs of ``path``, each with a parameter the route ignores
    (a new key each time, so no kept answer serves it)."""
    joined = f"{path}{'&' if '?' in path else '?'}cold="
    async with httpx.AsyncClient(
        base_url=base, headers={"Authorization": f"Bearer {token}"}
    ) as http:
        (await http.get(f"{joined}-1")).raise_for_status()
        found = []
        for i in range(count):
            started = time.perf_counter()
            answer = await http.get(f"{joined}{i}")
            found.append((time.perf_counter() - started) * 1000)
            answer.raise_for_status()
        return found


def _path_row(template: str, label: str, points: list[Point]) -> Row:
    small, large = points[0], points[-1]
    path = template.split("?")[0] + ("?state=overdue" if "deadlines" in template else "")
    steps = "; ".join(
        f"{p.events:,} events: {p.cold_ms[template]:.1f} ms cold, {p.kept_ms[template]:.2f} ms kept"
        for p in points
    )
    row = Row(
        f"6. Scale {path}, {large.events:,} events, {label}",
        Stat.of([large.cold_ms[template]]),
        "ms p50 cold",
        Stat.of([small.cold_ms[template]]),
        f"{small.events:,} events",
        "flat (<= 1.5x)",
        higher_is_better=False,
        notes=(f"Sequential GETs, median latency (status for the reference city's plan): {steps}."),
        extra={
            "cold_ms": [p.cold_ms[template] for p in points],
            "events": [p.events for p in points],
        },
    )
    row.passed = large.cold_ms[template] <= 1.5 * small.cold_ms[template]
    return row


def _log_row(label: str, url: str, points: list[Point]) -> Row:
    """Full rebuild and verified replay of the largest log, in a child process."""
    found = json.loads(
        subprocess.run(
            [sys.executable, "-m", "bench.scale", url],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.splitlines()[-1]
    )
    events = found["events"]
    builds = ", ".join(
        f"{p.events:,} events: generated in {p.build_s:.0f} s, projected in {p.project_s:.0f} s,"
        f" API {p.api_rss_mib:.0f} MiB"
        for p in points
    )
    return Row(
        f"6. Rebuild all views, {events:,} events, {label}",
        Stat.of([found["rebuild_s"]]),
        "s",
        target="reported",
        higher_is_better=False,
        notes=(
            f"Every view rebuilt in one pass over {events:,} events in {found['rebuild_s']:.0f}"
            f" s ({events / found['rebuild_s']:,.0f} ev/s); verified replay (SHA-256 chain) in "
            f"{found['verify_s']:.0f} s ({events / found['verify_s']:,.0f} ev/s); peak RSS of "
            f"that process {found['rss_mib']:.0f} MiB. Steps (cumulative): {builds}."
        ),
        extra=found,
    )


def main() -> None:
    """``python -m bench.scale URL``: rebuild every view, verify the log; one JSON line."""
    store = EventStore(sys.argv[1])
    try:
        started = time.perf_counter()
        rebuild(store)
        rebuilt = time.perf_counter() - started
        started = time.perf_counter()
        report = verify(store)
        verified = time.perf_counter() - started
        if not report.ok:
            raise SystemExit(f"the log does not verify: {report.problem}")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        found = {"events": report.events_checked, "rebuild_s": rebuilt, "verify_s": verified}
        print(json.dumps({**found, "rss_mib": peak}))
    finally:
        store.close()


if __name__ == "__main__":
    main()
