"""The chain is written with the events, and signed checkpoints pin it."""

from __future__ import annotations

import base64
import itertools
import sqlite3
import stat
import uuid
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from domain.shared import AlreadyExistsError
from infra.chain import GENESIS_HASH, canonical_record, chain_hash
from infra.settings import Settings
from infra.store import EventStore
from projections.audit.checkpoints import ChainBrokenError, checkpoint_if_due, make_checkpoint
from projections.audit.keys import public_key_b64, signing_key
from projections.audit.rawlog import RawLog
from projections.audit.verify import verify
from tests.projections.audit.dossier import Dossier, DossierApp, actor, build_log


def test_every_stored_event_gets_one_chain_row_linked_to_the_one_before(
    chained: EventStore,
) -> None:
    log = RawLog(chained)
    events, links = list(log.all_events()), list(log.all_chain())
    assert [e.position for e in events] == [link.position for link in links]
    assert links[0].prev_hash == GENESIS_HASH
    first = events[0]
    record = canonical_record(1, first.originator_id, 1, first.topic, first.state)
    assert links[0].hash == chain_hash(GENESIS_HASH, record)
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(links))
    assert verify(chained).ok


def test_refused_save_leaves_no_chain_row_behind(chained: EventStore) -> None:
    app = chained.app(DossierApp)
    with pytest.raises(AlreadyExistsError):
        app.save_new(Dossier(code="D0", title="again", **actor(0).attribution()), what="Dossier")
    app.save_new(Dossier(code="NEW", title="new", **actor(1).attribution()), what="Dossier")
    report = verify(chained)
    assert report.ok
    assert report.events_checked == len(list(RawLog(chained).all_chain()))


def test_checkpoint_is_signed_and_verified_with_the_pinned_key(chained: EventStore) -> None:
    key = Ed25519PrivateKey.generate()
    checkpoint = make_checkpoint(chained, key)
    assert checkpoint is not None
    assert checkpoint.position == chained.max_position()
    report = verify(chained, {public_key_b64(key)})
    assert report.ok
    assert report.checkpoints_checked == 1
    assert report.keys_pinned
    stranger = public_key_b64(Ed25519PrivateKey.generate())
    problem = verify(chained, {stranger}).problem
    assert problem is not None
    assert (problem.position, problem.kind) == (
        checkpoint.position,
        "unknown-key",
    )


def test_checkpoint_is_taken_only_when_enough_events_came(chained: EventStore) -> None:
    key = Ed25519PrivateKey.generate()
    first = checkpoint_if_due(chained, key, every=5)
    assert first is not None
    build_log(chained, dossiers=1, notes=2, prefix="E")  # three more events
    assert checkpoint_if_due(chained, key, every=5) is None
    assert checkpoint_if_due(chained, key, every=3) is not None
    assert len(RawLog(chained).checkpoints()) == 2


@pytest.fixture
def sqlite_store(tmp_path: Path) -> EventStore:
    store = EventStore(f"sqlite:///{tmp_path / 'events.db'}")
    build_log(store, dossiers=3, notes=3)
    return store


def test_rebuilt_chain_is_caught_by_the_signed_checkpoint(
    sqlite_store: EventStore, tmp_path: Path
) -> None:
    key = Ed25519PrivateKey.generate()
    checkpoint = make_checkpoint(sqlite_store, key)
    assert checkpoint is not None
    with sqlite3.connect(tmp_path / "events.db") as conn:
        conn.execute("UPDATE stored_events SET topic = topic || 'x' WHERE rowid = 4")
        rows = conn.execute(
            "SELECT rowid, originator_id, originator_version, topic, state FROM stored_events"
        ).fetchall()
        prev = GENESIS_HASH
        for position, oid, version, topic, state in rows:
            uuid_text = str(uuid.UUID(oid))
            current = chain_hash(prev, canonical_record(position, uuid_text, version, topic, state))
            conn.execute(
                "UPDATE event_chain SET hash=?, prev_hash=? WHERE position=?",
                (current, prev, position),
            )
            prev = current
    problem = verify(sqlite_store, {public_key_b64(key)}).problem
    assert problem is not None
    assert (problem.position, problem.kind) == (checkpoint.position, "checkpoint-mismatch")
    build_log(sqlite_store, dossiers=1, notes=0, prefix="LATER")
    with pytest.raises(ChainBrokenError):
        make_checkpoint(sqlite_store, key)


def test_forged_checkpoint_signature_is_reported(sqlite_store: EventStore, tmp_path: Path) -> None:
    key = Ed25519PrivateKey.generate()
    checkpoint = make_checkpoint(sqlite_store, key)
    assert checkpoint is not None
    with sqlite3.connect(tmp_path / "events.db") as conn:
        conn.execute("UPDATE audit_checkpoints SET signed_at = '2020-01-01T00:00:00+00:00'")
    problem = verify(sqlite_store, {public_key_b64(key)}).problem
    assert problem is not None
    assert problem.kind == "bad-signature"


def test_signing_key_is_created_once_and_readable_by_its_owner_only(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    key = signing_key(settings)
    path = tmp_path / "audit-signing.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert public_key_b64(signing_key(settings)) == public_key_b64(key)
    given = base64.b64encode(key.private_bytes_raw()).decode()
    assert public_key_b64(signing_key(Settings(audit_signing_key=given))) == public_key_b64(key)
