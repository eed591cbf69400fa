"""The real processes a benchmark talks to: Temporal dev server, worker, projector, API."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bench.stores import fresh_dir
from infra.scenario import ScenarioApps, load_reference_scenario
from infra.settings import Settings
from infra.store import EventStore
from infra.temporal import dev_server_command
from jejak.supervisor import child_environment

#: The same server settings for Jejak's API and the trivial endpoint.
UVICORN = {"host": "127.0.0.1", "log_level": "warning", "access_log": False}


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Proc:
    """One child process that can be killed with SIGKILL and started again."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], log: Path) -> None:
        self.name, self.command, self.env, self.log = name, command, env, log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Proc:
        """Start (again)."""
        out = self.log.open("ab")
        self.process = subprocess.Popen(self.command, env=self.env, stdout=out, stderr=out)
        return self

    @property
    def pid(self) -> int:
        """The running process's id."""
        if self.process is None:
            raise RuntimeError(f"{self.name} is not started")
        return self.process.pid

    def kill(self) -> None:
        """kill -9, and reap it."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after a few seconds."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.kill()


class Stack:
    """Temporal, the worker, the projector and the API over one SQLite store, on free ports."""

    def __init__(self, data_dir: Path, store_url: str) -> None:
        self.data_dir = data_dir
        self.settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            data_dir=data_dir,
            event_store_url=store_url,
            temporal_port=free_port(),
            temporal_ui_port=free_port(),
            api_port=free_port(),
            log_level="WARNING",
            dev_mode=True,
        )
        self.env = {
            **child_environment(),
            "JEJAK_DATA_DIR": str(data_dir),
            "JEJAK_EVENT_STORE_URL": store_url,
            "JEJAK_TEMPORAL_ADDRESS": self.settings.temporal_target,
            "JEJAK_API_PORT": str(self.settings.api_port),
            "JEJAK_LOG_LEVEL": "WARNING",
            # Benchmarks sign dev tokens and measure throughput, not the per-caller limit.
            "JEJAK_DEV_MODE": "true",
            "JEJAK_RATE_LIMIT": "",
        }
        self.procs: dict[str, Proc] = {}
        #: The port of each API process, by name.
        self.api_ports: dict[str, int] = {}

    def url(self, path: str = "", api: str = "api") -> str:
        """The URL of API process ``api`` (the first one unless told)."""
        return f"http://127.0.0.1:{self.api_ports.get(api, self.settings.api_port)}{path}"

    def _proc(self, name: str, command: list[str]) -> Proc:
        proc = Proc(name, command, self.env, self.data_dir / f"{name}.log")
        self.procs[name] = proc
        return proc.start()

    def kill(self, name: str) -> None:
        """kill -9 the process ``name``."""
        self.procs[name].kill()

    def revive(self, name: str) -> None:
        """Start the killed process ``name`` again; an API until it answers."""
        self.procs[name].start()
        if name in self.api_ports:
            wait_http(self.url("/health", name), 120)

    def start_temporal(self) -> None:
        """The Temporal dev server (the binary beside this Python), ready."""
        self._proc("temporal", dev_server_command(self.settings))
        wait_port(self.settings.temporal_port, 60)

    def start_worker(self, name: str = "worker") -> Proc:
        """A Temporal worker process."""
        return self._proc(name, [sys.executable, "-m", "bench.worker"])

    def start_projector(self, name: str = "projector") -> Proc:
        """A projector process."""
        return self._proc(name, [sys.executable, "-m", "jejak", "projector"])

    def start_api(self, name: str = "api", port: int | None = None) -> Proc:
        """An API process (Jejak under uvicorn, on the settings' port unless told), ready."""
        self.api_ports[name] = port or self.settings.api_port
        proc = self._proc(name, serve_command("api.app:create_app", self.api_ports[name]))
        wait_http(self.url("/health", name), 60)
        return proc

    def stop(self) -> None:
        """Stop everything, newest first."""
        for proc in reversed(list(self.procs.values())):
            proc.stop()


def seed_reference_city(url: str) -> None:
    """Load the reference city into the (empty) store at ``url``."""
    store = EventStore(url)
    try:
        load_reference_scenario(ScenarioApps.of(store.app))
    finally:
        store.close()


def reference_stack(label: str) -> Stack:
    """A stack (not started) over a fresh SQLite store holding the reference city."""
    data_dir = fresh_dir(label)
    url = f"sqlite:///{data_dir / 'events.db'}"
    seed_reference_city(url)
    return Stack(data_dir, url)


def serve_command(factory: str, port: int) -> list[str]:
    """uvicorn serving an app factory, the same way for Jejak and the trivial app."""
    return [sys.executable, "-m", "bench.serve", factory, str(port)]


def wait_port(port: int, within: float) -> None:
    """Wait until something listens on ``port``."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on port {port}")


def wait_http(url: str, within: float) -> None:
    """Wait until ``url`` answers at all."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1.0)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise TimeoutError(f"{url} does not answer")


def cpu_env() -> dict[str, str]:
    """The environment (for completeness of the report)."""
    return {k: v for k, v in os.environ.items() if k.startswith("JEJAK_")}
