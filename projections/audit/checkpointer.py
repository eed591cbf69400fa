"""Signs checkpoints of the chain as the log grows, beside the projector, one process at once."""

from __future__ import annotations

import threading

import structlog
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from infra.background import LoopStatus
from infra.leader import Lease
from infra.settings import Settings
from infra.store import EventStore
from projections.audit.checkpoints import ChainBrokenError, checkpoint_if_due, latest_checkpoint
from projections.audit.keys import signing_key
from projections.audit.rawlog import CheckpointRow

log = structlog.get_logger(__name__)

#: The lease that lets one process sign at a time, and the job name of its heartbeats.
LEASE_NAME = "checkpointer"
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


class Checkpointer:
    """Signs checkpoints while this process holds the checkpointer lease; survives outages."""

    def __init__(
        self, settings: Settings, store: EventStore, every_seconds: float = CHECK_EVERY_SECONDS
    ) -> None:
        self.store, self.every_seconds = store, every_seconds
        self.key = signing_key(settings)
        self.every = settings.audit_checkpoint_every
        self.lease = Lease(store, LEASE_NAME)
        self.status = LoopStatus(LEASE_NAME)

    def round(self) -> None:
        """Lead or stand by, then sign when due; errors are recorded, not raised."""
        if not self.lease.hold():
            self.status.tick("standby")
            return
        self.status.tick("leader")
        try:
            checkpoint_once(self.store, self.key, self.every)
            last = latest_checkpoint(self.store)
        except Exception as exc:  # the database is away: try again at the next round
            self.status.failed(exc)
            log.error("checkpointer stalled", error=repr(exc))
            return
        if last is not None:
            self.status.detail.update(
                last_checkpoint_at=last.signed_at, last_checkpoint_position=last.position
            )
        self.status.succeeded(last.position if last else 0)

    def run(self, stop: threading.Event) -> None:
        """Run rounds until ``stop`` is set, waiting longer after each failure (up to a minute)."""
        wait = 0.0
        try:
            while not stop.wait(wait):
                self.round()
                failing = self.status.last_error_at > self.status.last_ok_at
                wait = min(60.0, wait * 2 or 1.0) if failing else self.every_seconds
                if not self.lease.held:
                    wait = min(wait, 1.0)  # a follower asks for the lease again each second
        finally:
            self.lease.release()


def start_checkpointer(checkpointer: Checkpointer, stop: threading.Event) -> threading.Thread:
    """Run the checkpointer in a daemon thread until ``stop`` is set."""
    thread = threading.Thread(
        target=checkpointer.run, args=(stop,), name="checkpoints", daemon=True
    )
    thread.start()
    return thread
