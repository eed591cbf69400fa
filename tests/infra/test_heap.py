"""A long-running process freezes its start-up heap once: later collections skip it."""

from __future__ import annotations

import gc

from infra import heap


def test_settling_freezes_what_is_alive_and_only_once() -> None:
    heap.settle()
    frozen = gc.get_freeze_count()
    assert frozen > 10_000  # the interpreter, pytest and Jejak's modules, at the least
    made_after = [[n] for n in range(1000)]
    heap.settle()  # a second call (another app in the same process) freezes nothing more
    assert gc.get_freeze_count() == frozen
    del made_after
