"""Recorded approval histories still replay: a change that breaks determinism fails here."""

from __future__ import annotations

from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from tests.workflows.scenario import HISTORIES
from workflows.approval import ApprovalWorkflow

RECORDED = sorted(HISTORIES.glob("approval-*.json"))


def test_every_kind_of_approval_run_has_a_recorded_history() -> None:
    names = {path.stem for path in RECORDED}
    assert {
        "approval-sequential-approved",
        "approval-parallel-all",
        "approval-parallel-any",
        "approval-parallel-quorum",
        "approval-concurrent-same-person",
        "approval-returned-resubmitted",
        "approval-reassigned",
        "approval-withdrawn",
        "approval-worker-restart",
        "approval-overdue-escalated",
        "approval-not-needed",
        "approval-nobody-may-decide",
    } <= names


async def test_recorded_approval_histories_replay_deterministically() -> None:
    replayer = Replayer(workflows=[ApprovalWorkflow])
    for path in RECORDED:
        history = WorkflowHistory.from_json(path.stem, path.read_text())
        result = await replayer.replay_workflow(history)
        assert result.replay_failure is None, path.name
