"""Group commit on SQLite: the events of commands saved at the same time, in one transaction.

SQLite lets one writer at a time in, and a commit waits for the disk (synchronous=FULL):
commands that arrive while a commit runs queue behind it. Here the first of them leads:
it takes every command waiting, writes each inside a savepoint of one transaction, and
commits once for all. Each command stays atomic and conflict-checked on its own: a command
whose events (or chain links) break a constraint is rolled back to its savepoint and gets
its ``IntegrityError``, the others are committed. A failed commit fails every command of
the group, and none of them is stored. One command alone is written as before.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from eventsourcing.persistence import (
    IntegrityError,
    OperationalError,
    PersistenceError,
    StoredEvent,
)
from eventsourcing.sqlite import SQLiteCursor

#: Writes one command's events on the cursor of an open transaction; their log positions.
Insert = Callable[[SQLiteCursor, Sequence[StoredEvent], dict[str, Any]], Sequence[int]]
#: Opens a transaction that commits when its block ends without an error.
Transaction = Callable[[], Any]


@dataclass
class Command:
    """One command's events, waiting to be written, and what became of them."""

    events: Sequence[StoredEvent]
    options: dict[str, Any]
    positions: Sequence[int] | None = None
    error: BaseException | None = None
    done: bool = False


@dataclass
class GroupCommit:
    """Queues concurrent saves and lets the first of them commit the whole queue."""

    transaction: Transaction
    insert: Insert
    _queue: list[Command] = field(default_factory=list)
    _leading: bool = False
    _changed: threading.Condition = field(default_factory=threading.Condition)
    #: Sizes of the groups committed (for the benchmark's notes), newest last, bounded.
    sizes: list[int] = field(default_factory=list)

    def save(self, events: Sequence[StoredEvent], **options: Any) -> Sequence[int]:
        """Store ``events`` atomically (with every command queued meanwhile); their positions."""
        mine = Command(events, options)
        with self._changed:
            self._queue.append(mine)
            while self._leading and not mine.done:
                self._changed.wait()
            # Not taken by the group that just committed: this save leads the next one.
            leader = not mine.done
            if leader:
                self._leading = True
                group, self._queue = self._queue, []
        if leader:
            try:
                self._commit(group)
            finally:
                with self._changed:
                    self._leading = False
                    self._changed.notify_all()
        if mine.error is not None:
            raise mine.error
        return mine.positions or []

    def _commit(self, group: list[Command]) -> None:
        try:
            with self.transaction() as cursor:
                for number, command in enumerate(group):
                    self._write(cursor, number, command)
        except BaseException as error:  # the commit failed: no command of the group is stored
            for command in group:
                command.error, command.positions = command.error or error, None
            if not isinstance(error, Exception):
                raise  # an interrupt: the waiting saves get it as their error, and it goes on
        finally:
            for command in group:
                command.done = True
            self.sizes = [*self.sizes[-999:], len(group)]

    def _write(self, cursor: SQLiteCursor, number: int, command: Command) -> None:
        """One command inside its savepoint: stored, or rolled back with its own error."""
        cursor.execute(f"SAVEPOINT command_{number}")
        try:
            command.positions = self.insert(cursor, command.events, command.options)
        except (sqlite3.Error, PersistenceError) as error:
            cursor.execute(f"ROLLBACK TO command_{number}")
            command.error = persistence_error(error)
        cursor.execute(f"RELEASE command_{number}")


def persistence_error(error: Exception) -> PersistenceError:
    """The library's error for a database error, as its own transactions raise them."""
    if isinstance(error, PersistenceError):
        return error
    if isinstance(error, sqlite3.IntegrityError):
        return IntegrityError(error)
    if isinstance(error, sqlite3.OperationalError):
        return OperationalError(error)
    return PersistenceError(error)
