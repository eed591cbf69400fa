"""The starter's rules: which events start or signal which workflow, with which input."""

from __future__ import annotations

from typing import Any

from domain.approvals.model import ApprovalRequest
from domain.shared import JejakApplication
from infra.store import EventStore
from tests.workflows.starter_scenario import KADIS, city, due_in, submit
from workflows.deadline_inputs import DeadlineInput
from workflows.inputs import ApprovalInput, ResubmitInput
from workflows.starter_rules import TOPICS, Command, Signal, Start, StarterRules


def all_commands(store: EventStore) -> list[Command]:
    rules = StarterRules.over(store)
    mapper = store.app(JejakApplication).mapper
    found: list[Command] = []
    for n in store.recorder.select_notifications(0, 1000):
        if n.topic in TOPICS:
            found += rules.commands(n.topic, mapper.to_domain_event(n), n.id)
    return found


def starts(commands: list[Command], workflow: str) -> list[Any]:
    return [c.arg for c in commands if isinstance(c, Start) and c.workflow == workflow]


def test_every_dated_subject_starts_one_deadline(memory_store: EventStore) -> None:
    scenario = city(memory_store)
    deadlines: list[DeadlineInput] = starts(all_commands(memory_store), "DeadlineWorkflow")
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
    (approval,) = starts(commands, "ApprovalWorkflow")
    assert isinstance(approval, ApprovalInput)
    expected = ApprovalRequest.create_id("milestone-report", str(scenario.milestone_id))
    assert approval.request_id == str(expected)
    assert [s["opd_codes"] for s in approval.route] == [["BAPPEDA"], ["DISKOMINFO"]]
    assert approval.route[0]["budget"]
    assert all(s["strategic"] for s in approval.route)
    assert not any(isinstance(c, Signal) and c.signal == "resubmitted" for c in commands)


def test_resubmitted_milestone_signals_the_next_round(memory_store: EventStore) -> None:
    scenario = city(memory_store)
    submit(scenario.plan, scenario.milestone_id)
    scenario.plan.return_milestone(scenario.milestone_id, comment="Add evidence", by=KADIS)
    scenario.plan.submit_milestone(scenario.milestone_id, by=KADIS)
    signals = [c for c in all_commands(memory_store) if isinstance(c, Signal)]
    (again,) = [s for s in signals if s.signal == "resubmitted"]
    assert isinstance(again.arg, ResubmitInput)
    assert again.arg.round == 2


def test_due_date_change_and_approval_signal_the_milestone_deadline(
    memory_store: EventStore,
) -> None:
    scenario = city(memory_store)
    scenario.plan.change_due_date(
        scenario.milestone_id, new_due=due_in(90), reason="Vendor late", by=KADIS
    )
    submit(scenario.plan, scenario.milestone_id)
    scenario.plan.approve_milestone(scenario.milestone_id, by=KADIS)
    signals = [c for c in all_commands(memory_store) if isinstance(c, Signal)]
    assert [s.signal for s in signals] == ["due_date_changed", "done"]
    assert signals[0].arg.new_due_date == due_in(90).isoformat()
    assert signals[0].arg.position < signals[1].arg.position
