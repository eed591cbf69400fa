"""Row 1: one command saving one event, against the library alone and a raw committed row."""

from __future__ import annotations

import sqlite3
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import psycopg
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from bench.report import Row, Stat
from bench.stores import postgres_url, sqlite_url
from domain.organisation import OrganisationApplication
from domain.shared import Actor
from infra.chain import ChainedSQLiteApplicationRecorder
from infra.store import EventStore, environment_for

RECORDER = Actor("sekretariat.diskominfo", "staff", datetime(2024, 1, 2, 9, tzinfo=UTC))


class Thing(Aggregate):
    """A plain aggregate with one created event, like a registered person."""

    @event("Registered")
    def __init__(self, nip: str, name: str) -> None:
        self.nip = nip
        self.name = name


class PlainApp(Application):
    """A plain eventsourcing application, the library's own recorder (no hash chain)."""

    name = "plainbench"


def plain_env(url: str) -> dict[str, str]:
    """The same database settings as Jejak's store, minus the chained recorder."""
    env = environment_for(url)
    env.pop("APPLICATION_RECORDER_TOPIC", None)
    return env


def rate(save: Callable[[int], object], count: int) -> float:
    """Saves per second over ``count`` calls."""
    started = time.perf_counter()
    for i in range(count):
        save(i)
    return count / (time.perf_counter() - started)


def nip(run: int, i: int) -> str:
    """A valid, unique 18-digit NIP: birth day per run, appointment month and serial per call."""
    born = (date(1960, 1, 1) + timedelta(days=run)).strftime("%Y%m%d")
    year, month = 2000 + (i // 12_000) % 20, (i // 1000) % 12 + 1
    return f"{born}{year}{month:02d}1{i % 1000:03d}"


def jejak_rate(url: str, run: int, count: int) -> float:
    """``OrganisationApplication.register_person``: one event, chained, per call."""
    store = EventStore(url)
    try:
        app = store.app(OrganisationApplication)
        return rate(lambda i: app.register_person(nip(run, i), "Bench", by=RECORDER), count)
    finally:
        store.close()


#: Commands saved at the same time in the group-commit row (an API's or a worker's threads).
WRITERS = 16


def grouped_rate(url: str, run: int, count: int) -> tuple[float, float]:
    """``register_person`` from ``WRITERS`` threads at once; events/s and the median group."""
    store = EventStore(url)
    try:
        app = store.app(OrganisationApplication)
        with ThreadPoolExecutor(WRITERS) as pool:
            started = time.perf_counter()
            calls = [
                pool.submit(app.register_person, nip(run, i), "Bench", by=RECORDER)
                for i in range(count)
            ]
            for call in calls:
                call.result()
            seconds = time.perf_counter() - started
        recorder = store.recorder
        assert isinstance(recorder, ChainedSQLiteApplicationRecorder)
        return count / seconds, statistics.median(recorder.group.sizes or [1])
    finally:
        store.close()


def group_commit_row(runs: int, count: int) -> list[Row]:
    """The moonshot row: concurrent commands group-committed against one row per commit."""
    ours, raw, groups = [], [], []
    for run in range(runs):
        url = sqlite_url("group")
        rate_of, group = grouped_rate(url, 100 + run, count)
        ours.append(rate_of)
        groups.append(group)
        raw.append(raw_sqlite_rate(url, count))
    row = Row(
        "1. Group commit, SQLite",
        Stat.of(ours),
        "ev/s",
        Stat.of(raw),
        "raw one row per commit",
        ">= 1.0x raw",
        notes=(
            f"{count} register_person commands per run from {WRITERS} threads at once, each "
            "its own event, atomic and conflict-checked (a savepoint each), hash-chained; "
            "saves that arrive while a commit runs are committed together by the next one "
            f"(median group {statistics.median(groups):.0f} commands). Baseline: one INSERT "
            "and COMMIT per row from one thread (WAL, synchronous=FULL), the same database."
        ),
    )
    row.passed = (row.ratio or 0) >= 1.0
    return [row]


def plain_rate(url: str, run: int, count: int) -> float:
    """A plain application saving one new aggregate per call."""
    app = PlainApp(plain_env(url))
    try:
        return rate(lambda i: app.save(Thing(nip(run, i), "Bench")), count)
    finally:
        app.close()


def raw_sqlite_rate(url: str, count: int) -> float:
    """sqlite3 inserting and committing one row per call (WAL, synchronous=FULL)."""
    path = environment_for(url)["SQLITE_DBNAME"]
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE IF NOT EXISTS raw (id INTEGER PRIMARY KEY, body BLOB)")
    body = b"x" * 300

    def save(_: int) -> None:
        conn.execute("BEGIN")
        conn.execute("INSERT INTO raw (body) VALUES (?)", (body,))
        conn.execute("COMMIT")

    try:
        return rate(save, count)
    finally:
        conn.close()


def raw_postgres_rate(url: str, count: int) -> float:
    """psycopg inserting and committing one row per call."""
    parts = urlsplit(url)
    host = parse_qs(parts.query).get("host", ["localhost"])[-1]
    conn = psycopg.connect(dbname=parts.path.lstrip("/"), host=host, user="postgres")
    conn.execute("CREATE TABLE IF NOT EXISTS raw (id BIGSERIAL PRIMARY KEY, body BYTEA)")
    conn.commit()
    body = b"x" * 300

    def save(_: int) -> None:
        conn.execute("INSERT INTO raw (body) VALUES (%s)", (body,))
        conn.commit()

    try:
        return rate(save, count)
    finally:
        conn.close()


def measure(database: str, runs: int, count: int) -> list[Row]:
    """The write-path rows of ``database`` (sqlite or postgres)."""
    url = sqlite_url("write") if database == "sqlite" else postgres_url("write")
    ours, plain, raw = [], [], []
    for run in range(runs):
        ours.append(jejak_rate(url, run, count))
        plain.append(plain_rate(url, run, count))
        if database == "sqlite":
            raw.append(raw_sqlite_rate(url, count))
        else:
            raw.append(raw_postgres_rate(url, count))
    label = "SQLite" if database == "sqlite" else "PostgreSQL"
    row = Row(
        f"1. Write path, {label}",
        Stat.of(ours),
        "ev/s",
        Stat.of(plain),
        "plain eventsourcing",
        ">= 0.8x plain",
        notes=(
            f"{count} commands per run, one event and one transaction each "
            "(OrganisationApplication.register_person, hash-chained); baseline: a plain "
            "eventsourcing Application saving one new aggregate with the library's recorder "
            "on the same database settings."
        ),
    )
    row.passed = (row.ratio or 0) >= 0.8
    raw_row = Row(
        f"1. Raw commit, {label}",
        Stat.of(raw),
        "rows/s",
        notes="One INSERT and COMMIT per row"
        + (" (WAL, synchronous=FULL)" if database == "sqlite" else "")
        + ": the floor the database sets; Jejak's rate over this is "
        + f"{Stat.of(ours).median / Stat.of(raw).median:.2f}x.",
    )
    return [row, raw_row]
