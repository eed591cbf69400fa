"""Approval requests: routes advance step by step, decisions obey the rules, retries are safe."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from eventsourcing.persistence import StoredEvent

from domain.approvals.application import ApprovalsApplication
from domain.approvals.errors import (
    ActingRestrictedError,
    AlreadyDecidedError,
    FourEyesError,
    InvalidRouteError,
    NotHeadError,
    NotSubmitterError,
    RequestClosedError,
    StepClosedError,
    WrongOpdError,
)
from domain.approvals.request import ApprovalRequest
from domain.approvals.values import Ballot, StepSpec, Verdict
from domain.shared import Actor, AlreadyExistsError, natural_id
from infra.store import EventStore

SUBMITTER = "198001012005011001"
SECRETARIAT = Actor("sekretariat-1", "staff")
DUE = datetime(2023, 11, 3, 16, 0, tzinfo=UTC)


def two_step_route(**first: Any) -> list[StepSpec]:
    return [replace(StepSpec(0, ("DINKES", "BAPPEDA")), **first), StepSpec(1, ("DISKOMINFO",))]


def start(
    store: EventStore, route: list[StepSpec] | None = None
) -> tuple[ApprovalsApplication, uuid.UUID]:
    app = store.app(ApprovalsApplication)
    request_id, _ = app.request_approval(
        "deliverable",
        "D-2023-07",
        "Draft master plan section: governance",
        "DISKOMINFO",
        SUBMITTER,
        route or two_step_route(),
        by=SECRETARIAT,
    )
    app.open_step(request_id, 0, DUE)
    return app, request_id


def vote(
    app: ApprovalsApplication,
    request_id: uuid.UUID,
    opd: str,
    outcome: str = Verdict.APPROVE,
    capacity: str = "head",
    person: str | None = None,
    decision_id: str | None = None,
) -> bool:
    nip = person or "NIP-" + opd
    ballot = Ballot(decision_id or f"{nip}-{uuid.uuid4()}", nip, opd, capacity, outcome)
    recorded, _ = app.decide(request_id, ballot, "seen", by=Actor(nip, capacity))
    return recorded


def test_request_id_is_natural_and_unique_per_subject(store: EventStore) -> None:
    app, request_id = start(store)
    assert request_id == natural_id("approval", "deliverable", "D-2023-07")
    with pytest.raises(AlreadyExistsError):
        app.request_approval(
            "deliverable",
            "d-2023-07",
            "again",
            "DISKOMINFO",
            SUBMITTER,
            two_step_route(),
            by=SECRETARIAT,
        )


@pytest.mark.parametrize(
    "route",
    [[], [StepSpec(0, ("A", "A"))], [StepSpec(0, ("A", "B"), "quorum", 3)]],
)
def test_invalid_route_is_refused(store: EventStore, route: list[StepSpec]) -> None:
    app = store.app(ApprovalsApplication)
    with pytest.raises(InvalidRouteError):
        app.request_approval("deliverable", "D-1", "t", "DISKOMINFO", SUBMITTER, route, SECRETARIAT)
    assert store.max_position() == 0


def test_sequential_route_advances_step_by_step(store: EventStore) -> None:
    app, request_id = start(store)
    vote(app, request_id, "DINKES")
    assert app.snapshot(request_id).current_step == 0
    vote(app, request_id, "BAPPEDA")
    state = app.snapshot(request_id)
    assert (state.current_step, state.steps[0].outcome, state.status) == (
        1,
        "approved",
        "in-progress",
    )
    assert not state.steps[1].is_open
    with pytest.raises(StepClosedError):
        vote(app, request_id, "DISKOMINFO")
    assert app.open_step(request_id, 1, DUE) is not None
    vote(app, request_id, "DISKOMINFO")
    final = app.snapshot(request_id)
    assert (final.status, final.current_step, final.steps[1].outcome) == (
        "approved",
        None,
        "approved",
    )


def test_opening_a_step_twice_records_once(store: EventStore) -> None:
    app, request_id = start(store)
    before = store.max_position()
    assert app.open_step(request_id, 0, DUE) is None
    assert store.max_position() == before
    assert app.snapshot(request_id).steps[0].due_at == DUE


def test_later_step_cannot_be_opened_early(store: EventStore) -> None:
    app, request_id = start(store)
    with pytest.raises(StepClosedError):
        app.open_step(request_id, 1, DUE)


def test_any_of_step_completes_with_one_approval(store: EventStore) -> None:
    app, request_id = start(store, two_step_route(mode="any"))
    vote(app, request_id, "BAPPEDA")
    assert app.snapshot(request_id).steps[0].outcome == "approved"


def test_quorum_step_waits_for_k_approvals(store: EventStore) -> None:
    route = [StepSpec(0, ("DINKES", "BAPPEDA", "DISHUB"), "quorum", 2)]
    app, request_id = start(store, route)
    vote(app, request_id, "DINKES")
    vote(app, request_id, "DISHUB", Verdict.REJECT)
    assert app.snapshot(request_id).steps[0].outcome is None
    vote(app, request_id, "BAPPEDA")
    assert app.snapshot(request_id).status == "approved"


def test_rejection_in_all_of_step_ends_the_request(store: EventStore) -> None:
    app, request_id = start(store)
    vote(app, request_id, "DINKES", Verdict.REJECT)
    state = app.snapshot(request_id)
    assert (state.status, state.steps[0].outcome, state.current_step) == (
        "rejected",
        "rejected",
        None,
    )
    with pytest.raises(RequestClosedError):
        vote(app, request_id, "BAPPEDA")


def test_return_then_resubmit_restarts_at_step_zero_in_round_two(store: EventStore) -> None:
    app, request_id = start(store)
    vote(app, request_id, "DINKES")
    vote(app, request_id, "BAPPEDA", Verdict.RETURN)
    assert app.snapshot(request_id).status == "returned"
    with pytest.raises(NotSubmitterError):
        app.resubmit(request_id, by=Actor("NIP-OTHER", "head"), by_opd="DINKES")
    app.resubmit(request_id, by=Actor(SUBMITTER, "staff"))
    state = app.snapshot(request_id)
    assert (state.status, state.round, state.current_step) == ("in-progress", 2, 0)
    assert state.steps[0].decisions == ()
    assert not state.steps[0].is_open
    app.open_step(request_id, 0, DUE)
    assert vote(app, request_id, "DINKES")


def test_resubmit_only_after_a_return(store: EventStore) -> None:
    app, request_id = start(store)
    with pytest.raises(RequestClosedError):
        app.resubmit(request_id, by=Actor(SUBMITTER, "staff"))


def test_owner_opd_may_resubmit_for_the_submitter(store: EventStore) -> None:
    app, request_id = start(store)
    vote(app, request_id, "DINKES", Verdict.RETURN)
    app.resubmit(request_id, by=Actor("NIP-KADIS-KOMINFO", "head"), by_opd="DISKOMINFO")
    assert app.snapshot(request_id).round == 2


def test_submitter_cannot_approve_own_request(store: EventStore) -> None:
    app, request_id = start(store)
    with pytest.raises(FourEyesError):
        vote(app, request_id, "DINKES", person=SUBMITTER)


@pytest.mark.parametrize("flag", ["strategic", "budget"])
def test_plt_cannot_approve_strategic_or_budget_step(store: EventStore, flag: str) -> None:
    app, request_id = start(store, two_step_route(**{flag: True}))
    with pytest.raises(ActingRestrictedError):
        vote(app, request_id, "DINKES", capacity="plt")
    assert app.snapshot(request_id).steps[0].decisions == ()


def test_plt_may_approve_a_normal_step(store: EventStore) -> None:
    app, request_id = start(store)
    assert vote(app, request_id, "DINKES", capacity="plt")
    (decision,) = app.snapshot(request_id).steps[0].decisions
    assert decision.capacity == "plt"


def test_opd_outside_the_step_is_refused(store: EventStore) -> None:
    app, request_id = start(store)
    with pytest.raises(WrongOpdError):
        vote(app, request_id, "DISHUB")


def test_staff_cannot_decide(store: EventStore) -> None:
    app, request_id = start(store)
    with pytest.raises(NotHeadError):
        vote(app, request_id, "DINKES", capacity="staff")


def test_same_person_cannot_decide_a_step_twice(store: EventStore) -> None:
    app, request_id = start(store, two_step_route(mode="quorum", quorum=2))
    vote(app, request_id, "DINKES", person="NIP-7")
    with pytest.raises(AlreadyDecidedError):
        vote(app, request_id, "BAPPEDA", person="NIP-7")
    with pytest.raises(AlreadyDecidedError):
        vote(app, request_id, "DINKES", person="NIP-8")


def test_same_decision_id_twice_records_once(store: EventStore) -> None:
    app, request_id = start(store)
    assert vote(app, request_id, "DINKES", decision_id="upd-1")
    before = store.max_position()
    assert not vote(app, request_id, "DINKES", decision_id="upd-1")
    assert store.max_position() == before
    assert len(app.snapshot(request_id).steps[0].decisions) == 1


def test_decision_keeps_the_workflow_run_that_carried_it(store: EventStore) -> None:
    app, request_id = start(store)
    ballot = Ballot("upd-9", "NIP-9", "DINKES", "head", Verdict.APPROVE)
    app.decide(request_id, ballot, "ok", Actor("NIP-9", "head"), "approval-D-1", "run-1")
    recorded = list(app.events.get(request_id))[-1]
    assert isinstance(recorded, ApprovalRequest.DecisionRecorded)
    assert (recorded.workflow_id, recorded.run_id, recorded.comment) == (
        "approval-D-1",
        "run-1",
        "ok",
    )


def test_reminders_are_recorded_once_per_label(store: EventStore) -> None:
    app, request_id = start(store)
    assert app.record_reminder(request_id, 0, "due-2") is not None
    assert app.record_reminder(request_id, 0, "due-2") is None
    assert app.record_reminder(request_id, 0, "due-1") is not None
    assert app.snapshot(request_id).steps[0].reminders == ("due-2", "due-1")


def test_escalation_is_recorded_once_per_level(store: EventStore) -> None:
    app, request_id = start(store)
    assert app.escalate(request_id, 0, 1) is not None
    assert app.escalate(request_id, 0, 1) is None
    assert app.escalate(request_id, 0, 2) is not None
    assert app.escalate(request_id, 0, 1) is None
    assert app.snapshot(request_id).steps[0].escalation_level == 2


def test_reminder_for_a_step_not_open_is_refused(store: EventStore) -> None:
    app, request_id = start(store)
    with pytest.raises(StepClosedError):
        app.record_reminder(request_id, 1, "due-0")


def test_sekda_may_decide_an_opd_share_once_escalated(store: EventStore) -> None:
    app, request_id = start(store)
    with pytest.raises(NotHeadError):
        vote(app, request_id, "DINKES", capacity="sekda", person="NIP-SEKDA")
    app.escalate(request_id, 0, 1)
    assert vote(app, request_id, "DINKES", capacity="sekda", person="NIP-SEKDA")


def test_reassign_moves_an_opd_share_to_another_opd(store: EventStore) -> None:
    app, request_id = start(store)
    app.reassign(request_id, 0, "BAPPEDA", "DISHUB", "Bappeda merged", by=SECRETARIAT)
    assert app.snapshot(request_id).steps[0].assigned_opds == ("DINKES", "DISHUB")
    with pytest.raises(WrongOpdError):
        vote(app, request_id, "BAPPEDA")
    vote(app, request_id, "DINKES")
    vote(app, request_id, "DISHUB")
    assert app.snapshot(request_id).steps[0].outcome == "approved"


def test_withdrawn_request_refuses_decisions(store: EventStore) -> None:
    app, request_id = start(store)
    app.withdraw(request_id, "subject cancelled", by=Actor(SUBMITTER, "staff"))
    assert app.snapshot(request_id).status == "withdrawn"
    with pytest.raises(RequestClosedError):
        vote(app, request_id, "DINKES")
    with pytest.raises(RequestClosedError):
        app.withdraw(request_id, "again", by=SECRETARIAT)


def test_version_1_decision_is_read_back_upcast(store: EventStore) -> None:
    app, request_id = start(store)
    request = app.get_request(request_id)
    request.decide(
        Ballot("old-1", "NIP-1", "DINKES", "head", "approve"), "ok", **SECRETARIAT.attribution()
    )
    (new_event,) = request.collect_events()
    stored = app.mapper.to_stored_event(new_event)
    state = app.mapper.transcoder.decode(stored.state)
    for key in ("workflow_id", "run_id", "class_version"):
        del state[key]
    old = StoredEvent(
        stored.originator_id,
        stored.originator_version,
        stored.topic,
        app.mapper.transcoder.encode(state),
    )
    app.recorder.insert_events([old])
    read = list(app.events.get(request_id))[-1]
    assert isinstance(read, ApprovalRequest.DecisionRecorded)
    assert (read.workflow_id, read.run_id, read.decision_id) == (None, None, "old-1")
    assert app.snapshot(request_id).steps[0].decisions[0].decision_id == "old-1"


def test_find_answers_none_for_a_request_never_made(store: EventStore) -> None:
    app, request_id = start(store)
    assert app.find(uuid.uuid4()) is None
    found = app.find(request_id)
    assert found is not None
    assert found.request_id == request_id
