"""Bounded polling for tests that wait on other threads, processes or workflows: never a blind
sleep, always a deadline. ``until`` blocks (threads and child processes); ``eventually`` awaits
(the asyncio tests, whose engine runs on the same loop)."""

from __future__ import annotations

import asyncio
import inspect
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar, overload

T = TypeVar("T")

#: How long to wait between two looks, unless told.
EVERY = 0.05


def until(
    check: Callable[[], object],
    seconds: float = 20.0,
    *,
    every: float = EVERY,
    why: Callable[[], str] = lambda: "",
) -> float:
    """Seconds until ``check()`` held; fails after ``seconds``, saying ``why()``."""
    started = time.monotonic()
    pause = threading.Event()
    while time.monotonic() - started < seconds:
        if check():
            return time.monotonic() - started
        pause.wait(every)
    if check():
        return time.monotonic() - started
    raise AssertionError(f"not within {seconds} s {why()}".rstrip())


@overload
async def eventually(
    read: Callable[[], Awaitable[T]],
    done: Callable[[T], object] = ...,
    seconds: float = ...,
    *,
    every: float = ...,
) -> T: ...


@overload
async def eventually(
    read: Callable[[], T],
    done: Callable[[T], object] = ...,
    seconds: float = ...,
    *,
    every: float = ...,
) -> T: ...


async def eventually(
    read: Callable[[], Any],
    done: Callable[[Any], object] = bool,
    seconds: float = 20.0,
    *,
    every: float = EVERY,
) -> Any:
    """What ``read()`` (awaited if need be) gave once ``done`` held; fails after ``seconds``."""
    async with asyncio.timeout(seconds):
        while True:
            value = read()
            if inspect.isawaitable(value):
                value = await value
            if done(value):
                return value
            await asyncio.sleep(every)
