"""What a fault run checks once its clients are done: each acknowledged decision recorded
once, no Idempotency-Key left in flight, every view equal to a rebuild, the audit chain
verified by ``jejak audit verify``, and checkpoints signed after the database came back."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from api.idempotency_store import TABLE as KEYS_TABLE
from infra.store import EventStore
from projections.audit.checkpoints import latest_checkpoint
from projections.engine.days import DEADLINE_DAYS, INBOX_DAYS, DayRefresher, deployment_city
from projections.engine.operations import checksum, rebuild, status
from projections.engine.registry import all_views
from projections.engine.runner import ProjectionRunner
from projections.engine.viewstore import ViewStore


@dataclass
class Tally:
    """What the clients saw: acknowledged decisions, final refusals, answers of 5xx."""

    #: request id -> the decision id of its 200.
    acked: dict[str, str] = field(default_factory=dict)
    #: Answers that ended a decision without an acknowledgement, by status and problem type.
    refused: Counter[str] = field(default_factory=Counter)
    #: Every answer of 500 or more, by status (the request was sent again).
    server_errors: Counter[int] = field(default_factory=Counter)
    #: Requests that got no answer at all (connection refused or cut).
    no_answer: int = 0


@dataclass
class Counts:
    """The verdict of a run; ``faults`` says how many things went wrong."""

    missing: int
    duplicated: int
    differing_views: int
    stuck_keys: int
    audit_ok: bool
    audit_output: str
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def faults(self) -> int:
        """Missing + duplicated + differing views + stuck keys (+1 when verify failed)."""
        broken = self.missing + self.duplicated + self.differing_views + self.stuck_keys
        return broken + (0 if self.audit_ok else 1)

    def as_dict(self) -> dict[str, Any]:
        """For docs/*.json."""
        return asdict(self)


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


def views_lag(store: EventStore) -> int:
    """How far the view furthest behind is from the head of the log."""
    return max((row["lag"] for row in status(store)), default=0)


def views_differing(store: EventStore, catch_up: bool = True) -> list[str]:
    """Views whose content differs from a rebuild from the log (after catching up, unless the
    projectors were seen to catch up by themselves)."""
    if catch_up:
        runner = ProjectionRunner(store, all_views())
        runner.catch_up()
        runner.viewstore.close()
    viewstore = ViewStore(store)
    try:
        recount_days(store)
        live = {v.name: checksum(viewstore, v) for v in all_views()}
        rebuild(store)
        recount_days(store)
        rebuilt = {v.name: checksum(viewstore, v) for v in all_views()}
    finally:
        viewstore.close()
    return sorted(name for name in live if live[name] != rebuilt[name])


def recount_days(store: EventStore) -> None:
    """Count the working days of the board and the inbox afresh for today, as the projector
    does when the day changes: they follow the calendar's today, not the log, so a rebuild
    leaves them empty and the live ones keep days no longer asked for."""
    refresher = DayRefresher(store, [DEADLINE_DAYS, INBOX_DAYS], deployment_city(store, ""))
    try:
        refresher.tick()
    finally:
        refresher.viewstore.close()


def stuck_keys(store: EventStore) -> int:
    """Idempotency-Keys still claimed without an answer (status NULL) in the store."""
    if store.is_postgres:
        import psycopg

        with psycopg.connect(store.url) as conn:
            row = conn.execute(f"SELECT count(*) FROM {KEYS_TABLE} WHERE status IS NULL").fetchone()
    else:
        import sqlite3

        with sqlite3.connect(store.env["SQLITE_DBNAME"]) as conn:
            row = conn.execute(f"SELECT count(*) FROM {KEYS_TABLE} WHERE status IS NULL").fetchone()
    return int(row[0]) if row else 0


def audit_verify(env: dict[str, str]) -> tuple[bool, str]:
    """``jejak audit verify`` as an operator runs it: (exit status 0, what it printed)."""
    done = subprocess.run(
        [sys.executable, "-m", "jejak", "audit", "verify"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return done.returncode == 0, (done.stdout + done.stderr).strip()


def signed_after(store: EventStore, moment: float) -> bool:
    """True when the newest signed checkpoint was signed after ``moment`` (a time.time())."""
    last = latest_checkpoint(store)
    return last is not None and datetime.fromisoformat(last.signed_at).timestamp() > moment


def count(url: str, tally: Tally, env: dict[str, str], views_caught_up: bool = False) -> Counts:
    """The verdict over the store at ``url`` (the processes stopped)."""
    store = EventStore(url)
    try:
        recorded = decisions_in(store)
        per_request = Counter(request for request, _ in recorded.elements())
        missing = sum(1 for r, d in tally.acked.items() if recorded[(r, d)] == 0)
        duplicated = sum(n - 1 for n in per_request.values() if n > 1)
        differing = views_differing(store, catch_up=not views_caught_up)
        stuck = stuck_keys(store)
    finally:
        store.close()
    ok, output = audit_verify(env)
    first_line = output.splitlines()[0] if output else ""
    return Counts(
        missing, duplicated, len(differing), stuck, ok, first_line, {"views_differing": differing}
    )
