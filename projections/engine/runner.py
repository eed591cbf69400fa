"""Runs every read model over the shared log, resuming each from its stored position."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Sequence
from typing import Any

import structlog
from eventsourcing.persistence import Notification

from infra.background import HeartbeatWriter, LoopStatus
from infra.follower import LogFollower
from infra.settings import Settings
from infra.store import EventStore, open_store
from projections.engine.generations import BeforeTracking, apply_to_views, ensure_view
from projections.engine.operations import projection_health
from projections.engine.rebuild import Progress, Rebuilder
from projections.engine.view import EventDecoder, View, decode_for
from projections.engine.viewstore import ViewStore
from projections.engine.viewstore_lock import REBUILD_LOCK, exclusive

__all__ = ["ProjectionRunner", "projection_health", "run_projector"]

log = structlog.get_logger(__name__)

#: Test hook for the crash test: the runner dies (exit 137, like ``kill -9``) after
#: writing the rows of the batch that reaches this position, before writing its position.
CRASH_AT_ENV = "JEJAK_TEST_CRASH_AT"


def _crash_hook() -> BeforeTracking | None:
    crash_at = int(os.environ.get(CRASH_AT_ENV, "0") or 0)
    if not crash_at:
        return None

    def crash(position: int) -> None:
        if position >= crash_at:
            os._exit(137)

    return crash


class TickingFollower(LogFollower):
    """A log follower that tells a loop status it is alive at every read, busy or idle."""

    def __init__(self, status: LoopStatus, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.status = status

    def read(
        self, after: int, limit: int | None = None, upto: int | None = None
    ) -> list[Notification]:
        """One batch after ``after``; a successful read counts as a sign of life."""
        batch = super().read(after, limit, upto)
        # The live loop reads after what it has applied; a rebuild (``upto``) says nothing.
        self.status.succeeded(after if upto is None else None)
        return batch


class ProjectionRunner:
    """Applies the log to every view in one thread, one transaction per batch."""

    def __init__(
        self,
        store: EventStore,
        views: Sequence[View],
        poll_interval: float = 0.2,
        batch_size: int = 200,
    ) -> None:
        self.store = store
        self.views = list(views)
        self.viewstore = ViewStore(store)
        self.status = LoopStatus("projector", role="running")
        self.follower = TickingFollower(self.status, store, poll_interval, batch_size)
        self.decoder = EventDecoder(store)
        self.rebuilder = Rebuilder(self.viewstore, self.follower, self.decoder)
        self._before_tracking = _crash_hook()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def prepare(self, progress: Progress | None = None) -> None:
        """Create new views; rebuild those whose version changed (the old one serves meanwhile)."""
        stale = [view for view in self.views if not ensure_view(self.viewstore, view)]
        if not stale:
            return
        with exclusive(self.store, REBUILD_LOCK):
            # Another projector may have rebuilt them while this one waited for the lock.
            stale = [view for view in stale if not ensure_view(self.viewstore, view)]
            if stale:
                self.rebuilder.rebuild_all(stale, progress)

    def apply(self, notifications: Sequence[Notification]) -> None:
        """Apply one batch of the log to every view, in one transaction."""
        if not notifications:
            return
        events = decode_for(self.decoder, self.views, notifications)
        targets: list[tuple[View, int | None]] = [(view, None) for view in self.views]
        apply_to_views(self.viewstore, targets, events, notifications[-1].id, self._before_tracking)

    def lowest_position(self) -> int:
        """The position of the view that is furthest behind."""
        positions = self.viewstore.positions(v.name for v in self.views)
        return min((positions.get(v.name, 0) for v in self.views), default=0)

    def catch_up(self) -> int:
        """Apply everything written so far, then return the position reached."""
        position = self.lowest_position()
        while batch := self.follower.read(position):
            self.apply(batch)
            position = batch[-1].id
        return position

    def run(self, stop: threading.Event) -> None:
        """Follow the log until ``stop`` is set; failures are logged and retried."""
        backoff = 0.0
        while not stop.is_set():
            try:
                self.prepare()
                for batch in self.follower.follow(self.lowest_position(), stop):
                    self.apply(batch)
                    backoff = 0.0
                    log.debug("read models advanced", position=batch[-1].id)
            except Exception as exc:  # the database or a handler failed: retry from storage
                backoff = min(self.follower.max_backoff, max(backoff * 2, 0.2))
                self.status.failed(exc)
                log.error("read models stalled", error=repr(exc), retry_in=backoff)
                self.viewstore.reset()
                stop.wait(backoff)

    def start(self) -> threading.Thread:
        """Run in a background thread (``stop()`` ends it)."""
        self._stop.clear()
        self._thread = threading.Thread(
            target=self.run, args=(self._stop,), name="projections", daemon=True
        )
        self._thread.start()
        return self._thread

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the background thread and release the view store's connection."""
        self._stop.set()
        self.follower.wake()
        if self._thread is not None:
            self._thread.join(timeout)
        self.viewstore.close()

    @property
    def alive(self) -> bool:
        """True while the background thread runs."""
        return self._thread is not None and self._thread.is_alive()


def run_projector(settings: Settings) -> int:
    """The projector process: run every registered view until SIGTERM or SIGINT; exit status."""
    from projections.audit.checkpointer import Checkpointer, start_checkpointer
    from projections.engine.days import start_day_refresher
    from projections.engine.registry import all_views

    store = open_store(settings)
    runner = ProjectionRunner(store, all_views(), settings.poll_interval)
    stop = threading.Event()

    def request_stop(signum: int, _frame: Any) -> None:
        log.info("projector stopping", signal=signal.Signals(signum).name)
        stop.set()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)
    kind = "postgres" if store.is_postgres else "sqlite"
    log.info("projector started", views=[v.name for v in runner.views], store=kind)
    checkpointer = Checkpointer(settings, store)
    heartbeat = HeartbeatWriter(store, [runner.status, checkpointer.status]).start()
    checkpoints = start_checkpointer(checkpointer, stop)
    days = start_day_refresher(settings, store, stop)
    try:
        runner.run(stop)
    finally:
        checkpoints.join()
        heartbeat.stop()
        days.join()
        runner.viewstore.close()
        store.close()
        log.info("projector stopped")
    return 0
