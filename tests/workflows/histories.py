"""Recorded workflow histories: replayed at the end of a test, kept when asked.

``tests/workflows/histories/<kind>-<name>.json``: the Replayer tests replay every one of
them with today's code, so a change that breaks determinism (or no longer decodes what
running workflows hold) fails.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from temporalio.client import WorkflowHandle
from temporalio.worker import Replayer

from workflows.approval.workflow import ApprovalWorkflow
from workflows.deadline.workflow import DeadlineWorkflow
from workflows.evaluation.workflow import EvaluationWorkflow
from workflows.notify.wiring import notification_workflows

HISTORIES = Path(__file__).parent / "histories"
#: Set to re-record the committed histories from the tests' own runs.
RECORD_ENV = "JEJAK_RECORD_HISTORIES"

#: The workflow classes that replay the histories of each kind (the file name's prefix).
WORKFLOWS: dict[str, Sequence[type]] = {
    "approval": [ApprovalWorkflow],
    "deadline": [DeadlineWorkflow],
    "evaluation": [EvaluationWorkflow],
    "notification": notification_workflows(),
}


async def keep_history(handle: WorkflowHandle[Any, Any], kind: str, name: str) -> None:
    """Replay the run's history now (non-determinism fails the test) and, when asked, keep it."""
    history = await handle.fetch_history()
    await Replayer(workflows=WORKFLOWS[kind]).replay_workflow(history)
    if os.environ.get(RECORD_ENV):
        HISTORIES.mkdir(exist_ok=True)
        (HISTORIES / f"{kind}-{name}.json").write_text(history.to_json())
