"""The few differences between SQLite and PostgreSQL that read models meet."""

from __future__ import annotations

import sqlite3
from typing import Any, ClassVar, Protocol


class Cursor(Protocol):
    """The part of a DB-API cursor the view store uses."""

    def execute(self, sql: Any, params: Any = ..., /) -> Any:
        """Run one statement."""

    def fetchall(self) -> list[Any]:
        """All rows of the last query."""


class DBConnection(Protocol):
    """The part of a DB-API connection the view store uses."""

    def cursor(self) -> Any:
        """A new cursor."""

    def close(self) -> None:
        """Close the connection."""


class Dialect:
    """SQLite: column types, placeholders, how a transaction begins."""

    name = "sqlite"
    #: Substituted into view DDL: ``{int}``, ``{real}``, ``{text}``.
    types: ClassVar[dict[str, str]] = {"int": "INTEGER", "real": "REAL", "text": "TEXT"}
    begin_write = "BEGIN IMMEDIATE"
    lock_row = ""
    #: Whether a batch transaction may send statements without waiting for each answer.
    pipelines = False

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env

    def connect(self) -> DBConnection:
        """A new connection in autocommit mode (transactions are begun explicitly)."""
        db_name = self.env["SQLITE_DBNAME"]
        timeout = float(self.env.get("SQLITE_LOCK_TIMEOUT", "10"))
        conn = sqlite3.connect(
            db_name, timeout=timeout, isolation_level=None, check_same_thread=False
        )
        if db_name != ":memory:":
            conn.execute("PRAGMA journal_mode=WAL")
        return conn

    def cursor(self, conn: Any) -> Any:
        """A cursor whose rows are tuples."""
        return conn.cursor()

    def sql(self, statement: str) -> str:
        """The statement in this driver's placeholder style (views write ``?``)."""
        return statement

    def ddl(self, template: str) -> str:
        """Column definitions with ``{int}``, ``{real}``, ``{text}`` replaced."""
        return template.format(**self.types)

    def is_connection_error(self, exc: BaseException) -> bool:
        """True when the error means the database went away (retry later)."""
        return isinstance(exc, sqlite3.OperationalError)


class PostgresDialect(Dialect):
    """PostgreSQL: 64-bit integers, ``%s`` placeholders; connections come from the pool."""

    name = "postgres"
    types: ClassVar[dict[str, str]] = {"int": "BIGINT", "real": "DOUBLE PRECISION", "text": "TEXT"}
    begin_write = "BEGIN"
    lock_row = " FOR UPDATE"
    pipelines = True

    def cursor(self, conn: Any) -> Any:
        """A cursor whose rows are tuples (pooled connections default to dicts)."""
        from psycopg.rows import tuple_row

        return conn.cursor(row_factory=tuple_row)

    def sql(self, statement: str) -> str:
        """``?`` placeholders become ``%s`` (views never write a literal ``?`` or ``%``)."""
        return statement.replace("%", "%%").replace("?", "%s")

    def is_connection_error(self, exc: BaseException) -> bool:
        """True when the connection to the server broke."""
        import psycopg

        return isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError)


def dialect_for(env: dict[str, str]) -> Dialect:
    """The dialect of the event store described by ``env``."""
    module = env.get("PERSISTENCE_MODULE", "")
    if module == "eventsourcing.postgres":
        return PostgresDialect(env)
    if module == "eventsourcing.sqlite":
        return Dialect(env)
    raise ValueError("Read models need a database: use a sqlite:/// or postgresql:// store.")
