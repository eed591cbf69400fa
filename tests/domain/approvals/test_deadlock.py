"""A step nobody may decide goes up the ladder at once; a rejected subject gets a new request."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.approvals.application import ApprovalsApplication
from domain.approvals.errors import StepClosedError
from domain.approvals.request import ApprovalRequest
from domain.approvals.values import ApprovalStatus, Ballot, Holder, StepSpec, Verdict
from domain.shared import SYSTEM, Actor, JejakApplication
from infra.store import EventStore
from projections.engine.view import Recorded
from projections.views.timeline import phrasebook
from projections.views.timeline.phrases import sentence

SUBMITTER = "198001012005011001"
DUE = datetime(2023, 11, 3, 16, 0, tzinfo=UTC)
ROUTE = [StepSpec(0, ("DISKOMINFO",), strategic=True)]


def requested(app: ApprovalsApplication, attempt: int = 1) -> ApprovalRequest:
    request_id, _ = app.request_approval(
        "milestone-report", "M-1", "Portal live", "DISKOMINFO", SUBMITTER, ROUTE,
        Actor(SUBMITTER, "head"), attempt=attempt,
    )  # fmt: skip
    return app.get_request(request_id)


def test_a_deadlocked_step_is_escalated_at_once_with_its_reason(store: EventStore) -> None:
    app = store.app(ApprovalsApplication)
    request_id = requested(app).id
    app.open_step(request_id, 0, DUE)
    assert app.escalate_deadlock(request_id, 0, "Only a Plt. is in office.", SYSTEM) is not None
    step = app.snapshot(request_id).steps[0]
    assert (step.escalation_level, step.escalation_reason) == (1, "Only a Plt. is in office.")
    names = [type(e).__name__ for e in app.repository.event_store.get(request_id)]
    assert names[-2:] == ["NobodyMayDecide", "StepEscalated"]
    # A retried activity records nothing more.
    assert app.escalate_deadlock(request_id, 0, "again", SYSTEM) is None

    sekda = Ballot("d-1", "N-SEKDA", "DISKOMINFO", "sekda", Verdict.APPROVE)
    app.decide(request_id, sekda, "Disetujui.", Actor("N-SEKDA", "sekda"))
    assert app.snapshot(request_id).status == ApprovalStatus.APPROVED


def test_a_step_opened_with_nobody_able_to_decide_goes_up_in_the_same_save(
    store: EventStore,
) -> None:
    app = store.app(ApprovalsApplication)
    request_id = requested(app).id
    holders = {"DISKOMINFO": [Holder(SUBMITTER, "head")]}
    before = store.max_position()
    app.open_step(request_id, 0, DUE, SYSTEM, holders)
    names = [type(e).__name__ for e in app.repository.event_store.get(request_id)]
    assert names[-3:] == ["StepOpened", "NobodyMayDecide", "StepEscalated"]
    assert store.max_position() == before + 3
    assert "submitted" in (app.snapshot(request_id).steps[0].escalation_reason or "")


def test_a_step_opened_with_a_head_who_may_decide_just_opens(store: EventStore) -> None:
    app = store.app(ApprovalsApplication)
    request_id = requested(app).id
    app.open_step(request_id, 0, DUE, SYSTEM, {"DISKOMINFO": [Holder("N-OTHER", "head")]})
    step = app.snapshot(request_id).steps[0]
    assert (step.is_open, step.escalation_level, step.escalation_reason) == (True, 0, None)


def test_a_step_not_yet_open_cannot_be_escalated(store: EventStore) -> None:
    app = store.app(ApprovalsApplication)
    request_id = requested(app).id
    with pytest.raises(StepClosedError):
        app.escalate_deadlock(request_id, 0, "nobody", SYSTEM)


def test_a_second_submission_is_a_new_request_linked_to_the_first(store: EventStore) -> None:
    app = store.app(ApprovalsApplication)
    first = requested(app)
    second = requested(app, attempt=2)
    assert second.id == ApprovalRequest.attempt_id("milestone-report", "M-1", 2) != first.id
    assert (second.attempt, second.previous_request_id) == (2, str(first.id))
    history = app.attempts("milestone-report", "M-1")
    assert [(s.attempt, s.previous_request_id) for s in history] == [
        (1, None),
        (2, str(first.id)),
    ]


def test_the_timeline_says_why_the_step_went_to_the_sekda(store: EventStore) -> None:
    app = store.app(ApprovalsApplication)
    request_id = requested(app).id
    app.open_step(request_id, 0, DUE)
    app.escalate_deadlock(request_id, 0, "Only the head submitted.", SYSTEM)
    mapper = store.app(JejakApplication).mapper
    (n,) = [
        n
        for n in store.recorder.select_notifications(1, 1000)
        if n.topic == f"{phrasebook.APPROVAL}.NobodyMayDecide"
    ]
    said = sentence(Recorded(position=n.id, topic=n.topic, event=mapper.to_domain_event(n)))
    assert said.startswith("Nobody in office may decide step 1 of ")
    assert said.endswith("Only the head submitted. It goes to the Sekda at once")
