"""Signed checkpoints: the chain hash at a position, signed with the city's Ed25519 key.

A checkpoint pins the history up to its position: whoever can write to the database could
rebuild a consistent chain, but cannot sign it without the key.
"""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from eventsourcing.persistence import IntegrityError

from infra.store import EventStore
from projections.audit.keys import checkpoint_message, public_key_b64, sign
from projections.audit.rawlog import CheckpointRow, RawLog
from projections.audit.verify import Problem, verify


class ChainBrokenError(Exception):
    """The chain does not verify, so no checkpoint may vouch for it."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(f"position {problem.position}: {problem.kind} ({problem.detail})")
        self.problem = problem


def latest_checkpoint(store: EventStore) -> CheckpointRow | None:
    """The newest signed checkpoint, if any."""
    checkpoints = RawLog(store).checkpoints()
    return checkpoints[-1] if checkpoints else None


def make_checkpoint(store: EventStore, key: Ed25519PrivateKey) -> CheckpointRow | None:
    """Sign the chain hash of the newest event, after recomputing the chain since the last one.

    Returns the checkpoint (the existing one when nothing was added since), or ``None`` for an
    empty log. Raises ``ChainBrokenError`` rather than sign a chain that does not verify.
    """
    last = latest_checkpoint(store)
    report = verify(store, None, since=last)
    if report.problem is not None:
        raise ChainBrokenError(report.problem)
    if report.last_position == 0 or (last and last.position == report.last_position):
        return last
    signed_at = datetime.now(UTC).isoformat()
    message = checkpoint_message(report.last_position, report.last_hash, signed_at)
    checkpoint = CheckpointRow(
        report.last_position, report.last_hash, signed_at, public_key_b64(key), sign(key, message)
    )
    try:
        RawLog(store).add_checkpoint(checkpoint)
    except (IntegrityError, psycopg.IntegrityError):
        # Another process signed the same position at the same moment: keep theirs.
        return latest_checkpoint(store)
    return checkpoint


def checkpoint_if_due(
    store: EventStore, key: Ed25519PrivateKey, every: int
) -> CheckpointRow | None:
    """Sign a checkpoint when ``every`` or more events came since the last one; else nothing."""
    last = latest_checkpoint(store)
    if store.max_position() - (last.position if last else 0) < every:
        return None
    return make_checkpoint(store, key)
