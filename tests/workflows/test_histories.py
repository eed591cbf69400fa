"""Recorded histories still replay: a change that breaks determinism fails here."""

from __future__ import annotations

import pytest
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from tests.workflows.histories import HISTORIES, WORKFLOWS

#: Every kind of run that must keep a recorded history, by the workflows that replay it.
EXPECTED = {
    "approval": {
        "sequential-approved",
        "parallel-all",
        "parallel-any",
        "parallel-quorum",
        "concurrent-same-person",
        "returned-resubmitted",
        "reassigned",
        "withdrawn",
        "worker-restart",
        "overdue-escalated",
        "not-needed",
        "nobody-may-decide",
        "local-activities",
    },
    "deadline": {"escalated", "continued-as-new", "due-date-moved", "done", "reopened"},
    "evaluation": {"published", "late-escalated"},
    "notification": {"sent", "retried", "dead-lettered", "digest", "expired"},
}


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_every_kind_of_run_has_a_recorded_history(kind: str) -> None:
    names = {path.stem.removeprefix(f"{kind}-") for path in HISTORIES.glob(f"{kind}-*.json")}
    assert EXPECTED[kind] <= names


@pytest.mark.parametrize("kind", sorted(EXPECTED))
async def test_recorded_histories_replay_deterministically(kind: str) -> None:
    replayer = Replayer(workflows=WORKFLOWS[kind])
    for path in sorted(HISTORIES.glob(f"{kind}-*.json")):
        history = WorkflowHistory.from_json(path.stem, path.read_text())
        result = await replayer.replay_workflow(history)
        assert result.replay_failure is None, path.name
