"""A projection runner for a test: prepared (tables made), not following, stopped afterwards."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from infra.store import EventStore
from projections.engine.runner import ProjectionRunner
from projections.engine.view import View


@contextmanager
def prepared(
    store: EventStore, views: Sequence[View], **options: Any
) -> Iterator[ProjectionRunner]:
    """A runner of ``views`` over ``store``, prepared but not following; stopped on leaving."""
    runner = ProjectionRunner(store, list(views), **options)
    runner.prepare()
    try:
        yield runner
    finally:
        runner.stop()
