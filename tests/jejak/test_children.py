"""A supervised child: stopped with its whole process group, restarted with bounded backoff."""

from __future__ import annotations

import sys

import psutil
import pytest

from jejak.children import MAX_BACKOFF, Child
from tests.support.polling import until

#: Child processes, stopped and restarted with real back-off.
pytestmark = pytest.mark.slow

SPAWNS_A_GRANDCHILD = (
    "import subprocess, sys, time;"
    "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)']);"
    "time.sleep(120)"
)


def test_stopping_a_child_also_stops_its_grandchildren() -> None:
    child = Child("spawner", [sys.executable, "-c", SPAWNS_A_GRANDCHILD])
    child.start()
    assert child.process is not None
    parent = psutil.Process(child.process.pid)
    until(lambda: len(parent.children()) == 1, 20)
    grandchild = parent.children()[0]
    child.stop(grace=5)
    assert not child.alive
    _, alive = psutil.wait_procs([grandchild], timeout=5)
    assert alive == []


def test_a_child_that_keeps_dying_waits_longer_but_never_more_than_the_bound() -> None:
    child = Child("dies-at-once", [sys.executable, "-c", "raise SystemExit(1)"])
    child.start()
    assert child.process is not None
    assert child.process.wait(timeout=20) == 1
    delays = [child.schedule_restart() for _ in range(8)]
    assert delays[:3] == [1.0, 2.0, 4.0]
    assert max(delays) == MAX_BACKOFF
    assert not child.due_for_restart()


def test_a_child_that_ignores_sigterm_is_killed_after_the_grace_period() -> None:
    ignores_term = (
        "import signal, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN);time.sleep(120)"
    )
    child = Child("stubborn", [sys.executable, "-c", ignores_term])
    child.start()
    assert child.process is not None
    process = psutil.Process(child.process.pid)
    # Wait until the handler is in place, seen as the process sleeping with SIGTERM ignored.
    until(lambda: ignores_sigterm(process), 20)
    child.stop(grace=0.5)
    assert not process.is_running()


def ignores_sigterm(process: psutil.Process) -> bool:
    """True when ``process`` has SIGTERM (15) in its ignored-signal mask."""
    with open(f"/proc/{process.pid}/status") as status:
        for line in status:
            if line.startswith("SigIgn:"):
                return bool(int(line.split()[1], 16) & (1 << (15 - 1)))
    return False
