"""Recorded histories of the notification workflows: replayed now, kept when asked."""

from __future__ import annotations

import os
from typing import Any

from temporalio.client import WorkflowHandle
from temporalio.worker import Replayer

from tests.workflows.scenario import HISTORIES, RECORD_ENV
from workflows.notify.wiring import notification_workflows


async def keep_history(handle: WorkflowHandle[Any, Any], name: str) -> None:
    """Replay the run's history now (non-determinism fails the test) and, when asked, keep it."""
    history = await handle.fetch_history()
    await Replayer(workflows=notification_workflows()).replay_workflow(history)
    if os.environ.get(RECORD_ENV):
        HISTORIES.mkdir(exist_ok=True)
        (HISTORIES / f"notification-{name}.json").write_text(history.to_json())
