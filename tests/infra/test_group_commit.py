"""Group commit on SQLite: concurrent commands share a transaction, each still on its own."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.persistence import IntegrityError, OperationalError, StoredEvent

from infra.chain import ChainedSQLiteApplicationRecorder
from infra.store import EventStore
from projections.audit.rawlog import RawLog
from projections.audit.verify import verify
from tests.support.polling import until


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[EventStore]:
    store = EventStore(f"sqlite:///{tmp_path / 'events.db'}")
    try:
        yield store
    finally:
        store.close()


def event(originator: uuid.UUID, version: int = 1) -> StoredEvent:
    return StoredEvent(originator, version, "tests:Thing.Happened", b'{"n": 1}')


def recorder_of(store: EventStore) -> ChainedSQLiteApplicationRecorder:
    assert isinstance(store.recorder, ChainedSQLiteApplicationRecorder)
    return store.recorder


def save_in_thread(store: EventStore, events: list[StoredEvent], out: dict[int, Any]) -> None:
    try:
        out[id(events)] = store.recorder.insert_events(events)
    except IntegrityError as error:
        out[id(events)] = error


def test_commands_queued_behind_a_commit_are_committed_together_each_on_its_own(
    sqlite_store: EventStore,
) -> None:
    taken = recorder_of(sqlite_store).group
    existing = uuid.uuid4()
    sqlite_store.recorder.insert_events([event(existing)])
    real, queued, gate = taken.transaction, threading.Event(), threading.Event()

    @contextmanager
    def held() -> Iterator[Any]:
        # The first commit of the test waits until the others are queued behind it.
        with real() as cursor:
            if not gate.is_set():
                gate.set()
                queued.wait(10)
            yield cursor

    taken.transaction = held
    first = [event(uuid.uuid4())]
    others = [[event(uuid.uuid4()), event(uuid.uuid4())] for _ in range(4)]
    clash = [event(existing)]  # version 1 of an aggregate that has it: a conflict
    results: dict[int, Any] = {}
    threads = [threading.Thread(target=save_in_thread, args=(sqlite_store, first, results))]
    threads[0].start()
    gate.wait(10)
    for events in [*others[:2], clash, *others[2:]]:
        threads.append(
            threading.Thread(target=save_in_thread, args=(sqlite_store, events, results))
        )
        threads[-1].start()
    until(lambda: len(taken._queue) >= 5, 10, every=0.001, why=lambda: "the saves never queued")
    queued.set()
    for thread in threads:
        thread.join(10)

    assert taken.sizes[-2:] == [1, 5]
    assert isinstance(results[id(clash)], IntegrityError)
    positions = [results[id(events)] for events in [first, *others]]
    assert [len(p) for p in positions] == [1, 2, 2, 2, 2]
    assert sorted(p for found in positions for p in found) == list(range(2, 11))
    assert len(list(RawLog(sqlite_store).all_events())) == 10
    assert verify(sqlite_store).ok


def test_many_threads_saving_at_once_lose_nothing_and_keep_the_chain(
    sqlite_store: EventStore,
) -> None:
    results: dict[int, Any] = {}
    batches = [[event(uuid.uuid4())] for _ in range(200)]

    def save_some(mine: list[list[StoredEvent]]) -> None:
        for events in mine:
            save_in_thread(sqlite_store, events, results)

    threads = [threading.Thread(target=save_some, args=(batches[n::8],)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    positions = sorted(p for events in batches for p in results[id(events)])
    assert positions == list(range(1, 201))
    assert verify(sqlite_store).ok


def test_a_failed_commit_stores_no_command_of_its_group(sqlite_store: EventStore) -> None:
    taken = recorder_of(sqlite_store).group
    real = taken.transaction

    @contextmanager
    def failing() -> Iterator[Any]:
        with real() as cursor:
            yield cursor
            raise OperationalError("disk I/O error")  # as a commit that fails would

    taken.transaction = failing
    with pytest.raises(OperationalError):
        sqlite_store.recorder.insert_events([event(uuid.uuid4()), event(uuid.uuid4())])
    taken.transaction = real
    assert sqlite_store.recorder.insert_events([event(uuid.uuid4())]) == [1]
    assert verify(sqlite_store).ok
