"""``python -m bench``: run every row, print one table, write docs/benchmarks.{json,md}."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

import structlog
from rich.console import Console

from bench import approvals, fuzz, lag, queries, replay, scale, scaleout, starter, write_path
from bench.cities import generate
from bench.fault_rows import connections_rows, faults_row
from bench.report import Row, load_rows, machine, merged, table, write
from bench.stack import reference_stack
from bench.stores import fresh_dir, postgres_url, postgres_version, sqlite_url
from infra.store import EventStore
from workflows.starter.loop import IN_FLIGHT

DOCS = Path(__file__).resolve().parent.parent / "docs"
BOUNDS = Path(__file__).resolve().parent / "bounds.md"


#: The rows each part writes, by name prefix (a partial run replaces them).
OWNS = {
    "4. state as of": "4. State as of",
    "5. queries": "5. Query",
    "7b. Connections (make chaos-pg)": "7b. ",
    "9. scale-out, PostgreSQL": "9. Scale-out",
}


def options() -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="repetitions per figure")
    parser.add_argument("--cities", type=int, default=50, help="largest scale step")
    parser.add_argument("--events-per-city", type=int, default=20000, help="scale step cities")
    parser.add_argument("--approvals", type=int, default=64, help="decisions per run")
    parser.add_argument("--query-seconds", type=float, default=10, help="wrk time per run")
    parser.add_argument("--docs", type=Path, default=DOCS)
    parser.add_argument(
        "--only",
        nargs="+",
        default=None,
        help="run only the parts whose label starts so (e.g. '5.' '4. state'); their rows "
        "replace the same rows of the existing docs/benchmarks.json, the rest are kept",
    )
    return parser.parse_args()


def main() -> None:
    """Run the suite."""
    args = options()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    logging.getLogger("httpx").setLevel(logging.WARNING)
    console = Console(width=180)
    rows: list[Row] = []
    started = time.monotonic()
    chosen = [
        (label, part)
        for label, part in parts(args)
        if args.only is None or any(label.startswith(o) for o in args.only)
    ]
    for label, part in chosen:
        console.print(f"[dim]{time.monotonic() - started:6.0f} s[/] {label}")
        try:
            rows += part()
        except Exception as exc:  # one broken part must not hide the others' figures
            console.print(f"[red]{label} failed: {exc!r}[/]")
    info = machine(postgres_version())
    info["suite_seconds"] = f"{time.monotonic() - started:.0f}"
    if args.only is not None:  # a partial run: its rows replace the same rows of the last full run
        earlier, before = load_rows(args.docs / "benchmarks.json")
        owned = [OWNS.get(label, label) for label, _ in chosen]
        rows = merged(earlier, rows, owned + [r.name for r in rows])
        # Each partial run since the last full one, and the load it started under.
        this = ", ".join(label for label, _ in chosen)
        this += f" (load {info['load_average_1m_at_start']})"
        info["partial_runs"] = "; ".join(filter(None, [before.get("partial_runs", ""), this]))
    console.print(table(rows))
    write(rows, info, args.docs, BOUNDS.read_text())
    console.print(f"wrote {args.docs / 'benchmarks.md'} and benchmarks.json")


def parts(args: argparse.Namespace) -> list[tuple[str, Callable[[], list[Row]]]]:
    """Each part of the suite, in order."""
    runs = args.runs
    # Cities of --events-per-city beside the reference city, at each scale step.
    steps = sorted({0, args.cities // 10, args.cities})
    return [
        ("1. write path, SQLite", lambda: write_path.measure("sqlite", runs, 1000)),
        ("1. write path, PostgreSQL", lambda: write_path.measure("postgres", runs, 1000)),
        ("1. group commit, SQLite", lambda: write_path.group_commit_row(runs, 1000)),
        ("3-4. rebuild and verified replay, SQLite", lambda: log_rows("sqlite", runs)),
        ("3-4. rebuild and verified replay, PostgreSQL", lambda: log_rows("postgres", 3)),
        ("4. state as of", lambda: as_of(runs)),
        (
            "3. live lag, SQLite",
            lambda: [lag.lag_row(lambda: sqlite_url("lag"), "SQLite", 3, 100, 250)],
        ),
        (
            "3. live lag, PostgreSQL",
            lambda: [lag.lag_row(lambda: postgres_url("lag"), "PostgreSQL", 3, 100, 50)],
        ),
        ("2. approvals", lambda: approval_rows(3, args.approvals)),
        ("2. starter", lambda: starter.starter_rows(3, IN_FLIGHT)),
        (
            "5. queries",
            lambda: queries.query_rows(fresh_dir("queries"), 3, args.query_seconds),
        ),
        # Apart, so that one database's rows can be measured again on their own.
        ("6. scale, SQLite", lambda: scale.scale_rows("sqlite", steps, args.events_per_city, 50)),
        (
            "6. scale, PostgreSQL",
            lambda: scale.scale_rows("postgres", steps, args.events_per_city, 50),
        ),
        # Rows 7, 7b and 8 read the counts of the last `make chaos`, `make chaos-pg` and
        # `make fuzz` (run apart).
        ("7. Faults (make chaos)", faults_row),
        ("7b. Connections (make chaos-pg)", connections_rows),
        ("8. Fuzz (make fuzz)", fuzz.fuzz_row),
        (
            "9. scale-out, PostgreSQL",
            lambda: scaleout.scaleout_rows(
                2, runs=3, count=args.approvals, seconds=args.query_seconds
            ),
        ),
    ]


def log_rows(database: str, runs: int) -> list[Row]:
    """Rebuild and verify over ten cities."""
    url = sqlite_url("log") if database == "sqlite" else postgres_url("log")
    store = EventStore(url)
    try:
        generate(store, 10, 2000)
        return replay.log_rows(store, runs, "SQLite" if database == "sqlite" else "PostgreSQL")
    finally:
        store.close()


def as_of(runs: int) -> list[Row]:
    """State as of over the reference city."""
    store = EventStore(sqlite_url("asof"))
    try:
        cities = generate(store, 1, 0)
        return replay.as_of_rows(store, cities.milestones[0][0][0], runs, 20)
    finally:
        store.close()


def approval_rows(runs: int, count: int) -> list[Row]:
    """The approvals row over a real stack."""
    stack = reference_stack("approvals")
    try:
        stack.start_temporal()
        stack.start_worker()
        stack.start_api()
        return asyncio.run(approvals.measure(stack, runs, count))
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
