"""The approval inbox: open steps per OPD, decisions per OPD and person, escalations."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from domain.approvals.application import ApprovalsApplication
from domain.approvals.values import Ballot, Mode, StepSpec
from domain.calendar import JAKARTA, WorkingCalendar, end_of_day
from domain.shared import Actor
from projections.engine.runner import ProjectionRunner
from projections.views.inbox.queries import (
    decided_recently,
    escalated_open_steps,
    inbox,
    requests,
)
from projections.views.inbox.view import InboxView

SUBMITTER = Actor("198001012005011001", "staff", datetime(2023, 12, 1, 9, tzinfo=UTC))
BAPPEDA_HEAD = "197001012000031001"
BPKPD_HEAD = "197202022000031002"
CALENDAR = WorkingCalendar()
DUE = end_of_day(date(2023, 12, 27))
ROUTE = [
    StepSpec(0, ("BAPPEDA", "BPKPD"), Mode.ALL, None, 5, strategic=True, budget=True),
    StepSpec(1, ("DISKOMINFO",), Mode.ALL, None, 3),
]


#: The view the ``runner`` fixture runs.
VIEWS = [InboxView()]


def requested(approvals: ApprovalsApplication, subject_id: str = "MS-1") -> uuid.UUID:
    """A plan revision waiting at its first step, open and due 27 Dec 2023."""
    request_id, _ = approvals.request_approval(
        "plan-revision", subject_id, "Shift the portal budget", "DISKOMINFO", SUBMITTER.actor_id,
        ROUTE, SUBMITTER,
    )  # fmt: skip
    approvals.open_step(request_id, 0, DUE)
    return request_id


def decide(
    approvals: ApprovalsApplication, request_id: uuid.UUID, nip: str, opd: str, outcome: str
) -> None:
    """Record the head of ``opd`` deciding ``outcome``."""
    ballot = Ballot(f"{opd}-{outcome}-{nip}", nip, opd, "head", outcome)
    approvals.decide(request_id, ballot, f"{opd} says {outcome}", Actor(nip, "head"))


def open_for(
    runner: ProjectionRunner, *opds: str, include_decided: bool = True
) -> list[tuple[str, int]]:
    """The (OPD, step) pairs open for these OPDs on 20 Dec 2023, after catching up."""
    runner.catch_up()
    as_of = datetime(2023, 12, 20, 10, tzinfo=JAKARTA)
    items = inbox(runner.viewstore, list(opds), as_of, CALENDAR, include_decided=include_decided)
    return [(i.opd_code, i.step_index) for i in items]


def test_inbox_shows_a_step_to_its_opds_only_until_the_step_completes(
    approvals: ApprovalsApplication, runner: ProjectionRunner
) -> None:
    request_id = requested(approvals)
    assert open_for(runner, "BAPPEDA") == [("BAPPEDA", 0)]
    assert open_for(runner, "DISKOMINFO") == []
    (item,) = inbox(runner.viewstore, ["BAPPEDA"], DUE, CALENDAR)
    assert (item.title, item.subject_kind, item.mode, item.due_at) == (
        "Shift the portal budget", "plan-revision", Mode.ALL, DUE,
    )  # fmt: skip
    assert (item.strategic, item.budget, item.decided, item.escalation_level) == (
        True, True, False, 0,
    )  # fmt: skip
    decide(approvals, request_id, BAPPEDA_HEAD, "BAPPEDA", "approve")
    assert open_for(runner, "BAPPEDA", "BPKPD") == [("BAPPEDA", 0), ("BPKPD", 0)]
    assert open_for(runner, "BAPPEDA", "BPKPD", include_decided=False) == [("BPKPD", 0)]
    decide(approvals, request_id, BPKPD_HEAD, "BPKPD", "approve")
    assert open_for(runner, "BAPPEDA", "BPKPD") == []
    approvals.open_step(request_id, 1, DUE)
    assert open_for(runner, "DISKOMINFO", "BAPPEDA") == [("DISKOMINFO", 1)]


def test_decisions_are_listed_by_opd_and_by_person_newest_first(
    approvals: ApprovalsApplication, runner: ProjectionRunner
) -> None:
    first, second = requested(approvals, "MS-1"), requested(approvals, "MS-2")
    decide(approvals, first, BAPPEDA_HEAD, "BAPPEDA", "approve")
    decide(approvals, second, BAPPEDA_HEAD, "BAPPEDA", "return")
    decide(approvals, first, BPKPD_HEAD, "BPKPD", "reject")
    runner.catch_up()
    by_bappeda = decided_recently(runner.viewstore, opd_codes=["BAPPEDA"])
    assert [(d.subject_id, d.outcome) for d in by_bappeda] == [
        ("MS-2", "return"),
        ("MS-1", "approve"),
    ]
    assert by_bappeda[0].comment == "BAPPEDA says return"
    assert by_bappeda[0].person_capacity == "head"
    by_person = decided_recently(runner.viewstore, person_nip=BPKPD_HEAD)
    assert [(d.opd_code, d.outcome, d.step_index) for d in by_person] == [("BPKPD", "reject", 0)]
    assert len(decided_recently(runner.viewstore, limit=2)) == 2


def test_a_returned_or_rejected_request_leaves_every_inbox(
    approvals: ApprovalsApplication, runner: ProjectionRunner
) -> None:
    returned, rejected = requested(approvals, "MS-1"), requested(approvals, "MS-2")
    decide(approvals, returned, BAPPEDA_HEAD, "BAPPEDA", "return")
    decide(approvals, rejected, BPKPD_HEAD, "BPKPD", "reject")
    assert open_for(runner, "BAPPEDA", "BPKPD") == []
    approvals.resubmit(returned, SUBMITTER)
    approvals.open_step(returned, 0, DUE)
    assert open_for(runner, "BAPPEDA", "BPKPD") == [("BAPPEDA", 0), ("BPKPD", 0)]
    approvals.withdraw(returned, "Budget settled elsewhere", SUBMITTER)
    assert open_for(runner, "BAPPEDA", "BPKPD") == []


def test_reassignment_moves_the_open_step_to_the_new_opd(
    approvals: ApprovalsApplication, runner: ProjectionRunner
) -> None:
    request_id = requested(approvals)
    approvals.reassign(request_id, 0, "BPKPD", "INSPEKTORAT", "BPKPD head on leave", SUBMITTER)
    assert open_for(runner, "BPKPD") == []
    assert open_for(runner, "INSPEKTORAT") == [("INSPEKTORAT", 0)]
    approvals.reassign(request_id, 1, "DISKOMINFO", "SETDA", "Sekda decides", SUBMITTER)
    decide(approvals, request_id, BAPPEDA_HEAD, "BAPPEDA", "approve")
    decide(approvals, request_id, "197303032000031003", "INSPEKTORAT", "approve")
    approvals.open_step(request_id, 1, DUE)
    assert open_for(runner, "DISKOMINFO", "SETDA") == [("SETDA", 1)]


def test_working_days_left_skip_christmas_and_its_joint_holiday(
    approvals: ApprovalsApplication, runner: ProjectionRunner
) -> None:
    requested(approvals)
    runner.catch_up()
    friday = datetime(2023, 12, 22, 15, tzinfo=JAKARTA)
    (item,) = inbox(runner.viewstore, ["BAPPEDA"], friday, CALENDAR)
    assert item.working_days_left == 1  # 25 and 26 Dec are off, 27 Dec is the due day
    late = datetime(2023, 12, 29, 8, tzinfo=JAKARTA)
    assert inbox(runner.viewstore, ["BAPPEDA"], late, CALENDAR)[0].working_days_left == -2
    city = WorkingCalendar(local_holidays={date(2023, 12, 27): "City anniversary"})
    assert inbox(runner.viewstore, ["BAPPEDA"], friday, city)[0].working_days_left == 0


def test_escalated_steps_wait_for_the_leadership_until_decided(
    approvals: ApprovalsApplication, runner: ProjectionRunner
) -> None:
    request_id = requested(approvals, "MS-1")
    requested(approvals, "MS-2")
    runner.catch_up()
    assert escalated_open_steps(runner.viewstore) == []
    approvals.escalate(request_id, 0, 1)
    approvals.record_reminder(request_id, 0, "1-day-before")
    decide(approvals, request_id, BAPPEDA_HEAD, "BAPPEDA", "approve")
    runner.catch_up()
    (waiting,) = escalated_open_steps(runner.viewstore)
    assert (waiting.subject_id, waiting.opd_code, waiting.escalation_level) == ("MS-1", "BPKPD", 1)
    assert waiting.reminders == 1


def test_inbox_pages_on_with_the_cursor_of_the_last_row(
    approvals: ApprovalsApplication, runner: ProjectionRunner
) -> None:
    for number in range(3):
        requested(approvals, f"MS-{number}")
    runner.catch_up()
    as_of = datetime(2023, 12, 20, tzinfo=JAKARTA)
    everything = inbox(runner.viewstore, ["BAPPEDA", "BPKPD"], as_of, CALENDAR)
    first = inbox(runner.viewstore, ["BAPPEDA", "BPKPD"], as_of, CALENDAR, limit=4)
    rest = inbox(runner.viewstore, ["BAPPEDA", "BPKPD"], as_of, CALENDAR, after=first[-1].cursor)
    assert len(everything) == 6
    assert first + rest == everything


def test_the_requests_are_listed_by_owner_and_title_for_the_audit_index(
    approvals: ApprovalsApplication, runner: ProjectionRunner
) -> None:
    first, second = requested(approvals, "MS-1"), requested(approvals, "MS-2")
    runner.catch_up()
    found = requests(runner.viewstore)
    assert {r.request_id for r in found} == {str(first), str(second)}
    assert {(r.subject_kind, r.title, r.owner_opd, r.round) for r in found} == {
        ("plan-revision", "Shift the portal budget", "DISKOMINFO", 1)
    }
    assert len(requests(runner.viewstore, limit=1)) == 1
