"""`jejak up`: start Temporal, the worker, the projector and the API; keep them running."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path
from types import FrameType

import httpx
import structlog

from infra.settings import Settings
from infra.temporal import TemporalUnavailableError, dev_server_command, wait_until_ready
from jejak.banner import api_url, print_ready
from jejak.children import Child
from jejak.demo import load_demo_if_empty

log = structlog.get_logger("jejak.supervisor")

#: The Python parts, in start order; they stop in the reverse order.
PARTS = ("worker", "projector", "sender", "api")
#: How long to wait for /health to answer 200 before saying what is wrong.
READY_TIMEOUT = 90.0
#: Seconds between two looks at the children.
TICK = 0.25


def child_environment() -> dict[str, str]:
    """The environment of a child: ours, with this source tree importable."""
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    return env


class Supervisor:
    """Starts every part of the stack, restarts what dies, and stops all on a signal."""

    def __init__(self, settings: Settings, demo: bool = True) -> None:
        self.settings = settings
        self.demo = demo
        self.stopping = threading.Event()
        self.children: list[Child] = []
        self.health_url = api_url(settings, "/health")
        # Readiness probes are ours; one log line per probe would drown the useful ones.
        logging.getLogger("httpx").setLevel(logging.WARNING)

    def run(self) -> int:
        """Run until SIGINT or SIGTERM; the exit status of `jejak up`."""
        previous = {s: signal.signal(s, self._on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            self.settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            self.start_temporal()
            if self.demo and not self.stopping.is_set():
                load_demo_if_empty(self.settings)
            env = child_environment()
            for part in PARTS:
                self._start(Child(part, [sys.executable, "-m", "jejak", part], env))
            self.supervise()
            return 0
        except TemporalUnavailableError as exc:
            log.error("cannot start", reason=str(exc))
            return 1
        finally:
            self.stop_all()
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    def start_temporal(self) -> None:
        """Start the embedded Temporal (unless one is configured) and wait until it answers."""
        temporal: Child | None = None
        if self.settings.embedded_temporal:
            temporal = Child("temporal", dev_server_command(self.settings))
            self._start(temporal)

        def keep_waiting() -> bool:
            return not self.stopping.is_set() and (temporal is None or temporal.alive)

        try:
            asyncio.run(wait_until_ready(self.settings, keep_waiting=keep_waiting))
        except TemporalUnavailableError:
            if temporal is None or temporal.alive:
                raise
            ports = f"{self.settings.temporal_port} or {self.settings.temporal_ui_port}"
            raise TemporalUnavailableError(
                f"the Temporal dev server stopped (status {temporal.exit_status()});"
                f" is port {ports} in use?"
            ) from None
        log.info("temporal ready", address=self.settings.temporal_target)

    def supervise(self) -> None:
        """Restart what dies and announce once everything answers, until told to stop."""
        announced, warned = False, False
        deadline = time.monotonic() + READY_TIMEOUT
        while not self.stopping.wait(TICK):
            self._keep_children_running()
            if announced:
                continue
            failing = self._failing_parts()
            if not failing:
                print_ready(self.settings)
                announced = True
            elif time.monotonic() > deadline and not warned:
                log.warning("not healthy yet", failing=failing, health=self.health_url)
                warned = True

    def stop_all(self) -> None:
        """Stop the children in reverse start order: api, projector, worker, temporal."""
        for child in reversed(self.children):
            child.stop()

    def _start(self, child: Child) -> None:
        self.children.append(child)
        child.start()

    def _keep_children_running(self) -> None:
        for child in self.children:
            status = child.exit_status()
            if status is not None:
                delay = child.schedule_restart()
                log.error("child died, restarting", child=child.name, status=status, delay=delay)
            if child.due_for_restart():
                child.start()

    def _failing_parts(self) -> list[str]:
        """The parts /health names as failing (``["api"]`` when it does not answer)."""
        try:
            answer = httpx.get(self.health_url, timeout=2.0)
        except httpx.HTTPError:
            return ["api"]
        if answer.status_code == 200:
            return []
        failing: list[str] = answer.json().get("failing", ["api"])
        return failing

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        log.info("stopping", signal=signal.Signals(signum).name)
        self.stopping.set()
