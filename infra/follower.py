"""Follows the shared event log in batches: polling on SQLite, LISTEN/NOTIFY on PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence

import structlog
from eventsourcing.persistence import InterfaceError, Notification, OperationalError

from infra.advisory import postgres_conninfo
from infra.store import EventStore

log = structlog.get_logger(__name__)

#: Errors after which the database is expected back: the connection dropped, the file is busy.
CONNECTION_ERRORS = (OperationalError, InterfaceError)


class LogFollower:
    """Yields batches of notifications after a position, until told to stop.

    Reading is the same on both databases (``select_notifications`` in batches, so a
    reader that is far behind catches up in large steps). What differs is how the wait
    for new events ends: on SQLite by the poll interval or ``wake()`` from a writer in the
    same process; on PostgreSQL also by the NOTIFY the library sends on every insert.
    """

    def __init__(
        self,
        store: EventStore,
        poll_interval: float = 0.2,
        batch_size: int = 500,
        max_backoff: float = 5.0,
    ) -> None:
        self.store = store
        self.poll_interval = poll_interval
        self.batch_size = batch_size
        self.max_backoff = max_backoff
        self._woken = threading.Event()

    def wake(self) -> None:
        """Cut the current wait short: new events were (probably) written."""
        self._woken.set()

    def read(
        self, after: int, limit: int | None = None, upto: int | None = None
    ) -> list[Notification]:
        """One batch of notifications with positions greater than ``after`` (and <= ``upto``)."""
        notifications: Sequence[Notification] = self.store.recorder.select_notifications(
            start=after,
            limit=limit or self.batch_size,
            stop=upto,
            inclusive_of_start=False,
        )
        return list(notifications)

    def follow(self, after: int, stop: threading.Event) -> Iterator[list[Notification]]:
        """Batches after position ``after``, forever, until ``stop`` is set.

        The next batch is read only when the caller asks for it, so a caller that has
        processed a batch resumes exactly after it, also across a lost connection.
        """
        listener = self._start_listener(stop) if self.store.is_postgres else None
        position, backoff = after, 0.0
        try:
            while not stop.is_set():
                self._woken.clear()
                try:
                    batch = self.read(position)
                except CONNECTION_ERRORS as exc:
                    backoff = min(self.max_backoff, max(backoff * 2, self.poll_interval))
                    log.warning("event log unreachable", error=str(exc), retry_in=backoff)
                    self._wait(stop, backoff)
                    continue
                backoff = 0.0
                if batch:
                    yield batch
                    position = batch[-1].id
                if len(batch) < self.batch_size:
                    self._wait(stop, self.poll_interval)
        finally:
            if listener is not None:
                self._woken.set()
                listener.join(timeout=2)

    def _wait(self, stop: threading.Event, seconds: float) -> None:
        # Wait in short slices so a stop request is noticed even with a long poll interval.
        remaining = seconds
        while remaining > 0 and not stop.is_set():
            if self._woken.wait(min(remaining, 0.1)):
                return
            remaining -= 0.1

    def _start_listener(self, stop: threading.Event) -> threading.Thread:
        thread = threading.Thread(
            target=self._listen, args=(stop,), name="log-follower-listen", daemon=True
        )
        thread.start()
        return thread

    def _listen(self, stop: threading.Event) -> None:
        # PostgreSQL: every insert of events sends NOTIFY on the recorder's channel (the one
        # the library's own subscription listens to); a notification only wakes the reader.
        # The LISTEN holds its session as long as the follower runs: a connection of its own,
        # outside the pool (whose connections serve one unit of work at a time), direct to
        # the server (a transaction-pooling PgBouncer would drop the LISTEN).
        import psycopg
        from psycopg.sql import SQL, Identifier

        channel: str = getattr(self.store.recorder, "channel_name", "")
        info = {**postgres_conninfo(self.store.direct_env), "application_name": "jejak-listen"}
        backoff = 0.0
        while not stop.is_set():
            try:
                with psycopg.connect(autocommit=True, **info) as conn:
                    conn.execute(SQL("LISTEN {0}").format(Identifier(channel)))
                    self.wake()  # events may have been written while we were not listening
                    backoff = 0.0
                    while not stop.is_set():
                        for _ in conn.notifies(timeout=0.2, stop_after=1):
                            self.wake()
            except Exception as exc:  # any failure here only delays wake-ups; polling goes on
                backoff = min(self.max_backoff, max(backoff * 2, 0.2))
                log.warning("event log listener lost", error=str(exc), retry_in=backoff)
                stop.wait(backoff)
