"""JEJAK_API_WORKERS: ``jejak api`` serves with that many worker processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from infra.settings import SettingsError, load_settings
from tests.support.serving import free_port

ROOT = Path(__file__).resolve().parents[3]


def children(pid: int) -> list[int]:
    """The direct child processes of ``pid``."""
    found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(c) for c in found]


def test_zero_api_workers_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JEJAK_API_WORKERS", "0")
    with pytest.raises(SettingsError, match=r"^JEJAK_API_WORKERS: "):
        load_settings()


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc")
@pytest.mark.slow  # starts `jejak` as a process
def test_jejak_api_starts_the_configured_worker_processes(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "JEJAK_API_WORKERS": "2",
        "JEJAK_API_PORT": str(port),
        "JEJAK_DATA_DIR": str(tmp_path),
        "JEJAK_EVENT_STORE_URL": f"sqlite:///{tmp_path / 'events.db'}",
        "JEJAK_TEMPORAL_ADDRESS": f"127.0.0.1:{free_port()}",
        "JEJAK_LOG_LEVEL": "WARNING",
    }
    api = subprocess.Popen(
        [sys.executable, "-m", "jejak", "api"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL
    )
    try:
        deadline, answered = time.monotonic() + 90, 0
        while time.monotonic() < deadline and answered < 4:
            try:
                answered += httpx.get(f"http://127.0.0.1:{port}/health", timeout=5).status_code > 0
            except httpx.HTTPError:
                time.sleep(0.2)
        assert answered == 4
        workers = [
            c for c in children(api.pid) if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()
        ]
        assert len(workers) == 2
    finally:
        api.send_signal(signal.SIGINT)
        try:
            api.wait(20)
        except subprocess.TimeoutExpired:
            api.kill()
            api.wait()
