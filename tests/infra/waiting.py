"""Bounded polling for tests that wait on other processes (never a blind sleep)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


def eventually(check: Callable[[], bool], within: float, every: float = 0.1) -> bool:
    """True as soon as ``check()`` is true; False when ``within`` seconds pass first."""
    deadline = time.monotonic() + within
    pause = threading.Event()
    while time.monotonic() < deadline:
        if check():
            return True
        pause.wait(every)
    return check()
