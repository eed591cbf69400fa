"""The log follower: batches in order, woken by writers, live on PostgreSQL."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator

import pytest
from eventsourcing.persistence import Notification

from infra.follower import LogFollower
from infra.store import EventStore
from tests.projections.sample import write_events


@pytest.fixture
def follower_in_thread(
    durable_store: EventStore,
) -> Iterator[tuple[LogFollower, queue.Queue[list[Notification]]]]:
    """A follower with a very long poll interval, feeding a queue from a thread."""
    follower = LogFollower(durable_store, poll_interval=60, batch_size=4)
    batches: queue.Queue[list[Notification]] = queue.Queue()
    stop = threading.Event()

    def consume() -> None:
        for batch in follower.follow(0, stop):
            batches.put(batch)

    thread = threading.Thread(target=consume, daemon=True)
    thread.start()
    yield follower, batches
    stop.set()
    follower.wake()
    thread.join(timeout=5)
    assert not thread.is_alive()


def test_follower_yields_every_event_once_in_batches(durable_store: EventStore) -> None:
    write_events(durable_store, 10)
    follower = LogFollower(durable_store, poll_interval=0.01, batch_size=4)
    stop = threading.Event()
    seen: list[int] = []
    sizes: list[int] = []
    for batch in follower.follow(2, stop):
        seen += [n.id for n in batch]
        sizes.append(len(batch))
        if seen[-1] == 10:
            stop.set()
    assert seen == list(range(3, 11))
    assert sizes == [4, 4]


def test_wake_cuts_the_poll_wait_short(
    durable_store: EventStore,
    follower_in_thread: tuple[LogFollower, queue.Queue[list[Notification]]],
) -> None:
    follower, batches = follower_in_thread
    write_events(durable_store, 2)
    follower.wake()
    assert [n.id for n in batches.get(timeout=5)] == [1, 2]


@pytest.mark.postgres
@pytest.mark.parametrize("durable_store", ["postgres"], indirect=True)
def test_postgres_follower_tails_live_without_polling_or_wake(
    durable_store: EventStore,
    follower_in_thread: tuple[LogFollower, queue.Queue[list[Notification]]],
) -> None:
    _, batches = follower_in_thread
    write_events(durable_store, 1)
    assert [n.id for n in batches.get(timeout=5)] == [1]
    write_events(durable_store, 1)
    assert [n.id for n in batches.get(timeout=5)] == [2]


@pytest.mark.postgres
@pytest.mark.parametrize("durable_store", ["postgres"], indirect=True)
def test_postgres_follower_survives_lost_connections(
    durable_store: EventStore,
    follower_in_thread: tuple[LogFollower, queue.Queue[list[Notification]]],
) -> None:
    import psycopg

    _, batches = follower_in_thread
    write_events(durable_store, 1)
    assert [n.id for n in batches.get(timeout=5)] == [1]
    env = durable_store.env
    with psycopg.connect(
        dbname=env["POSTGRES_DBNAME"],
        host=env["POSTGRES_HOST"],
        port=env["POSTGRES_PORT"],
        user=env["POSTGRES_USER"],
        password=env["POSTGRES_PASSWORD"],
        autocommit=True,
    ) as admin:
        killed = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE pid <> pg_backend_pid() AND datname = current_database()"
        ).fetchone()
    assert killed is not None
    assert killed[0] >= 1
    write_events(durable_store, 1)
    assert [n.id for n in batches.get(timeout=10)] == [2]
