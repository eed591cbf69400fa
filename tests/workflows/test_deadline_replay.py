"""Recorded deadline histories still replay: a change that breaks determinism fails here."""

from __future__ import annotations

from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from tests.workflows.deadline_scenario import HISTORIES
from workflows.deadline import DeadlineWorkflow

RECORDED = sorted(HISTORIES.glob("deadline-*.json"))


def test_every_kind_of_deadline_run_has_a_recorded_history() -> None:
    names = {path.stem for path in RECORDED}
    assert {
        "deadline-escalated",
        "deadline-continued-as-new",
        "deadline-due-date-moved",
        "deadline-done",
        "deadline-reopened",
    } <= names


async def test_recorded_deadline_histories_replay_deterministically() -> None:
    replayer = Replayer(workflows=[DeadlineWorkflow])
    for path in RECORDED:
        history = WorkflowHistory.from_json(path.stem, path.read_text())
        result = await replayer.replay_workflow(history)
        assert result.replay_failure is None, path.name
