"""`jejak backup` and `jejak restore`: what comes back is the same verified record."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from infra.store import EventStore
from jejak.backup import BackupError, backup, restore
from projections.audit.checkpoints import make_checkpoint
from projections.audit.verify import verify
from tests.projections.audit.dossier import build_log

#: `jejak backup` and `jejak restore` run as processes.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[3]


def signed_log(store: EventStore) -> int:
    """A log of events with a signed checkpoint at its head; the head position."""
    build_log(store, dossiers=3, notes=2)
    make_checkpoint(store, Ed25519PrivateKey.generate())
    return store.max_position()


def invoke(*args: str, db: Path) -> tuple[int, str]:
    """Run ``jejak`` in a process of its own (it sets up logging) against the SQLite ``db``."""
    db.parent.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "JEJAK_EVENT_STORE_URL": f"sqlite:///{db}",
        "JEJAK_DATA_DIR": str(db.parent),
    }
    done = subprocess.run(
        [sys.executable, "-m", "jejak", *args],
        env=env,
        cwd=db.parent,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    return done.returncode, done.stdout + done.stderr


def test_sqlite_backup_restores_into_an_empty_store_and_verifies(tmp_path: Path) -> None:
    live = tmp_path / "live" / "events.db"
    store = EventStore(f"sqlite:///{live}")
    head = signed_log(store)
    code, said = invoke("backup", str(tmp_path / "b" / "jejak.bak"), db=live)
    assert code == 0, said
    build_log(store, dossiers=1, notes=1, prefix="later")  # written after the backup
    store.close()
    fresh = tmp_path / "fresh" / "events.db"
    code, said = invoke("restore", str(tmp_path / "b" / "jejak.bak"), db=fresh)
    assert code == 0, said
    assert f"log head {head}" in said
    restored = EventStore(f"sqlite:///{fresh}")
    try:
        report = verify(restored, None)
        assert report.problem is None
        assert (restored.max_position(), report.checkpoints_checked) == (head, 1)
    finally:
        restored.close()


def test_restore_refuses_to_overwrite_a_store_with_events_unless_forced(tmp_path: Path) -> None:
    live = tmp_path / "events.db"
    store = EventStore(f"sqlite:///{live}")
    head = signed_log(store)
    store.close()
    assert invoke("backup", str(tmp_path / "jejak.bak"), db=live)[0] == 0
    code, said = invoke("restore", str(tmp_path / "jejak.bak"), db=live)
    assert code == 1
    assert "--force" in said
    code, said = invoke("restore", "--force", str(tmp_path / "jejak.bak"), db=live)
    assert code == 0, said
    assert f"log head {head}" in said


def test_a_backup_altered_after_it_was_made_is_not_restored_as_good(tmp_path: Path) -> None:
    store = EventStore(f"sqlite:///{tmp_path / 'events.db'}")
    signed_log(store)
    backup(store, tmp_path / "jejak.bak")
    store.close()
    with sqlite3.connect(tmp_path / "jejak.bak") as conn:
        conn.execute("UPDATE stored_events SET topic = topic || 'x' WHERE rowid = 2")
    target = EventStore(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        with pytest.raises(BackupError, match="does not verify at position 2"):
            restore(target, tmp_path / "jejak.bak")
    finally:
        target.close()


@pytest.mark.postgres
def test_postgres_backup_is_restored_with_its_own_tools_and_verifies(
    postgres_dsn: str, tmp_path: Path
) -> None:
    name = "b_" + uuid.uuid4().hex[:10]
    with psycopg.connect(postgres_dsn, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    scheme, rest = postgres_dsn.split("://", 1)
    authority, _, query = rest.partition("/")
    url = f"{scheme}://{authority}/{name}?{query.partition('?')[2]}"
    store = EventStore(url)
    try:
        head = signed_log(store)
        made = backup(store, tmp_path / "jejak.dump")
        assert made.head_position == head
        build_log(store, dossiers=1, notes=1, prefix="later")
        restored = restore(store, tmp_path / "jejak.dump", force=True)
        assert restored.checkpoint_position == head
    finally:
        store.close()
    again = EventStore(url)
    try:
        assert again.max_position() == head
        assert verify(again, None).problem is None
    finally:
        again.close()
