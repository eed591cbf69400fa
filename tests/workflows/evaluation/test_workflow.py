"""The evaluation workflow on a time-skipping server: weeks of filling pass in a moment."""

from __future__ import annotations

import pytest
import pytest_asyncio
from temporalio import activity
from temporalio.client import WorkflowUpdateFailedError
from temporalio.testing import WorkflowEnvironment

from domain.evaluation import EvaluationApplication
from infra.store import EventStore
from tests.workflows.deadline.scenario import register_search_attributes
from tests.workflows.evaluation.scenario import (
    attach,
    decoded,
    evaluation_worker,
    fill,
    open_year,
    publish,
    recorded,
    score_all,
    start,
    through_to_assessors,
    until_handled,
)
from tests.workflows.histories import keep_history
from workflows.evaluation.activities import EvaluationActivities
from workflows.evaluation.inputs import RecordScoreInput, StepInput
from workflows.evaluation.workflow import EvaluationWorkflow

YEAR_TOPIC = "jejak.evaluation:EvaluationYear"


@pytest_asyncio.fixture(loop_scope="session")
async def skipping(skipping_env: WorkflowEnvironment) -> WorkflowEnvironment:
    """The time-skipping server, with Jejak's search attributes declared."""
    await register_search_attributes(skipping_env.client)
    return skipping_env


async def test_late_opd_is_reminded_and_escalated_and_the_on_time_one_is_not(
    skipping: WorkflowEnvironment, memory_store: EventStore, task_queue: str
) -> None:
    year_id = open_year(memory_store, 2025)
    async with evaluation_worker(skipping.client, memory_store, task_queue):
        handle = await start(skipping.client, task_queue, year_id)
        attach(memory_store, year_id, "DISKOMINFO")
        await fill(handle, "DISKOMINFO")
        handled = await until_handled(skipping, handle, "DINKES/inspektorat")
        attach(memory_store, year_id, "DINKES")
        await fill(handle, "DINKES")
        await through_to_assessors(handle)
        await score_all(handle)
        index = await publish(handle)
        await keep_history(handle, "evaluation", "late-escalated")
    tracks = recorded(memory_store, "jejak.deadlines:")
    assert tracks == {"Tracked": 2, "ReminderSent": 3, "OverdueRecorded": 1, "Escalated": 2,
                      "Closed": 2}  # fmt: skip
    assert set(handled) >= {"DINKES/H-2", "DINKES/H-1", "DINKES/H-0", "DINKES/sekda"}
    assert not any(h.startswith("DISKOMINFO/") for h in handled)
    escalated = [
        e.owner_opd for e in decoded(memory_store, "jejak.deadlines:DeadlineTrack.Tracked")
    ]
    assert sorted(escalated) == ["DINKES", "DISKOMINFO"]
    late = {e.opd_code: e.late for e in decoded(memory_store, f"{YEAR_TOPIC}.ItemsFilled")}
    assert late == {"DINKES": True, "DISKOMINFO": False}
    # Output 80 x 20% + Impact 80 x 30% = 40.
    assert index == pytest.approx(40.0)
    steps = recorded(memory_store, YEAR_TOPIC)
    for step in (
        "ItemsAssigned",
        "Compiled",
        "SekdaApproved",
        "HandedToAssessors",
        "IndexPublished",
    ):
        assert steps[step] >= 1, step


def flaky_score(store: EventStore) -> object:
    """``evaluation.score`` whose first attempt writes, then dies before it reports."""
    real = EvaluationActivities.over(store)

    @activity.defn(name="evaluation.score")
    def score(given: RecordScoreInput) -> int:
        position = real.score(given)
        if activity.info().attempt == 1:
            raise RuntimeError("the worker died after writing the score")
        return position

    return score


async def test_assessor_score_is_recorded_once_under_retries_and_repeats(
    skipping: WorkflowEnvironment, memory_store: EventStore, task_queue: str
) -> None:
    year_id = open_year(memory_store, 2026)
    worker = evaluation_worker(
        skipping.client,
        memory_store,
        task_queue,
        replace=flaky_score(memory_store),  # type: ignore[arg-type]
    )
    async with worker:
        handle = await start(skipping.client, task_queue, year_id)
        for opd in ("DINKES", "DISKOMINFO"):
            attach(memory_store, year_id, opd)
            await fill(handle, opd)
        await through_to_assessors(handle)
        await score_all(handle)
        await score_all(handle)  # the same score ids again: nothing new
        index = await publish(handle)
        await keep_history(handle, "evaluation", "published")
    scores = decoded(memory_store, f"{YEAR_TOPIC}.ScoreRecorded")
    assert sorted(s.item_code for s in scores) == ["I1", "O1"]
    year = memory_store.app(EvaluationApplication).get_year(year_id)
    assert year.published_index == index
    assert all(len(item.scores) == 1 for item in year.items.values())


async def test_only_the_sekda_approves_and_steps_keep_their_order(
    skipping: WorkflowEnvironment, memory_store: EventStore, task_queue: str
) -> None:
    year_id = open_year(memory_store, 2027)
    async with evaluation_worker(skipping.client, memory_store, task_queue):
        handle = await start(skipping.client, task_queue, year_id)
        with pytest.raises(WorkflowUpdateFailedError) as early:
            await handle.execute_update(EvaluationWorkflow.compile, StepInput("admin", "staff"))
        with pytest.raises(WorkflowUpdateFailedError) as bare:
            await fill(handle, "DINKES")  # no evidence attached yet
        for opd in ("DINKES", "DISKOMINFO"):
            attach(memory_store, year_id, opd)
            await fill(handle, opd)
        await handle.execute_update(EvaluationWorkflow.compile, StepInput("admin", "staff"))
        with pytest.raises(WorkflowUpdateFailedError) as not_sekda:
            await handle.execute_update(EvaluationWorkflow.approve, StepInput("walikota", "mayor"))
        state = await handle.query(EvaluationWorkflow.state)
        await handle.terminate("test over")
    assert "have not filled" in str(early.value.cause)
    assert "no evidence" in str(bare.value.cause)
    assert "Only the Sekda" in str(not_sekda.value.cause)
    assert state.stage == "compiled"
    assert recorded(memory_store, YEAR_TOPIC)["SekdaApproved"] == 0
