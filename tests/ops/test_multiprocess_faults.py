"""Many processes on PostgreSQL under kill -9: three APIs, two workers and two projectors take
keyed decisions from 16 clients while a worker, a projector and the database's postmaster are
killed and started again. Nothing acknowledged is lost or recorded twice, no Idempotency-Key is
left in flight, the projectors catch up by themselves to views equal to a rebuild, the chain
verifies, and a checkpoint is signed after the database came back.

The run is bench.chaos's, on a PostgreSQL server of the test's own (it gets killed); the
kills are scripted by progress (after so many acknowledgements), so each one happens while
decisions are being taken, however slow the machine.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest

from bench.chaos import prepare, scripted_kills, under_faults
from bench.cluster import DATABASE, Cluster, postgres_cluster
from bench.database import Database
from bench.faults import count, signed_after, views_lag
from infra.store import EventStore
from tests.support.polling import until

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.temporal]

APPROVALS = 150
#: Who is killed once the clients hold how many acknowledgements (each back 0.5 s later).
KILLS = [(30, "worker-1"), (60, "projector-1"), (90, DATABASE)]
#: Small, so that the decisions after the database's restart call for a new checkpoint.
CHECKPOINT_EVERY = 20
#: A decision not settled within this long counts as given up (the test then fails).
GIVE_UP_AFTER = 150.0
#: The answer a retry gets when its decision was recorded but the answer was lost.
ALREADY_DECIDED = "409 already-decided"


class Look:
    """A check of the database by the test itself; False (and the reason kept) while the test
    finds no free connection: the processes under test may hold them all for a moment, and
    the test's own connection is not what is checked."""

    def __init__(self, check: Callable[[], object]) -> None:
        self.check, self.last = check, ""

    def __call__(self) -> bool:
        try:
            found = self.check()
        except psycopg.OperationalError as exc:
            self.last = f"the test could not look: {exc}"
            return False
        self.last = f"found {found!r}"
        return found is True

    def why(self) -> str:
        """What the last look found."""
        return self.last


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    """3 APIs, 2 workers, 2 projectors and Temporal over a PostgreSQL server of their own."""
    database = Database(tmp_path / "pgdata")
    try:
        found = postgres_cluster(tmp_path / "stack", database, CHECKPOINT_EVERY)
        try:
            found.start_all(apis=3, workers=2, projectors=2)
            yield found
        finally:
            found.stop()
    finally:
        database.stop()


def test_kill_9_of_a_worker_a_projector_and_the_database_loses_and_doubles_nothing(
    cluster: Cluster,
) -> None:
    ids = asyncio.run(prepare(cluster, APPROVALS))
    run = under_faults(cluster, ids, scripted_kills(KILLS), GIVE_UP_AFTER)

    assert run.killer_errors == []
    assert dict(run.kills) == {name: 1 for _, name in KILLS}
    # Every decision settled: acknowledged, or (its answer lost) told it was decided already.
    assert set(run.tally.refused) <= {ALREADY_DECIDED}, run.tally.refused
    assert len(run.tally.acked) + run.tally.refused[ALREADY_DECIDED] == APPROVALS
    store = EventStore(cluster.settings.event_store_url)
    try:
        # The projectors (one of them killed, both cut off from the database) catch up alone.
        caught_up = Look(lambda: views_lag(store) == 0 or f"lag {views_lag(store)}")
        until(caught_up, 90, every=0.5, why=caught_up.why)
        restarted = run.revived_at[DATABASE]
        signed = Look(lambda: signed_after(store, restarted))
        until(signed, 90, every=0.5, why=signed.why)
    finally:
        store.close()
    cluster.stop()

    counts = count(cluster.settings.event_store_url, run.tally, cluster.env, views_caught_up=True)
    assert counts.missing == 0
    assert counts.duplicated == 0
    assert counts.stuck_keys == 0
    assert counts.extra["views_differing"] == []
    assert counts.audit_ok, counts.audit_output
    assert counts.audit_output.startswith("OK: ")
