"""Recorded notification histories still replay: a change that breaks determinism fails here."""

from __future__ import annotations

from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from tests.workflows.scenario import HISTORIES
from workflows.notify.wiring import notification_workflows

RECORDED = sorted(HISTORIES.glob("notification-*.json"))


def test_each_way_a_delivery_ends_has_a_recorded_history() -> None:
    names = {path.stem for path in RECORDED}
    assert names >= {
        "notification-sent",
        "notification-retried",
        "notification-dead-lettered",
        "notification-digest",
    }


async def test_recorded_notification_histories_replay_deterministically() -> None:
    replayer = Replayer(workflows=notification_workflows())
    for path in RECORDED:
        history = WorkflowHistory.from_json(path.stem, path.read_text())
        result = await replayer.replay_workflow(history)
        assert result.replay_failure is None, path.name
