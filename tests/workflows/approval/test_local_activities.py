"""A decision sent with a mandate: the workflow chooses the OPD, on its own worker."""

from __future__ import annotations

import uuid

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from domain.approvals.values import ApprovalStatus, Verdict
from domain.shared import ConflictError
from infra.store import EventStore
from tests.workflows.approval.scenario import approval_input, events, start, step
from tests.workflows.histories import keep_history
from tests.workflows.workers import running_worker
from workflows.approval import client as approvals
from workflows.approval.calls import LOCAL_ACTIVITIES
from workflows.approval.inputs import DecideInput, Mandate

pytestmark = [pytest.mark.temporal, pytest.mark.asyncio(loop_scope="session")]


def sent(person: str, mandate: Mandate) -> DecideInput:
    """A decision as the API sends it: no OPD, no capacity, the caller's mandate."""
    return DecideInput(str(uuid.uuid4()), person, "", "", Verdict.APPROVE, "Sesuai.", mandate)


async def scheduled_and_markers(handle: WorkflowHandle[object, str]) -> tuple[list[str], int]:
    """The activity types scheduled through the server, and the number of markers."""
    history = await handle.fetch_history()
    scheduled = [
        e.activity_task_scheduled_event_attributes.activity_type.name
        for e in history.events
        if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
    ]
    markers = [e for e in history.events if e.event_type == EventType.EVENT_TYPE_MARKER_RECORDED]
    return scheduled, len(markers)


async def test_the_workflow_chooses_the_opd_of_the_mandate_and_runs_activities_locally(
    dev_env: WorkflowEnvironment, memory_store: EventStore, task_queue: str
) -> None:
    approval = approval_input([step(0, "DINKES"), step(1, "BAPPEDA", "DISDIK")])
    async with running_worker(dev_env.client, memory_store, task_queue):
        handle = await start(dev_env.client, task_queue, approval)
        first = sent("NIP-DINKES", Mandate({"DINKES": "plt", "DISPORA": "head"}))
        state = await approvals.decide(dev_env.client, approval.request_id, first)
        assert state.current_step == 1
        # The Sekda may decide for any OPD of the step, but must say which of the two.
        sekda = Mandate({}, anywhere_as="sekda")
        with pytest.raises(ConflictError, match="Name one of BAPPEDA, DISDIK"):
            await approvals.decide(dev_env.client, approval.request_id, sent("NIP-SEKDA", sekda))
        stranger = Mandate({"DISPORA": "head"})
        with pytest.raises(ConflictError, match="none of the OPDs"):
            await approvals.decide(dev_env.client, approval.request_id, sent("NIP-X", stranger))
        for opd in ("BAPPEDA", "DISDIK"):
            mandate = Mandate({opd: "head"}, asked=opd.lower())
            state = await approvals.decide(dev_env.client, approval.request_id, sent(opd, mandate))
        assert state.status == ApprovalStatus.APPROVED
        assert await handle.result() == ApprovalStatus.APPROVED
        await keep_history(handle, "approval", LOCAL_ACTIVITIES.removeprefix("approval-"))
        scheduled, markers = await scheduled_and_markers(handle)
    decided = [(d["opd_code"], d["capacity"]) for d in events(memory_store, "DecisionRecorded")]
    assert decided == [("DINKES", "plt"), ("BAPPEDA", "head"), ("DISDIK", "head")]
    # No task through the server; a marker for the patch and for each local activity:
    # the request ensured, two steps opened, three decisions, the outcome applied.
    assert scheduled == []
    assert markers == 1 + 1 + 2 + 3 + 1
