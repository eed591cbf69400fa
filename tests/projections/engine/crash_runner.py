"""Runs the projector once over the log in a separate process (the crash test kills it)."""

from __future__ import annotations

import json
import sys

from infra.store import EventStore
from projections.engine.runner import ProjectionRunner
from projections.views.timeline.view import TimelineView
from tests.projections.sample import EventCounts


def main(spec: str) -> None:
    """Catch up every test view, in batches of 10."""
    given = json.loads(spec)
    store = EventStore(given["url"], given["env"])
    runner = ProjectionRunner(store, [TimelineView(), EventCounts()], batch_size=10)
    runner.prepare()
    runner.catch_up()
    runner.viewstore.close()
    store.close()


if __name__ == "__main__":
    main(sys.argv[1])
