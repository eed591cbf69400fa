"""The projector's checkpointer signs as the log grows, and never over an altered log."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from structlog.testing import capture_logs

from infra.store import EventStore
from projections.audit.checkpointer import checkpoint_once
from projections.audit.rawlog import RawLog
from tests.projections.audit.dossier import build_log


def test_checkpointer_signs_once_enough_events_came(tmp_path: Path) -> None:
    store = EventStore(f"sqlite:///{tmp_path / 'events.db'}")
    build_log(store, dossiers=2, notes=2)  # six events
    key = Ed25519PrivateKey.generate()
    made = checkpoint_once(store, key, every=5)
    assert made is not None
    assert made.position == store.max_position()
    assert checkpoint_once(store, key, every=5) is None
    assert len(RawLog(store).checkpoints()) == 1


def test_checkpointer_refuses_to_sign_over_an_altered_log_and_says_so(tmp_path: Path) -> None:
    store = EventStore(f"sqlite:///{tmp_path / 'events.db'}")
    build_log(store, dossiers=2, notes=2)
    with sqlite3.connect(tmp_path / "events.db") as conn:
        conn.execute("UPDATE stored_events SET topic = topic || 'x' WHERE rowid = 3")
    with capture_logs() as logs:
        made = checkpoint_once(store, Ed25519PrivateKey.generate(), every=1)
    assert made is None
    assert RawLog(store).checkpoints() == []
    assert [entry["log_level"] for entry in logs] == ["critical"]
    assert "position 3" in logs[0]["problem"]
