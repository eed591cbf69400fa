"""Building approvals for workflow tests: routes, inputs, decisions, and reading the store."""

from __future__ import annotations

import json
import uuid
from typing import Any

from temporalio.client import Client, WorkflowHandle

from domain.approvals.request import ApprovalRequest
from domain.approvals.values import StepSpec, Verdict
from infra.store import EventStore
from workflows.approval.inputs import ApprovalInput, DecideInput, approval_workflow_id
from workflows.approval.workflow import ApprovalWorkflow

SUBMITTER = "198001012005011001"
CITY = "PEMATANGSIANTAR"


def step(index: int, *opds: str, **options: Any) -> dict[str, Any]:
    """One step of a route, as the workflow input carries it."""
    return StepSpec(index, tuple(opds), **options).as_dict()


def approval_input(route: list[dict[str, Any]], **options: Any) -> ApprovalInput:
    """A deliverable of its own (a fresh subject id) routed through ``route``."""
    subject_id = f"D-{uuid.uuid4().hex[:10]}"
    request_id = ApprovalRequest.create_id("deliverable", subject_id)
    return ApprovalInput(
        request_id=str(request_id),
        subject_kind="deliverable",
        subject_id=subject_id,
        title="Draft master plan section: governance",
        owner_opd="DISKOMINFO",
        submitted_by=SUBMITTER,
        route=route,
        city_code=CITY,
        **options,
    )


async def start(
    client: Client, task_queue: str, approval: ApprovalInput
) -> WorkflowHandle[ApprovalWorkflow, str]:
    """Start the approval workflow of ``approval``."""
    return await client.start_workflow(
        ApprovalWorkflow.run,
        approval,
        id=approval_workflow_id(approval.request_id),
        task_queue=task_queue,
    )


def ballot(
    opd: str,
    outcome: str = Verdict.APPROVE,
    capacity: str = "head",
    person: str | None = None,
    decision_id: str | None = None,
) -> DecideInput:
    """A decision by the head (or ``capacity``) of ``opd``."""
    return DecideInput(
        decision_id=decision_id or str(uuid.uuid4()),
        person_nip=person or f"NIP-{opd}",
        opd_code=opd,
        capacity=capacity,
        outcome=outcome,
        comment="Checked against the master plan.",
    )


def events(store: EventStore, name: str | None = None) -> list[dict[str, Any]]:
    """The events in the store (those named ``name`` only), as their stored state."""
    found = []
    for n in store.recorder.select_notifications(1, 10_000):
        if name is None or n.topic.rpartition(".")[2] == name:
            state = json.loads(n.state)
            found.append({"event": n.topic.rpartition(".")[2], **state})
    return found


def event_names(store: EventStore) -> list[str]:
    """The names of every event in the store, in order."""
    return [n.topic.rpartition(".")[2] for n in store.recorder.select_notifications(1, 10_000)]
