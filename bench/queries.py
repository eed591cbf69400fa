"""Row 5: queries under wrk beside a trivial endpoint (row 6, as the log grows: bench.scale)."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from api.auth import Role, sign_dev_token
from bench import wrk
from bench.cities import generate
from bench.report import Row, Stat
from bench.stack import Proc, Stack, free_port, serve_command, wait_http
from infra.scenario import personas
from infra.store import EventStore
from projections.engine.days import DEADLINE_DAYS, INBOX_DAYS, DayRefresher, deployment_city
from projections.engine.registry import all_views
from projections.engine.runner import ProjectionRunner

ENDPOINTS = (
    "/api/v1/status/aspects",
    "/api/v1/status/programs",
    "/api/v1/deadlines?state=overdue",
    "/api/v1/me/inbox",
)


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
        # What the projector's day refresher does: count working days late and left for today.
        days = DayRefresher(store, [DEADLINE_DAYS, INBOX_DAYS], deployment_city(store, ""))
        days.tick()
        days.viewstore.close()
        return url, found.events, str(found.plans[0])
    finally:
        store.close()


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


def token_of(stack: Stack, path: str = "") -> str:
    """A dev token that may read ``path``: an OPD head for the inbox, else the inspectorate."""
    if path.startswith("/api/v1/me/"):
        return sign_dev_token(
            stack.settings, personas.OPD_HEAD, Role.OPD_HEAD, personas.OPD_HEAD_OPD
        )
    return sign_dev_token(
        stack.settings, personas.INSPECTORATE, Role.INSPECTORATE, personas.INSPECTORATE_OPD
    )


def query_rows(data_dir: Path, runs: int, seconds: float) -> list[Row]:
    """Each endpoint under wrk beside the trivial endpoint, alternating in the same run."""
    url, events, _ = build_store(data_dir, 1, 0)
    stack = Stack(data_dir, url)
    trivial = Proc(
        "trivial",
        serve_command("bench.trivial:create_app", free_port()),
        stack.env,
        data_dir / "trivial.log",
    )
    trivial_url = f"http://127.0.0.1:{trivial.command[-1]}/ping"
    script = wrk.write_script(data_dir)
    try:
        stack.start_temporal()
        stack.start_api()
        trivial.start()
        wait_http(trivial_url, 60)
        watch = {name: proc.pid for name, proc in stack.procs.items()}
        watch["trivial"] = trivial.pid
        idle = wrk.rss_mib(watch)
        sizes = {p: _size(stack.url(p), token_of(stack, p)) for p in ENDPOINTS}
        rows = []
        for path in ENDPOINTS:
            token = token_of(stack, path)
            pairs = [
                (
                    wrk.run(trivial_url, token, seconds, script, watch),
                    wrk.run(stack.url(path), token, seconds, script, watch),
                )
                for _ in range(runs)
            ]
            rows.append(_query_row(path, seconds, pairs, events, idle, sizes[path]))
        return rows
    finally:
        trivial.stop()
        stack.stop()


def _query_row(
    path: str,
    seconds: float,
    pairs: list[tuple[wrk.Load, wrk.Load]],
    events: int,
    idle: dict[str, float],
    size: int,
) -> Row:
    base, ours = [b for b, _ in pairs], [o for _, o in pairs]
    p99, base_p99 = Stat.of([o.p99_ms for o in ours]), Stat.of([b.p99_ms for b in base])
    failures = sum(o.failures for o in ours)
    loaded = {k: max(o.rss_mib.get(k, 0.0) for o in ours) for k in idle}
    row = Row(
        f"5. Query {path}",
        Stat.of([o.rate for o in ours]),
        "req/s",
        Stat.of([b.rate for b in base]),
        "trivial FastAPI endpoint",
        ">= 0.5x trivial, p99 <= 2x trivial's",
        notes=(
            f"wrk, {wrk.CONNECTIONS} connections, {wrk.THREADS} threads, {seconds:g} s per "
            f"run, each run of this path right after one of the trivial endpoint; one uvicorn "
            f"server each (same settings); reference city ({events:,} events), read models "
            f"caught up; {size} rows per answer, kept by the API after the first request (no "
            f"event during the run: each request is authenticated, authorised and checks the "
            f"views' state, then gets the kept bytes; cold answers: row 6). p50 "
            f"{Stat.of([o.p50_ms for o in ours]).text('ms')}, p99 "
            f"{p99.text('ms')} (trivial p50 {Stat.of([b.p50_ms for b in base]).text('ms')}, "
            f"p99 {base_p99.text('ms')}); wrk's CPU share of the machine "
            f"{_share(ours)} (trivial {_share(base)}); non-2xx or socket errors: {failures}. "
            f"RSS idle / under load: {_rss(idle, loaded)}."
        ),
        extra={
            "p50_ms": Stat.of([o.p50_ms for o in ours]).median,
            "p99_ms": p99.median,
            "trivial_p99_ms": base_p99.median,
            "wrk_cpu_share": Stat.of([o.cpu_share for o in ours]).median,
            "rss_idle_mib": idle,
            "rss_load_mib": loaded,
            "failures": failures,
        },
    )
    row.passed = (row.ratio or 0) >= 0.5 and p99.median <= 2 * base_p99.median and not failures
    return row


def _size(url: str, token: str) -> int:
    """How many rows one answer holds (asked once, before any load)."""
    answer = httpx.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=60)
    answer.raise_for_status()
    return len(answer.json()["items"])


def _share(loads: list[wrk.Load]) -> str:
    return f"{100 * Stat.of([x.cpu_share for x in loads]).median:.0f}%"


def _rss(idle: dict[str, float], loaded: dict[str, float]) -> str:
    return ", ".join(f"{k} {idle[k]:.0f} / {loaded.get(k, 0.0):.0f} MiB" for k in idle)
