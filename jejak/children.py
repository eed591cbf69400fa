"""One supervised child process: start, stop (its whole process group), restart with backoff."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from dataclasses import dataclass, field

import structlog

log = structlog.get_logger("jejak.supervisor")

#: Longest wait between two restarts of a child that keeps dying.
MAX_BACKOFF = 30.0
#: A child that ran this long before dying is restarted at once (its failures are forgotten).
STABLE_AFTER = 30.0


@dataclass
class Child:
    """A part of the stack run as its own process, in its own session."""

    name: str
    argv: list[str]
    env: dict[str, str] | None = None
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    started_at: float = 0.0
    failures: int = 0
    restart_at: float | None = None

    def start(self) -> None:
        """Start the process; its own session keeps Ctrl-C for the supervisor alone."""
        # The command line is built by the supervisor, never taken from outside.
        self.process = subprocess.Popen(self.argv, env=self.env, start_new_session=True)  # noqa: S603
        self.started_at = time.monotonic()
        self.restart_at = None
        log.info("started", child=self.name, pid=self.process.pid)

    @property
    def alive(self) -> bool:
        """True while the process runs."""
        return self.process is not None and self.process.poll() is None

    def exit_status(self) -> int | None:
        """The status it exited with, or None while it runs (or never started)."""
        return None if self.process is None else self.process.poll()

    def schedule_restart(self) -> float:
        """Plan the next start after a death, backing off while it keeps dying fast."""
        now = time.monotonic()
        ran_for = now - self.started_at
        self.failures = 0 if ran_for > STABLE_AFTER else self.failures + 1
        delay = min(MAX_BACKOFF, 2.0 ** (self.failures - 1)) if self.failures else 0.0
        self.restart_at = now + delay
        self.process = None
        return delay

    def due_for_restart(self) -> bool:
        """True when a planned restart time has come."""
        return self.restart_at is not None and time.monotonic() >= self.restart_at

    def stop(self, grace: float = 10.0) -> None:
        """SIGTERM its process group, wait up to ``grace`` seconds, then SIGKILL."""
        self.restart_at = None
        if self.process is None:
            return
        signal_group(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(grace)
        except subprocess.TimeoutExpired:
            log.warning("did not stop in time, killing", child=self.name, grace=grace)
            signal_group(self.process.pid, signal.SIGKILL)
            self.process.wait()
        # Grandchildren share the group; make sure none outlives its parent.
        signal_group(self.process.pid, signal.SIGKILL)
        log.info("stopped", child=self.name, status=self.process.returncode)
        self.process = None


def signal_group(leader: int, signum: signal.Signals) -> None:
    """Send ``signum`` to every process of the group led by ``leader``, if any is left."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(leader, signum)
