"""Throw-away databases for a run: SQLite files in a temporary folder, one PostgreSQL server."""

from __future__ import annotations

import atexit
import shutil
import tempfile
import uuid
from functools import cache
from pathlib import Path
from typing import Any

import psycopg

#: Every file of the run lives here; removed with the process's temp files.
ROOT = Path(tempfile.mkdtemp(prefix="jejak-bench-"))
# Registered first, so it runs last: after the PostgreSQL server has stopped.
atexit.register(shutil.rmtree, ROOT, ignore_errors=True)


def fresh_dir(label: str) -> Path:
    """A new empty folder under the run's root."""
    path = ROOT / f"{label}-{uuid.uuid4().hex[:6]}"
    path.mkdir(parents=True)
    return path


def sqlite_url(label: str) -> str:
    """A new SQLite event store URL."""
    return f"sqlite:///{fresh_dir(label) / 'events.db'}"


@cache
def _server() -> Any:
    import pgserver

    return pgserver.get_server(fresh_dir("pgdata"), cleanup_mode="stop")


def postgres_url(label: str) -> str:
    """A new empty database on the run's PostgreSQL server."""
    base = _server().get_uri()
    name = f"bench_{label}_{uuid.uuid4().hex[:6]}".lower()
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return base.rsplit("/", 1)[0] + f"/{name}" if "?" not in base else _with_db(base, name)


def _with_db(base: str, name: str) -> str:
    head, _, query = base.partition("?")
    return head.rsplit("/", 1)[0] + f"/{name}?{query}"


def postgres_version() -> str:
    """The server's version string."""
    try:
        with psycopg.connect(_server().get_uri()) as conn:
            row = conn.execute("SHOW server_version").fetchone()
            return str(row[0]) if row else ""
    except Exception as exc:
        return f"unavailable ({exc})"
