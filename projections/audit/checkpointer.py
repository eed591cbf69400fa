"""Signs checkpoints of the chain as the log grows, beside the projector."""

from __future__ import annotations

import threading

import structlog
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from infra.settings import Settings
from infra.store import EventStore
from projections.audit.checkpoints import ChainBrokenError, checkpoint_if_due
from projections.audit.keys import signing_key
from projections.audit.rawlog import CheckpointRow

log = structlog.get_logger(__name__)

#: Seconds between looks at the log; a checkpoint is signed when enough events arrived.
CHECK_EVERY_SECONDS = 5.0


def checkpoint_once(store: EventStore, key: Ed25519PrivateKey, every: int) -> CheckpointRow | None:
    """Sign a checkpoint if ``every`` events came since the last; never over an altered log."""
    try:
        made = checkpoint_if_due(store, key, every)
    except ChainBrokenError as broken:
        # The record was altered: never sign over it, and say so loudly every time.
        log.critical("event log altered: no checkpoint signed", problem=str(broken))
        return None
    if made is not None:
        log.info("checkpoint signed", position=made.position)
    return made


def run_checkpointer(settings: Settings, store: EventStore, stop: threading.Event) -> None:
    """Every few seconds, sign a checkpoint when ``audit_checkpoint_every`` events came since."""
    key = signing_key(settings)
    while not stop.wait(CHECK_EVERY_SECONDS):
        checkpoint_once(store, key, settings.audit_checkpoint_every)


def start_checkpointer(
    settings: Settings, store: EventStore, stop: threading.Event
) -> threading.Thread:
    """Run the checkpointer in a daemon thread until ``stop`` is set."""
    thread = threading.Thread(
        target=run_checkpointer, args=(settings, store, stop), name="checkpoints", daemon=True
    )
    thread.start()
    return thread
