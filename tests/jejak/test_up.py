"""`jejak up`: the whole stack comes up, stops cleanly without orphans, and comes up again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psutil
import pytest

from tests.support.polling import until
from tests.support.serving import free_port

ROOT = Path(__file__).resolve().parents[2]
READY_WITHIN = 90.0

pytestmark = pytest.mark.temporal


def answers(url: str) -> bool:
    """True when ``url`` answers 200."""
    try:
        return httpx.get(url, timeout=2.0).status_code == 200
    except httpx.HTTPError:
        return False


@contextmanager
def jejak_up(env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`python -m jejak up --no-demo`; whatever is left of it is killed on the way out."""
    with log.open("ab") as out:
        up = subprocess.Popen(
            [sys.executable, "-m", "jejak", "up", "--no-demo"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield up
    finally:
        if up.poll() is None:
            leftovers = [up, *psutil.Process(up.pid).children(recursive=True)]
            for process in leftovers:
                os.kill(process.pid, signal.SIGKILL)
            up.wait()


def stop_and_check_no_orphans(up: subprocess.Popen[bytes]) -> None:
    """SIGTERM `jejak up`; it exits 0 and every process it started is gone."""
    tree = psutil.Process(up.pid).children(recursive=True)
    names = " ".join(" ".join(p.cmdline()) for p in tree)
    assert "start-dev" in names
    assert "jejak api" in names
    assert "jejak worker" in names
    up.send_signal(signal.SIGTERM)
    assert up.wait(timeout=30) == 0
    _, alive = psutil.wait_procs(tree, timeout=5)
    assert alive == []


def test_jejak_up_serves_stops_cleanly_and_restarts_on_the_same_data(tmp_path: Path) -> None:
    api, temporal, ui = free_port(), free_port(), free_port()
    env = {
        **os.environ,
        "JEJAK_DATA_DIR": str(tmp_path / "data"),
        "JEJAK_API_PORT": str(api),
        "JEJAK_TEMPORAL_PORT": str(temporal),
        "JEJAK_TEMPORAL_UI_PORT": str(ui),
    }
    env.pop("JEJAK_TEMPORAL_ADDRESS", None)
    env.pop("JEJAK_EVENT_STORE_URL", None)
    log = tmp_path / "up.log"
    health, ui_url = f"http://127.0.0.1:{api}/health", f"http://127.0.0.1:{ui}"

    with jejak_up(env, log) as up:
        until(lambda: answers(health), READY_WITHIN, why=log.read_text)
        assert answers(ui_url)
        until(lambda: f"http://127.0.0.1:{api}/docs" in log.read_text(), 10)
        stop_and_check_no_orphans(up)
    assert (tmp_path / "data" / "jejak.db").is_file()
    assert (tmp_path / "data" / "temporal.db").is_file()

    with jejak_up(env, log) as up:
        until(lambda: answers(health), READY_WITHIN, why=log.read_text)
        assert (tmp_path / "data" / "jejak.db").is_file()
        stop_and_check_no_orphans(up)
