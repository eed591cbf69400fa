"""The approval workflow on a real Temporal server with the real activities and event store."""

from __future__ import annotations

import asyncio

import pytest
from temporalio.testing import WorkflowEnvironment

from domain.approvals.errors import (
    ActingRestrictedError,
    AlreadyDecidedError,
    FourEyesError,
    NotHeadError,
    RequestClosedError,
    WrongOpdError,
)
from domain.approvals.values import ApprovalStatus, Mode, Verdict
from domain.shared import DomainError
from infra.store import EventStore
from tests.workflows.approval.scenario import (
    SUBMITTER,
    approval_input,
    ballot,
    event_names,
    events,
    start,
    step,
)
from tests.workflows.histories import keep_history
from tests.workflows.workers import running_worker
from workflows.approval import client as approvals
from workflows.approval.client import ApprovalNotRunningError
from workflows.approval.inputs import ReassignInput, ResubmitInput, WithdrawInput
from workflows.approval.workflow import ApprovalWorkflow
from workflows.search import OPD_CODE, STATUS

pytestmark = [pytest.mark.temporal, pytest.mark.asyncio(loop_scope="session")]


async def test_sequential_route_is_approved_step_by_step(
    dev_env: WorkflowEnvironment, memory_store: EventStore, task_queue: str
) -> None:
    approval = approval_input([step(0, "DINKES"), step(1, "BAPPEDA")])
    async with running_worker(dev_env.client, memory_store, task_queue):
        handle = await start(dev_env.client, task_queue, approval)
        first = await approvals.decide(dev_env.client, approval.request_id, ballot("DINKES"))
        assert first.current_step == 1
        assert first.steps[0].outcome == ApprovalStatus.APPROVED
        with pytest.raises(WrongOpdError):
            await approvals.decide(dev_env.client, approval.request_id, ballot("DINKES"))
        last = await approvals.decide(dev_env.client, approval.request_id, ballot("BAPPEDA"))
        assert last.status == ApprovalStatus.APPROVED
        assert await handle.result() == ApprovalStatus.APPROVED
        await keep_history(handle, "approval", "sequential-approved")
    decisions = events(memory_store, "DecisionRecorded")
    assert [d["opd_code"] for d in decisions] == ["DINKES", "BAPPEDA"]
    description = await handle.describe()
    assert all(d["workflow_id"] == handle.id for d in decisions)
    assert all(d["run_id"] == description.run_id for d in decisions)
    assert description.typed_search_attributes.get(STATUS) == ApprovalStatus.APPROVED


@pytest.mark.parametrize(
    ("mode", "quorum", "approvers", "decided_after"),
    [
        (Mode.ALL, None, ["DINKES", "BAPPEDA", "DISDIK"], 3),
        (Mode.ANY, None, ["BAPPEDA"], 1),
        (Mode.QUORUM, 2, ["DISDIK", "DINKES"], 2),
    ],
)
async def test_parallel_step_completes_when_its_mode_is_met(
    dev_env: WorkflowEnvironment,
    memory_store: EventStore,
    task_queue: str,
    mode: str,
    quorum: int | None,
    approvers: list[str],
    decided_after: int,
) -> None:
    route = [step(0, "DINKES", "BAPPEDA", "DISDIK", mode=mode, quorum=quorum)]
    approval = approval_input(route)
    async with running_worker(dev_env.client, memory_store, task_queue):
        handle = await start(dev_env.client, task_queue, approval)
        for count, opd in enumerate(approvers, start=1):
            state = await approvals.decide(dev_env.client, approval.request_id, ballot(opd))
            expected = ApprovalStatus.APPROVED if count == decided_after else "in-progress"
            assert state.status == expected
        assert await handle.result() == ApprovalStatus.APPROVED
        await keep_history(handle, "approval", f"parallel-{mode}")
    assert len(events(memory_store, "DecisionRecorded")) == decided_after


REFUSED = [
    (ballot("DISDIK"), WrongOpdError, "not asked"),
    (ballot("DINKES", capacity="staff"), NotHeadError, "head"),
    (ballot("DINKES", capacity="plt"), ActingRestrictedError, "strategic"),
    (ballot("DINKES", person=SUBMITTER), FourEyesError, "submitted"),
]


@pytest.mark.parametrize(("decision", "error", "reason"), REFUSED)
async def test_refused_decision_gives_its_reason_and_writes_nothing(
    dev_env: WorkflowEnvironment,
    memory_store: EventStore,
    task_queue: str,
    decision: approvals.DecideInput,
    error: type[DomainError],
    reason: str,
) -> None:
    approval = approval_input([step(0, "DINKES", "BAPPEDA", strategic=True)])
    async with running_worker(dev_env.client, memory_store, task_queue):
        await start(dev_env.client, task_queue, approval)
        await approvals.decide(dev_env.client, approval.request_id, ballot("BAPPEDA"))
        before = memory_store.max_position()
        with pytest.raises(error, match=reason) as refused:
            await approvals.decide(dev_env.client, approval.request_id, decision)
        assert refused.value.code == error.code
        assert memory_store.max_position() == before


async def test_second_decision_by_same_person_is_refused_and_writes_nothing(
    dev_env: WorkflowEnvironment, memory_store: EventStore, task_queue: str
) -> None:
    approval = approval_input([step(0, "DINKES", "BAPPEDA")])
    async with running_worker(dev_env.client, memory_store, task_queue):
        await start(dev_env.client, task_queue, approval)
        await approvals.decide(dev_env.client, approval.request_id, ballot("DINKES"))
        before = memory_store.max_position()
        with pytest.raises(AlreadyDecidedError, match="already decided"):
            await approvals.decide(dev_env.client, approval.request_id, ballot("DINKES"))
        assert memory_store.max_position() == before


async def test_repeated_decision_id_is_recorded_once(
    dev_env: WorkflowEnvironment, memory_store: EventStore, task_queue: str
) -> None:
    approval = approval_input([step(0, "DINKES", "BAPPEDA")])
    decision = ballot("DINKES")
    async with running_worker(dev_env.client, memory_store, task_queue):
        await start(dev_env.client, task_queue, approval)
        first = await approvals.decide(dev_env.client, approval.request_id, decision)
        again = await approvals.decide(dev_env.client, approval.request_id, decision)
    assert again == first
    assert len(events(memory_store, "DecisionRecorded")) == 1


async def test_concurrent_decisions_by_same_person_record_one(
    dev_env: WorkflowEnvironment, memory_store: EventStore, task_queue: str
) -> None:
    approval = approval_input([step(0, "DINKES", "BAPPEDA")])
    twins = [
        ballot("DINKES", outcome=o) for o in (Verdict.APPROVE, Verdict.REJECT, Verdict.APPROVE)
    ]
    async with running_worker(dev_env.client, memory_store, task_queue):
        handle = await start(dev_env.client, task_queue, approval)
        await approvals.decide(dev_env.client, approval.request_id, ballot("BAPPEDA"))
        results = await asyncio.gather(
            *(approvals.decide(dev_env.client, approval.request_id, b) for b in twins),
            return_exceptions=True,
        )
        await keep_history(handle, "approval", "concurrent-same-person")
    # A twin that arrives after the recorded one completed the request finds the workflow
    # ended (its activities run on the worker, so the last decision ends it at once).
    refused = [r for r in results if isinstance(r, AlreadyDecidedError | ApprovalNotRunningError)]
    assert len(refused) == len(twins) - 1
    assert [d["opd_code"] for d in events(memory_store, "DecisionRecorded")] == [
        "BAPPEDA",
        "DINKES",
    ]


async def test_returned_request_restarts_from_first_step_when_resubmitted(
    dev_env: WorkflowEnvironment, memory_store: EventStore, task_queue: str
) -> None:
    approval = approval_input([step(0, "DINKES"), step(1, "BAPPEDA")])
    request_id = approval.request_id
    async with running_worker(dev_env.client, memory_store, task_queue):
        handle = await start(dev_env.client, task_queue, approval)
        await approvals.decide(dev_env.client, request_id, ballot("DINKES"))
        returned = await approvals.decide(
            dev_env.client, request_id, ballot("BAPPEDA", outcome=Verdict.RETURN)
        )
        assert returned.status == ApprovalStatus.RETURNED
        with pytest.raises(RequestClosedError):
            await approvals.decide(dev_env.client, request_id, ballot("BAPPEDA", person="X"))
        await handle.signal(ApprovalWorkflow.resubmitted, ResubmitInput(2, SUBMITTER))
        again = await approvals.decide(dev_env.client, request_id, ballot("DINKES", person="Y"))
        assert (again.round, again.current_step) == (2, 1)
        await approvals.decide(dev_env.client, request_id, ballot("BAPPEDA", person="Z"))
        assert await handle.result() == ApprovalStatus.APPROVED
        await keep_history(handle, "approval", "returned-resubmitted")
    names = event_names(memory_store)
    assert names.count("Resubmitted") == 1
    assert names.count("StepOpened") == 4


async def test_reassigned_step_is_decided_by_the_new_opd(
    dev_env: WorkflowEnvironment, memory_store: EventStore, task_queue: str
) -> None:
    approval = approval_input([step(0, "DINKES", "BAPPEDA")])
    request_id = approval.request_id
    move = ReassignInput(0, "DINKES", "DINSOS", "Health office merged", "sekretariat-1")
    async with running_worker(dev_env.client, memory_store, task_queue):
        handle = await start(dev_env.client, task_queue, approval)
        state = await approvals.reassign(dev_env.client, request_id, move, reassignment_id="r1")
        assert state.steps[0].assigned_opds == ("DINSOS", "BAPPEDA")
        assert (await handle.describe()).typed_search_attributes.get(OPD_CODE) == [
            "DINSOS",
            "BAPPEDA",
        ]
        with pytest.raises(WrongOpdError):
            await approvals.decide(dev_env.client, request_id, ballot("DINKES"))
        await approvals.decide(dev_env.client, request_id, ballot("DINSOS"))
        await approvals.decide(dev_env.client, request_id, ballot("BAPPEDA"))
        assert await handle.result() == ApprovalStatus.APPROVED
        await keep_history(handle, "approval", "reassigned")
    assert len(events(memory_store, "StepReassigned")) == 1


async def test_withdrawn_request_ends_and_refuses_decisions(
    dev_env: WorkflowEnvironment, memory_store: EventStore, task_queue: str
) -> None:
    approval = approval_input([step(0, "DINKES")])
    async with running_worker(dev_env.client, memory_store, task_queue):
        handle = await start(dev_env.client, task_queue, approval)
        why = WithdrawInput("Subject replaced by a new draft", SUBMITTER)
        state = await approvals.withdraw(dev_env.client, approval.request_id, why)
        assert state.status == "withdrawn"
        assert await handle.result() == "withdrawn"
        with pytest.raises(RequestClosedError):
            await approvals.decide(dev_env.client, approval.request_id, ballot("DINKES"))
        await keep_history(handle, "approval", "withdrawn")
    assert "DecisionRecorded" not in event_names(memory_store)
