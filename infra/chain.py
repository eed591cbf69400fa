"""The hash chain: every stored event is linked to the one before it, in the same transaction.

Each event gets one row in ``event_chain``: its log position, its hash and the hash of the
event before it. ``hash = SHA-256(prev_hash raw bytes || canonical_record(...))``, where the
canonical record is the stored row itself (see docs/auditors.md). Changing, removing,
adding or reordering a stored event afterwards breaks the chain at that position.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import ProgrammingError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

#: Names the canonical encoding; exports carry it so a verifier knows how to recompute.
ENCODING_VERSION = "jejak-chain-v1"

#: The ``prev_hash`` of the first event of the log.
GENESIS_HASH = "0" * 64

CHAIN_TABLE = "event_chain"
CHECKPOINT_TABLE = "audit_checkpoints"

_CHAIN_COLUMNS = "(position BIGINT PRIMARY KEY, hash TEXT NOT NULL, prev_hash TEXT NOT NULL)"
_CHECKPOINT_COLUMNS = (
    "(position BIGINT PRIMARY KEY, hash TEXT NOT NULL, signed_at TEXT NOT NULL, "
    "public_key TEXT NOT NULL, signature TEXT NOT NULL)"
)


def canonical_id(originator_id: UUID | str) -> str:
    """The text of an aggregate id as hashed: a UUID in its lowercase hyphenated form."""
    return str(originator_id)


def canonical_record(
    position: int, originator_id: str, originator_version: int, topic: str, state: bytes
) -> bytes:
    """The bytes hashed for one stored event: each field length-prefixed (8 bytes, big-endian)."""
    fields = (
        ENCODING_VERSION.encode(),
        str(position).encode(),
        originator_id.encode(),
        str(originator_version).encode(),
        topic.encode(),
        state,
    )
    return b"".join(len(field).to_bytes(8, "big") + field for field in fields)


def chain_hash(prev_hash: str, record: bytes) -> str:
    """The hash of a record linked to the hash before it (hex)."""
    return hashlib.sha256(bytes.fromhex(prev_hash) + record).hexdigest()


def stored_event_hash(prev_hash: str, position: int, stored: StoredEvent) -> str:
    """The chain hash of one stored event at ``position``."""
    record = canonical_record(
        position,
        canonical_id(stored.originator_id),
        stored.originator_version,
        stored.topic,
        stored.state,
    )
    return chain_hash(prev_hash, record)


def link(
    prev_hash: str, positions: Sequence[int], stored_events: Sequence[StoredEvent]
) -> list[tuple[int, str, str]]:
    """The chain rows ``(position, hash, prev_hash)`` of events just inserted at ``positions``."""
    if len(positions) != len(stored_events):
        raise ProgrammingError("Every inserted event needs its log position to be chained.")
    rows = []
    for position, stored in sorted(zip(positions, stored_events, strict=True)):
        current = stored_event_hash(prev_hash, position, stored)
        rows.append((position, current, prev_hash))
        prev_hash = current
    return rows


class ChainedSQLiteApplicationRecorder(SQLiteApplicationRecorder):
    """The SQLite recorder that chains every event it inserts."""

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            f"CREATE TABLE IF NOT EXISTS {CHAIN_TABLE} {_CHAIN_COLUMNS}",
            f"CREATE TABLE IF NOT EXISTS {CHECKPOINT_TABLE} {_CHECKPOINT_COLUMNS}",
        ]

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        positions = super()._insert_events(c, stored_events, **kwargs) or []
        # The insert above holds SQLite's write lock, so the tail read here is the true tail.
        c.execute(f"SELECT hash FROM {CHAIN_TABLE} ORDER BY position DESC LIMIT 1")
        tail = c.fetchone()
        rows = link(tail[0] if tail else GENESIS_HASH, positions, stored_events)
        c.executemany(f"INSERT INTO {CHAIN_TABLE} VALUES (?,?,?)", rows)
        return positions


class ChainedPostgresApplicationRecorder(PostgresApplicationRecorder):
    """The PostgreSQL recorder that chains every event it inserts."""

    def __init__(
        self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"
    ) -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        if datastore.enable_db_functions:
            # The database-function insert path skips the transaction the chain is written in.
            raise ProgrammingError("The hash chain needs POSTGRES_ENABLE_DB_FUNCTIONS off.")
        schema = Identifier(datastore.schema)
        for table, columns in (
            (CHAIN_TABLE, _CHAIN_COLUMNS),
            (CHECKPOINT_TABLE, _CHECKPOINT_COLUMNS),
        ):
            self.sql_create_statements.append(
                SQL("CREATE TABLE IF NOT EXISTS {}.{} " + columns).format(schema, Identifier(table))
            )
        self._select_tail = SQL("SELECT hash FROM {}.{} ORDER BY position DESC LIMIT 1").format(
            schema, Identifier(CHAIN_TABLE)
        )
        self._insert_links = SQL("INSERT INTO {}.{} VALUES (%s, %s, %s)").format(
            schema, Identifier(CHAIN_TABLE)
        )

    def _fetch_ids_after_insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        positions = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs) or []
        # The events table is locked EXCLUSIVE for this transaction: the tail cannot move.
        curs.execute(self._select_tail)
        tail = curs.fetchone()
        rows = link(tail["hash"] if tail else GENESIS_HASH, positions, stored_events)
        curs.executemany(self._insert_links, rows)
        return positions
