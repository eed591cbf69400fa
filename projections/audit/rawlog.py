"""Plain-SQL reads of the stored rows, as they are on disk, bypassing the event mapper."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from psycopg.sql import SQL, Composed, Identifier

from infra.chain import (
    CHAIN_TABLE,
    CHECKPOINT_TABLE,
    ChainedPostgresApplicationRecorder,
    ChainedSQLiteApplicationRecorder,
    canonical_id,
)
from infra.store import EventStore

PAGE = 1000

#: An originator id as SQLite stores a UUID.
_HEX_ID = re.compile("[0-9a-f]{32}")


class NotChainedError(Exception):
    """The store has no hash chain (the in-memory store keeps none)."""


@dataclass(frozen=True)
class RawEvent:
    """One stored event row and its log position."""

    position: int
    originator_id: str
    originator_version: int
    topic: str
    state: bytes

    def stored(self) -> StoredEvent:
        """The row as the library's stored event."""
        return StoredEvent(
            UUID(self.originator_id), self.originator_version, self.topic, self.state
        )


@dataclass(frozen=True)
class ChainRow:
    """One row of the hash chain."""

    position: int
    hash: str
    prev_hash: str


@dataclass(frozen=True)
class CheckpointRow:
    """One signed checkpoint: the chain hash at a position, signed by a key."""

    position: int
    hash: str
    signed_at: str
    public_key: str
    signature: str


class RawLog:
    """Reads the events table, the chain and the checkpoints of a chained store."""

    def __init__(self, store: EventStore) -> None:
        recorder = store.recorder
        if isinstance(recorder, ChainedSQLiteApplicationRecorder):
            self._sqlite: ChainedSQLiteApplicationRecorder | None = recorder
            self._postgres: ChainedPostgresApplicationRecorder | None = None
            self._events = recorder.events_table_name
        elif isinstance(recorder, ChainedPostgresApplicationRecorder):
            self._sqlite, self._postgres = None, recorder
            self._events = recorder.events_table_name
        else:
            raise NotChainedError(
                "This event store keeps no hash chain (use SQLite or PostgreSQL)."
            )
        self._position = "rowid" if self._sqlite else "notification_id"

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """Run ``sql`` (``{events}``, ``{chain}``, ``{checkpoints}``, ``{pos}``, ``?``)."""
        names = {"events": self._events, "chain": CHAIN_TABLE, "checkpoints": CHECKPOINT_TABLE}
        if self._sqlite is not None:
            text = sql.format(pos=self._position, **names)
            with self._sqlite.datastore.transaction(commit=False) as c:
                c.execute(text, list(params))
                return [tuple(row) for row in c.fetchall()]
        assert self._postgres is not None
        schema = Identifier(self._postgres.datastore.schema)
        tables = {k: Composed([schema, SQL("."), Identifier(v)]) for k, v in names.items()}
        query = SQL(sql.replace("?", "%s")).format(pos=SQL(self._position), **tables)  # type: ignore[arg-type]
        with self._postgres.datastore.transaction(commit=False) as curs:
            curs.execute(query, list(params))
            return [tuple(row.values()) for row in curs.fetchall()]

    def _execute(self, sql: str, params: Sequence[Any]) -> None:
        """Write, committing."""
        if self._sqlite is not None:
            with self._sqlite.datastore.transaction(commit=True) as c:
                c.execute(sql.format(checkpoints=CHECKPOINT_TABLE), list(params))
            return
        assert self._postgres is not None
        table = Composed(
            [Identifier(self._postgres.datastore.schema), SQL("."), Identifier(CHECKPOINT_TABLE)]
        )
        query = SQL(sql.replace("?", "%s")).format(checkpoints=table)  # type: ignore[arg-type]
        with self._postgres.datastore.transaction(commit=True) as curs:
            curs.execute(query, list(params))

    def _event(self, row: tuple[Any, ...]) -> RawEvent:
        return RawEvent(*self._fields(row))

    def _fields(self, row: tuple[Any, ...]) -> tuple[int, str, int, str, bytes]:
        """A stored row as hashed: position, canonical id, version, topic, state bytes."""
        position, originator_id, version, topic, state = row
        if self._sqlite is not None:
            if isinstance(originator_id, str) and _HEX_ID.fullmatch(originator_id):
                # SQLite keeps the id as 32 lowercase hex digits: hyphenate as str(UUID) would.
                o = originator_id
                originator_id = f"{o[:8]}-{o[8:12]}-{o[12:16]}-{o[16:20]}-{o[20:]}"
            else:
                originator_id = self._sqlite.convert_originator_id(originator_id)
        if isinstance(state, str):
            state = state.encode()
        return position, canonical_id(originator_id), version, topic or "", bytes(state)

    def event_rows(self, after: int, limit: int = PAGE) -> list[tuple[int, str, int, str, bytes]]:
        """Like ``events_page``, as plain tuples (position, id, version, topic, state)."""
        rows = self._query(
            "SELECT {pos}, originator_id, originator_version, topic, state FROM {events} "
            "WHERE {pos} > ? ORDER BY {pos} LIMIT ?",
            (after, limit),
        )
        return [self._fields(row) for row in rows]

    def chain_rows(self, after: int, upto: int) -> list[tuple[int, str, str]]:
        """Chain rows ``(position, hash, prev_hash)`` after ``after`` up to ``upto``, in order."""
        rows = self._query(
            "SELECT position, hash, prev_hash FROM {chain} WHERE position > ? AND position <= ? "
            "ORDER BY position",
            (after, upto),
        )
        return [(int(p), str(h), str(prev)) for p, h, prev in rows]

    def events_page(self, after: int, limit: int = PAGE) -> list[RawEvent]:
        """Stored events after position ``after``, in log order."""
        rows = self._query(
            "SELECT {pos}, originator_id, originator_version, topic, state FROM {events} "
            "WHERE {pos} > ? ORDER BY {pos} LIMIT ?",
            (after, limit),
        )
        return [self._event(row) for row in rows]

    def events_of(self, aggregate_id: UUID) -> list[RawEvent]:
        """Every stored event of one aggregate, in version order."""
        key: Any = aggregate_id.hex if self._sqlite else aggregate_id
        rows = self._query(
            "SELECT {pos}, originator_id, originator_version, topic, state FROM {events} "
            "WHERE originator_id = ? ORDER BY originator_version",
            (key,),
        )
        return [self._event(row) for row in rows]

    def chain_page(self, after: int, limit: int = PAGE) -> list[ChainRow]:
        """Chain rows after position ``after``, in order."""
        rows = self._query(
            "SELECT position, hash, prev_hash FROM {chain} WHERE position > ? "
            "ORDER BY position LIMIT ?",
            (after, limit),
        )
        return [ChainRow(*row) for row in rows]

    def links(self, positions: Sequence[int]) -> dict[int, ChainRow]:
        """The chain row at each of ``positions`` (absent ones left out)."""
        if not positions:
            return {}
        rows = self._query(
            "SELECT position, hash, prev_hash FROM {chain} WHERE position >= ? AND position <= ?",
            (min(positions), max(positions)),
        )
        wanted = set(positions)
        return {row[0]: ChainRow(*row) for row in rows if row[0] in wanted}

    def tail(self) -> ChainRow | None:
        """The newest chain row."""
        rows = self._query(
            "SELECT position, hash, prev_hash FROM {chain} ORDER BY position DESC LIMIT 1"
        )
        return ChainRow(*rows[0]) if rows else None

    def checkpoints(self) -> list[CheckpointRow]:
        """Every signed checkpoint, oldest first."""
        rows = self._query(
            "SELECT position, hash, signed_at, public_key, signature FROM {checkpoints} "
            "ORDER BY position"
        )
        return [CheckpointRow(*row) for row in rows]

    def add_checkpoint(self, row: CheckpointRow) -> None:
        """Store a signed checkpoint."""
        self._execute(
            "INSERT INTO {checkpoints} VALUES (?, ?, ?, ?, ?)",
            (row.position, row.hash, row.signed_at, row.public_key, row.signature),
        )

    def all_events(self) -> Iterator[RawEvent]:
        """Every stored event, page by page, in log order."""
        after = 0
        while page := self.events_page(after):
            yield from page
            after = page[-1].position

    def all_chain(self) -> Iterator[ChainRow]:
        """Every chain row, page by page, in order."""
        after = 0
        while page := self.chain_page(after):
            yield from page
            after = page[-1].position
