"""The hash chain: every stored event is linked to the one before it, in the same transaction.

Each event gets one row in ``event_chain``: its log position, its hash and the hash of the
event before it. ``hash = SHA-256(prev_hash raw bytes || canonical_record(...))``, where the
canonical record is the stored row itself (see docs/auditors.md). Changing, removing,
adding or reordering a stored event afterwards breaks the chain at that position.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import ProgrammingError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor, SQLiteDatastore
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Composed, Identifier

from infra.group_commit import GroupCommit

#: Names the canonical encoding; exports carry it so a verifier knows how to recompute.
ENCODING_VERSION = "jejak-chain-v1"

#: The ``prev_hash`` of the first event of the log.
GENESIS_HASH = "0" * 64

CHAIN_TABLE = "event_chain"
CHECKPOINT_TABLE = "audit_checkpoints"

_CHAIN_COLUMNS = "(position BIGINT PRIMARY KEY, hash TEXT NOT NULL, prev_hash TEXT NOT NULL)"
# On SQLite an INTEGER PRIMARY KEY is the row id itself: one B-tree written per link, not two.
_SQLITE_CHAIN_COLUMNS = _CHAIN_COLUMNS.replace("BIGINT", "INTEGER")
_CHECKPOINT_COLUMNS = (
    "(position BIGINT PRIMARY KEY, hash TEXT NOT NULL, signed_at TEXT NOT NULL, "
    "public_key TEXT NOT NULL, signature TEXT NOT NULL)"
)


def canonical_id(originator_id: UUID | str) -> str:
    """The text of an aggregate id as hashed: a UUID in its lowercase hyphenated form."""
    return str(originator_id)


#: The first field of every canonical record, already length-prefixed.
_VERSION_FIELD = len(ENCODING_VERSION.encode()).to_bytes(8, "big") + ENCODING_VERSION.encode()
_LENGTH = struct.Struct(">Q").pack


def canonical_record(
    position: int, originator_id: str, originator_version: int, topic: str, state: bytes
) -> bytes:
    """The bytes hashed for one stored event: each field length-prefixed (8 bytes, big-endian)."""
    # Spelled out rather than looped: this runs once per event on every write and verification.
    at, oid, version, name = (
        str(position).encode(),
        originator_id.encode(),
        str(originator_version).encode(),
        topic.encode(),
    )
    return b"".join(
        (
            _VERSION_FIELD,
            _LENGTH(len(at)),
            at,
            _LENGTH(len(oid)),
            oid,
            _LENGTH(len(version)),
            version,
            _LENGTH(len(name)),
            name,
            _LENGTH(len(state)),
            state,
        )
    )


def chain_hash(prev_hash: str, record: bytes) -> str:
    """The hash of a record linked to the hash before it (hex)."""
    digest = hashlib.sha256(bytes.fromhex(prev_hash))
    digest.update(record)
    return digest.hexdigest()


def record_of(position: int, stored: StoredEvent) -> bytes:
    """The canonical record of one stored event at ``position``."""
    return canonical_record(
        position,
        canonical_id(stored.originator_id),
        stored.originator_version,
        stored.topic,
        stored.state,
    )


def stored_event_hash(prev_hash: str, position: int, stored: StoredEvent) -> str:
    """The chain hash of one stored event at ``position``."""
    return chain_hash(prev_hash, record_of(position, stored))


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
    """The SQLite recorder that chains every event it inserts, committing in groups."""

    def __init__(self, datastore: SQLiteDatastore, **options: Any) -> None:
        super().__init__(datastore, **options)
        self.group = GroupCommit(
            lambda: self.datastore.transaction(commit=True),
            lambda cursor, events, kwargs: self._insert_events(cursor, events, **kwargs) or [],
        )

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        # Commands saved at the same time share one transaction (infra/group_commit.py).
        return self.group.save(stored_events, **kwargs)

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            f"CREATE TABLE IF NOT EXISTS {CHAIN_TABLE} {_SQLITE_CHAIN_COLUMNS}",
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
        chain = Composed([schema, SQL("."), Identifier(CHAIN_TABLE)])
        # One link per statement, hashed by the database from the tail the statement sees:
        # sent in the library's pipeline with the events, it costs no round trip of its own.
        self._insert_link = SQL(
            "INSERT INTO {chain} (position, hash, prev_hash) "
            "SELECT %s, encode(sha256(decode(tail.hash, 'hex') || %s), 'hex'), tail.hash "
            "FROM (SELECT COALESCE((SELECT hash FROM {chain} ORDER BY position DESC LIMIT 1), "
            "%s) AS hash) AS tail"
        ).format(chain=chain)

    def _fetch_ids_after_insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        positions = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs) or []
        if len(positions) != len(stored_events):
            raise ProgrammingError("Every inserted event needs its log position to be chained.")
        # The events table is locked EXCLUSIVE for this transaction: the tail cannot move,
        # and the links are inserted in log order, each after the one before it.
        curs.executemany(
            self._insert_link,
            [
                (position, record_of(position, stored), GENESIS_HASH)
                for position, stored in sorted(zip(positions, stored_events, strict=True))
            ],
        )
        return positions
