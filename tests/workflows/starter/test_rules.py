"""The starter's rules: which events start or signal which workflow, with which input."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from eventsourcing.utils import resolve_topic

from domain.approvals.application import ApprovalsApplication
from domain.approvals.ladder import default_route
from domain.approvals.request import ApprovalRequest
from domain.approvals.values import Ballot, Verdict
from domain.bimtek.application import BimtekApplication
from domain.commitments.application import CommitmentsApplication
from domain.shared import Actor, JejakAggregate, JejakApplication
from infra.store import EventStore
from tests.workflows.starter.scenario import KADIS, City, city, due_in, submit
from workflows.approval.inputs import ApprovalInput, ResubmitInput
from workflows.approval.workflow import ApprovalWorkflow
from workflows.deadline.inputs import DeadlineInput, SubjectReopened
from workflows.deadline.workflow import DeadlineWorkflow
from workflows.starter.rules import TOPICS, Command, Signal, Start, StarterRules


def all_commands(store: EventStore) -> list[Command]:
    rules = StarterRules.over(store)
    mapper = store.app(JejakApplication).mapper
    found: list[Command] = []
    for n in store.recorder.select_notifications(0, 1000):
        if n.topic in TOPICS:
            found += rules.commands(n.topic, mapper.to_domain_event(n), n.id)
    return found


def starts(commands: list[Command], workflow: Callable[..., Any]) -> list[Any]:
    return [c.arg for c in commands if isinstance(c, Start) and c.workflow == workflow]


def signalled(commands: list[Command], signal: Callable[..., Any]) -> list[Signal]:
    return [c for c in commands if isinstance(c, Signal) and c.signal == signal]


def test_every_dated_subject_starts_one_deadline(memory_store: EventStore) -> None:
    scenario = city(memory_store)
    deadlines: list[DeadlineInput] = starts(all_commands(memory_store), DeadlineWorkflow.run)
    assert sorted(d.kind for d in deadlines) == ["commitment", "deliverable", "milestone"]
    assert len({d.city_code for d in deadlines}) == 1
    ids = [c.workflow_id for c in all_commands(memory_store) if isinstance(c, Start)]
    assert sorted(ids) == sorted(scenario.deadline_ids())


def test_submitted_milestone_starts_its_approval_on_the_default_route(
    memory_store: EventStore,
) -> None:
    scenario = city(memory_store)
    submit(scenario.plan, scenario.milestone_id)
    commands = all_commands(memory_store)
    (approval,) = starts(commands, ApprovalWorkflow.run)
    assert isinstance(approval, ApprovalInput)
    expected = ApprovalRequest.create_id("milestone-report", str(scenario.milestone_id))
    assert approval.request_id == str(expected)
    assert [s["opd_codes"] for s in approval.route] == [["BAPPEDA"], ["DISKOMINFO"]]
    assert approval.route[0]["budget"]
    assert all(s["strategic"] for s in approval.route)
    assert not any(
        isinstance(c, Signal) and c.signal == ApprovalWorkflow.resubmitted for c in commands
    )


def returned_by_approval(
    store: EventStore, milestone_id: uuid.UUID, outcome: str = Verdict.RETURN
) -> None:
    """What the approval workflow records when BAPPEDA returns (or rejects) the report."""
    approvals = store.app(ApprovalsApplication)
    route = default_route("milestone-report")
    request_id, _ = approvals.request_approval(
        "milestone-report", str(milestone_id), "M1", "DISKOMINFO", KADIS.actor_id, route, KADIS
    )
    approvals.open_step(request_id, 0, datetime.now(UTC) + timedelta(days=5))
    ballot = Ballot("d-1", "NIP-BAPPEDA", "BAPPEDA", "head", outcome)
    approvals.decide(request_id, ballot, "Add evidence", by=Actor("NIP-BAPPEDA", "head"))


def resubmitted_after(store: EventStore, outcome: str) -> City:
    """A city whose milestone report the approval returned (or rejected), then submitted again."""
    scenario = city(store)
    submit(scenario.plan, scenario.milestone_id)
    returned_by_approval(store, scenario.milestone_id, outcome)
    comment = "Add evidence" if outcome == Verdict.RETURN else "Rejected: no"
    scenario.plan.return_milestone(scenario.milestone_id, comment=comment, by=KADIS)
    scenario.plan.submit_milestone(scenario.milestone_id, by=KADIS)
    return scenario


def test_resubmitted_milestone_signals_the_next_round(memory_store: EventStore) -> None:
    resubmitted_after(memory_store, Verdict.RETURN)
    signals = [c for c in all_commands(memory_store) if isinstance(c, Signal)]
    (again,) = [s for s in signals if s.signal == ApprovalWorkflow.resubmitted]
    assert isinstance(again.arg, ResubmitInput)
    assert again.arg.round == 2


def test_resubmission_after_a_rejection_starts_a_second_request_linked_to_the_first(
    memory_store: EventStore,
) -> None:
    scenario = resubmitted_after(memory_store, Verdict.REJECT)
    commands = all_commands(memory_store)
    (second,) = starts(commands, ApprovalWorkflow.run)
    subject = str(scenario.milestone_id)
    assert second.attempt == 2
    assert second.request_id == str(ApprovalRequest.attempt_id("milestone-report", subject, 2))
    assert second.request_id != str(ApprovalRequest.create_id("milestone-report", subject))
    assert not [
        c for c in commands if isinstance(c, Signal) and c.signal == ApprovalWorkflow.resubmitted
    ]


def test_a_submission_replayed_after_its_rejection_starts_no_second_request(
    memory_store: EventStore,
) -> None:
    scenario = city(memory_store)
    submit(scenario.plan, scenario.milestone_id)
    # Rejected, and the starter catches up again before the milestone is returned.
    returned_by_approval(memory_store, scenario.milestone_id, Verdict.REJECT)
    (only,) = starts(all_commands(memory_store), ApprovalWorkflow.run)
    assert only.attempt == 1
    assert only.request_id == str(
        ApprovalRequest.create_id("milestone-report", str(scenario.milestone_id))
    )


def test_resubmission_after_a_return_on_paper_starts_round_one_without_a_signal(
    memory_store: EventStore,
) -> None:
    scenario = city(memory_store)
    submit(scenario.plan, scenario.milestone_id)
    scenario.plan.return_milestone(scenario.milestone_id, comment="Add evidence", by=KADIS)
    scenario.plan.submit_milestone(scenario.milestone_id, by=KADIS)
    commands = all_commands(memory_store)
    assert len(starts(commands, ApprovalWorkflow.run)) == 1
    assert not [
        c for c in commands if isinstance(c, Signal) and c.signal == ApprovalWorkflow.resubmitted
    ]


def test_submission_decided_directly_starts_no_approval(memory_store: EventStore) -> None:
    scenario = city(memory_store)
    submit(scenario.plan, scenario.milestone_id)
    scenario.plan.approve_milestone(scenario.milestone_id, by=KADIS)
    assert starts(all_commands(memory_store), ApprovalWorkflow.run) == []


def test_returned_deliverable_restarts_its_deadline(memory_store: EventStore) -> None:
    scenario = city(memory_store)
    bimtek = memory_store.app(BimtekApplication)
    at = datetime.now(UTC)
    bimtek.submit_deliverable(
        scenario.session_id, deliverable_id="D-1", reference="doc/1", submitted_at=at, by=KADIS
    )
    bimtek.return_deliverable(
        scenario.session_id, deliverable_id="D-1", reason="Incomplete", by=KADIS
    )
    restarts = [c for c in all_commands(memory_store) if isinstance(c, Start) and c.signal]
    (restart,) = restarts
    assert restart.workflow_id == scenario.deadline_ids()[1]
    assert restart.signal == DeadlineWorkflow.reopened
    assert isinstance(restart.signal_arg, SubjectReopened)
    assert restart.signal_arg.due_date == due_in(60).isoformat()
    assert restart.arg.owner_opd == "DINKES"


def test_renewed_commitment_starts_a_new_signing_deadline(memory_store: EventStore) -> None:
    scenario = city(memory_store)
    commitments = memory_store.app(CommitmentsApplication)
    commitments.renew(
        scenario.commitment_id, new_date=due_in(10), signing_deadline=due_in(40), by=KADIS
    )
    commitments.renew(scenario.commitment_id, new_date=due_in(50), by=KADIS)
    commands = [
        c for c in all_commands(memory_store) if c.workflow_id == scenario.deadline_ids()[2]
    ]
    restart, dropped = commands[1], commands[2]
    assert isinstance(restart, Start)
    assert restart.signal == DeadlineWorkflow.reopened
    assert restart.signal_arg.due_date == due_in(40).isoformat()
    assert restart.arg.due_date == due_in(40).isoformat()
    assert isinstance(dropped, Signal)
    assert dropped.signal == DeadlineWorkflow.done


def test_due_date_change_and_approval_signal_the_milestone_deadline(
    memory_store: EventStore,
) -> None:
    scenario = city(memory_store)
    scenario.plan.change_due_date(
        scenario.milestone_id, due_date=due_in(90), reason="Vendor late", by=KADIS
    )
    submit(scenario.plan, scenario.milestone_id)
    scenario.plan.approve_milestone(scenario.milestone_id, by=KADIS)
    signals = [c for c in all_commands(memory_store) if isinstance(c, Signal)]
    assert [s.signal for s in signals] == [DeadlineWorkflow.due_date_changed, DeadlineWorkflow.done]
    assert signals[0].arg.new_due_date == due_in(90).isoformat()
    assert signals[0].arg.position < signals[1].arg.position


@pytest.mark.parametrize("topic", sorted(TOPICS))
def test_every_topic_the_starter_follows_names_a_stored_event(topic: str) -> None:
    # A misspelt topic would never fire: each one must resolve to a domain event class.
    assert issubclass(resolve_topic(topic), JejakAggregate.Event)
