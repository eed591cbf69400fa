"""Racing starters: run functions in threads released at the same moment."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def together(*work: Callable[[], T], timeout: float = 60.0) -> list[T]:
    """Run each function in a thread of its own, all released at once; their results, in
    order. An error in any of them fails the test."""
    barrier = threading.Barrier(len(work))
    results: dict[int, T] = {}
    errors: list[BaseException] = []

    def run(index: int, job: Callable[[], T]) -> None:
        try:
            barrier.wait()
            results[index] = job()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(work)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not errors, errors
    assert len(results) == len(work), "a starter did not finish"
    return [results[i] for i in range(len(work))]
