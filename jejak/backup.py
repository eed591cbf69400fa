"""`jejak backup` / `jejak restore`: a copy of the events and read models, checked on restore.

SQLite is copied with its online backup API (writers may go on meanwhile); PostgreSQL with
its own ``pg_dump`` / ``pg_restore``. Beside the copy, ``<PATH>.json`` records the head of
the log, its chain hash and the last signed checkpoint; a restore is only called good when
the restored chain verifies, its signed checkpoints check, and it holds that same head.
"""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib.util import find_spec
from pathlib import Path

from infra.advisory import postgres_conninfo
from infra.store import EventStore
from projections.audit.rawlog import RawLog
from projections.audit.verify import verify


class BackupError(Exception):
    """A backup or restore cannot be made or does not check; the message says why."""


@dataclass(frozen=True)
class Manifest:
    """What a backup holds, to compare a restore against."""

    kind: str
    made_at: str
    head_position: int
    head_hash: str
    checkpoint_position: int | None
    checkpoint_hash: str | None


def manifest_path(path: Path) -> Path:
    """Where the manifest of a backup at ``path`` lives."""
    return path.with_name(path.name + ".json")


def describe(store: EventStore, kind: str) -> Manifest:
    """The head and last checkpoint of ``store``, after verifying its whole chain."""
    report = verify(store, None)
    if report.problem is not None:
        problem = report.problem
        raise BackupError(f"the log does not verify at position {problem.position}: {problem.kind}")
    checkpoints = RawLog(store).checkpoints()
    last = checkpoints[-1] if checkpoints else None
    return Manifest(
        kind,
        datetime.now(UTC).isoformat(),
        report.last_position,
        report.last_hash,
        last.position if last else None,
        last.hash if last else None,
    )


def sqlite_file(store: EventStore) -> Path:
    """The database file of a SQLite store."""
    if store.env["PERSISTENCE_MODULE"] != "eventsourcing.sqlite":
        raise BackupError("only SQLite and PostgreSQL stores can be backed up")
    return Path(store.env["SQLITE_DBNAME"])


def copy_sqlite(source: Path, target: Path) -> None:
    """Copy one SQLite database into another with the online backup API."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def pg_tool(name: str, server_major: int) -> str:
    """A ``pg_dump`` or ``pg_restore`` at least as new as the server (they refuse older ones).

    Looked for on PATH, in the PostgreSQL installs of the system, and among the binaries
    pgserver ships.
    """
    candidates = [shutil.which(name) or ""]
    candidates += sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    spec = find_spec("pgserver")
    if spec is not None and spec.origin is not None:
        candidates.append(str(Path(spec.origin).parent / "pginstall" / "bin" / name))
    found = []
    for candidate in filter(None, candidates):
        if Path(candidate).exists():
            major = tool_major(candidate)
            found.append(f"{candidate} ({major})")
            if major >= server_major:
                return candidate
    raise BackupError(
        f"no {name} of PostgreSQL {server_major} or newer was found"
        f" (found: {', '.join(found) or 'none'}); install the PostgreSQL client tools"
    )


def tool_major(path: str) -> int:
    """The major version a PostgreSQL tool reports (``pg_dump (PostgreSQL) 16.2`` is 16)."""
    # The tools are found by us (PATH, system, pgserver), never named by a caller.
    done = subprocess.run(  # noqa: S603
        [path, "--version"], capture_output=True, text=True, check=False
    )
    match = re.search(r"(\d+)(?:\.\d+)?", done.stdout)
    return int(match.group(1)) if match else 0


def server_major(store: EventStore) -> int:
    """The major version of the store's PostgreSQL server."""
    import psycopg

    with psycopg.connect(**postgres_conninfo(store.env)) as conn:
        return int(conn.info.server_version) // 10000


def pg_arguments(store: EventStore) -> tuple[list[str], dict[str, str]]:
    """Connection arguments and environment (the password) for the PostgreSQL tools."""
    info = postgres_conninfo(store.env)
    args = ["--host", str(info["host"]), "--port", str(info["port"])]
    args += ["--username", str(info["user"]), "--dbname", str(info["dbname"])]
    return args, {**os.environ, "PGPASSWORD": str(info["password"])}


def run_tool(command: list[str], env: dict[str, str]) -> None:
    """Run a PostgreSQL tool; its error output becomes the error."""
    done = subprocess.run(  # noqa: S603
        command, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()[:500]}")


def backup(store: EventStore, path: Path) -> Manifest:
    """Copy the store (events, chain, checkpoints, read models) to ``path``, with a manifest."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if store.is_postgres:
        manifest = describe(store, "postgres")
        args, env = pg_arguments(store)
        schema = store.env.get("POSTGRES_SCHEMA", "")
        scope = ["--schema", schema] if schema else []
        run_tool(
            [
                pg_tool("pg_dump", server_major(store)),
                "--format=custom",
                "--file",
                str(path),
                *args,
                *scope,
            ],
            env,
        )
    else:
        path.unlink(missing_ok=True)
        copy_sqlite(sqlite_file(store), path)
        # Described from the copy itself: it is what a restore will bring back.
        copied = EventStore(f"sqlite:///{path}")
        try:
            manifest = describe(copied, "sqlite")
        finally:
            copied.close()
    manifest_path(path).write_text(json.dumps(asdict(manifest), indent=2) + "\n")
    return manifest


def restore(store: EventStore, path: Path, force: bool = False) -> Manifest:
    """Replace the store's contents by the backup at ``path``; check it against its manifest."""
    if not path.exists() or not manifest_path(path).exists():
        raise BackupError(f"no backup with its manifest at {path}")
    manifest = Manifest(**json.loads(manifest_path(path).read_text()))
    if store.max_position() and not force:
        raise BackupError("the store already holds events; pass --force to replace them")
    if manifest.kind == "postgres" and store.is_postgres:
        args, env = pg_arguments(store)
        flags = ["--clean", "--if-exists", "--no-owner", "--single-transaction"]
        run_tool([pg_tool("pg_restore", server_major(store)), *flags, *args, str(path)], env)
    elif manifest.kind == "sqlite" and not store.is_postgres:
        copy_sqlite(path, sqlite_file(store))
    else:
        raise BackupError(f"a {manifest.kind} backup cannot be restored into this store")
    # Checked over new connections, so nothing cached from before the restore is read.
    fresh = EventStore(store.url, store.env)
    try:
        check_restored(fresh, manifest)
    finally:
        fresh.close()
    return manifest


def check_restored(store: EventStore, manifest: Manifest) -> None:
    """The restored chain verifies and holds the manifest's head and last checkpoint."""
    restored = describe(store, manifest.kind)
    if restored.head_position < manifest.head_position:
        raise BackupError(
            f"the restored log ends at {restored.head_position}, the backup at "
            f"{manifest.head_position}"
        )
    link = RawLog(store).links([manifest.head_position]).get(manifest.head_position)
    if manifest.head_position and (link is None or link.hash != manifest.head_hash):
        raise BackupError(f"the chain hash at position {manifest.head_position} differs")
    if manifest.checkpoint_position is not None and (
        restored.checkpoint_position is None
        or restored.checkpoint_position < manifest.checkpoint_position
    ):
        raise BackupError(f"the checkpoint at {manifest.checkpoint_position} is missing")
