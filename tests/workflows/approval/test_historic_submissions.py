"""Submissions decided long ago (on paper, imported as history) start no live approval."""

from __future__ import annotations

import json
import uuid

import pytest
from temporalio.testing import WorkflowEnvironment

from domain.approvals.request import ApprovalRequest
from domain.plan import MilestoneStatus
from domain.plan.application import PlanApplication
from infra.scenario import ScenarioApps, load_reference_scenario
from infra.store import EventStore
from tests.support.polling import eventually
from tests.workflows.approval.outcome_scenario import count, engine, follow
from tests.workflows.approval.scenario import start
from tests.workflows.histories import keep_history
from tests.workflows.starter.scenario import KADIS, city, submit
from tests.workflows.workers import running_worker
from workflows.approval.inputs import approval_workflow_id
from workflows.approval.state import NOT_NEEDED
from workflows.starter.rules import StarterRules

pytestmark = [pytest.mark.temporal, pytest.mark.asyncio(loop_scope="session")]


def requested_subjects(store: EventStore) -> set[str]:
    """The subjects of the approval requests in the store."""
    topic = "jejak.approvals:ApprovalRequest.Requested"
    found = store.recorder.select_notifications(1, 100_000)
    return {json.loads(n.state)["subject_id"] for n in found if n.topic == topic}


def submitted_milestones(store: EventStore) -> set[str]:
    """The milestones waiting for a decision now."""
    topic = "jejak.plan:Milestone.Submitted"
    plan = store.app(PlanApplication)
    found = store.recorder.select_notifications(1, 100_000)
    submitted = {n.originator_id for n in found if n.topic == topic}
    return {
        str(m)
        for m in submitted
        if plan.get_milestone(uuid.UUID(str(m))).status == MilestoneStatus.SUBMITTED
    }


async def test_reference_scenario_opens_approvals_only_for_milestones_still_submitted(
    dev_env: WorkflowEnvironment, memory_store: EventStore, task_queue: str
) -> None:
    load_reference_scenario(ScenarioApps.of(memory_store.app))
    waiting = submitted_milestones(memory_store)
    async with engine(dev_env.client, memory_store, task_queue):
        await follow(memory_store, dev_env.client, task_queue)
        await eventually(lambda: count(memory_store, "StepOpened") >= len(waiting))
        # The oldest of the four (submitted early November 2026) is late at both levels.
        await eventually(lambda: count(memory_store, "StepEscalated") >= 2)
    assert len(waiting) == 4
    assert requested_subjects(memory_store) == waiting
    escalated = {
        n.originator_id
        for n in memory_store.recorder.select_notifications(1, 100_000)
        if n.topic == "jejak.approvals:ApprovalRequest.StepEscalated"
    }
    assert escalated <= {ApprovalRequest.create_id("milestone-report", m) for m in waiting}


async def test_approval_of_a_milestone_decided_directly_ends_without_a_request(
    dev_env: WorkflowEnvironment, memory_store: EventStore, task_queue: str
) -> None:
    scenario = city(memory_store)
    submit(scenario.plan, scenario.milestone_id)
    (command,) = [
        c
        for n in memory_store.recorder.select_notifications(1, 1000)
        if n.topic == "jejak.plan:Milestone.Submitted"
        for c in StarterRules.over(memory_store).commands(
            n.topic, memory_store.app(PlanApplication).mapper.to_domain_event(n), n.id
        )
    ]
    scenario.plan.approve_milestone(scenario.milestone_id, by=KADIS)
    async with running_worker(dev_env.client, memory_store, task_queue):
        handle = await start(dev_env.client, task_queue, command.arg)
        assert await handle.result() == NOT_NEEDED
        await keep_history(handle, "approval", "not-needed")
    assert handle.id == approval_workflow_id(command.arg.request_id)
    assert requested_subjects(memory_store) == set()
