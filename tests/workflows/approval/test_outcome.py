"""An approval's outcome reaches its subject: the milestone or deliverable follows the decision."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from temporalio.testing import ActivityEnvironment, WorkflowEnvironment

from domain.approvals import rules
from domain.approvals.request import ApprovalRequest
from domain.approvals.values import ApprovalStatus, Verdict
from domain.bimtek.application import BimtekApplication
from domain.bimtek.values import DeliverableStatus
from domain.plan import MilestoneStatus
from domain.values import PartRef
from infra.store import EventStore
from tests.support.polling import eventually
from tests.workflows.approval.outcome_scenario import (
    count,
    follow,
    report_in_approval,
)
from tests.workflows.approval.scenario import ballot, events, start, step
from tests.workflows.starter.scenario import KADIS, city
from tests.workflows.workers import running_worker
from workflows.approval import client as approvals
from workflows.approval.activities import ApprovalActivities
from workflows.approval.inputs import ApplyOutcomeInput, ApprovalInput
from workflows.approval.subjects import ALREADY, APPLIED

pytestmark = [pytest.mark.temporal, pytest.mark.asyncio(loop_scope="session")]


def plan_event(store: EventStore, name: str) -> list[dict[str, Any]]:
    """The stored state of the milestone events named ``name``."""
    topic = f"jejak.plan:Milestone.{name}"
    return [
        json.loads(n.state)
        for n in store.recorder.select_notifications(1, 10_000)
        if n.topic == topic
    ]


async def test_approved_milestone_report_approves_the_milestone_in_the_deciders_name(
    dev_env: WorkflowEnvironment, memory_store: EventStore, task_queue: str
) -> None:
    client = dev_env.client
    async with report_in_approval(client, memory_store, task_queue) as (scenario, request_id):
        first = await approvals.decide(client, request_id, ballot("BAPPEDA"))
        last = await approvals.decide(client, request_id, ballot("DISKOMINFO"))
        await follow(memory_store, client, task_queue)
        await eventually(lambda: count(memory_store, "Closed") == 1)
    # The answer to the first decision already shows the second step open, with its due time.
    assert first.current_step == 1
    assert first.steps[1].opened_at is not None
    assert first.steps[1].due_at is not None
    # The answer to the last one shows the milestone approved already.
    assert last.status == ApprovalStatus.APPROVED
    assert scenario.plan.get_milestone(scenario.milestone_id).status == MilestoneStatus.APPROVED
    (approved,) = plan_event(memory_store, "Approved")
    assert (approved["actor"], approved["capacity"]) == ("NIP-DISKOMINFO", "head")


async def test_returned_report_returns_the_milestone_and_its_resubmission_is_round_two(
    dev_env: WorkflowEnvironment, memory_store: EventStore, task_queue: str
) -> None:
    client = dev_env.client
    async with report_in_approval(client, memory_store, task_queue) as (scenario, request_id):
        back = ballot("BAPPEDA", outcome=Verdict.RETURN)
        answer = await approvals.decide(client, request_id, back)
        milestone = scenario.plan.get_milestone(scenario.milestone_id)
        scenario.plan.submit_milestone(scenario.milestone_id, by=KADIS)
        await follow(memory_store, client, task_queue)
        await eventually(lambda: count(memory_store, "Resubmitted") == 1)
        await approvals.decide(client, request_id, ballot("BAPPEDA"))
        final = await approvals.decide(client, request_id, ballot("DISKOMINFO"))
    assert answer.status == ApprovalStatus.RETURNED
    assert milestone.status == MilestoneStatus.RETURNED
    assert milestone.comment == back.comment
    assert final.round == 2
    assert scenario.plan.get_milestone(scenario.milestone_id).status == MilestoneStatus.APPROVED
    (returned,) = plan_event(memory_store, "Returned")
    assert returned["actor"] == "NIP-BAPPEDA"


async def test_rejected_report_returns_the_milestone_marked_rejected(
    dev_env: WorkflowEnvironment, memory_store: EventStore, task_queue: str
) -> None:
    client = dev_env.client
    async with report_in_approval(client, memory_store, task_queue) as (scenario, request_id):
        await approvals.decide(client, request_id, ballot("BAPPEDA", outcome=Verdict.REJECT))
    milestone = scenario.plan.get_milestone(scenario.milestone_id)
    assert milestone.status == MilestoneStatus.RETURNED
    assert milestone.comment == "Rejected: Checked against the master plan."


def deliverable_approval(memory_store: EventStore) -> tuple[ApprovalInput, Any]:
    """A submitted bimtek deliverable, sent to DISKOMINFO for approval."""
    scenario = city(memory_store)
    memory_store.app(BimtekApplication).submit_deliverable(
        scenario.session_id,
        deliverable_id="D-1",
        reference="dok/d-1.pdf",
        submitted_at=datetime.now(UTC),
        by=KADIS,
    )
    subject = str(PartRef(scenario.session_id, "D-1"))
    approval = ApprovalInput(
        request_id=str(ApprovalRequest.create_id("deliverable", subject)),
        subject_kind="deliverable",
        subject_id=subject,
        title="Draft",
        owner_opd="DINKES",
        submitted_by=KADIS.actor_id,
        route=[step(0, "DISKOMINFO")],
        city_code="PEMATANGSIANTAR",
    )
    return approval, scenario


async def test_approved_deliverable_is_accepted_once_even_when_the_activity_is_retried(
    dev_env: WorkflowEnvironment, memory_store: EventStore, task_queue: str
) -> None:
    client = dev_env.client
    approval, scenario = deliverable_approval(memory_store)
    async with running_worker(client, memory_store, task_queue):
        handle = await start(client, task_queue, approval)
        await approvals.decide(client, approval.request_id, ballot("DISKOMINFO"))
        assert await handle.result() == ApprovalStatus.APPROVED
    # A retry of the activity (the worker died before reporting) records nothing more.
    again = ApplyOutcomeInput(approval.request_id, datetime.now(UTC))
    retried = ActivityEnvironment().run(ApprovalActivities.over(memory_store).apply_outcome, again)
    session = memory_store.app(BimtekApplication).get_session(scenario.session_id)
    assert session.deliverables["D-1"].status == DeliverableStatus.ACCEPTED
    assert retried == ALREADY
    assert len(events(memory_store, "DeliverableAccepted")) == 1


async def test_apply_outcome_returns_a_deliverable_with_the_deciders_reason(
    memory_store: EventStore,
) -> None:
    approval, scenario = deliverable_approval(memory_store)
    acts = ApprovalActivities.over(memory_store)
    approvals_app, route = acts.approvals, [rules.StepSpec(0, ("DISKOMINFO",))]
    request_id, _ = approvals_app.request_approval(
        "deliverable", approval.subject_id, "Draft", "DINKES", KADIS.actor_id, route, KADIS
    )
    approvals_app.open_step(request_id, 0, datetime.now(UTC))
    no = rules.Ballot("d-1", "NIP-DISKOMINFO", "DISKOMINFO", "head", Verdict.RETURN)
    approvals_app.decide(request_id, no, "Section 3 is missing", by=KADIS)
    given = ApplyOutcomeInput(str(request_id), datetime.now(UTC))
    done = ActivityEnvironment().run(acts.apply_outcome, given)
    deliverable = memory_store.app(BimtekApplication).get_session(scenario.session_id)
    assert done == APPLIED
    assert deliverable.deliverables["D-1"].status == DeliverableStatus.RETURNED
    assert deliverable.deliverables["D-1"].note == "Section 3 is missing"
