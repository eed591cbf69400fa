"""Choosing the OPD and capacity of a decision from the caller's mandate (pure rules)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from domain.approvals.application import ApprovalsApplication
from domain.approvals.values import ApprovalState, Ballot, Refusal, StepSpec, Verdict
from domain.shared import Actor
from infra.store import EventStore
from workflows.approval.inputs import DecideInput, Mandate
from workflows.approval.mandates import (
    NOT_ASSIGNED,
    OPD_NEEDED,
    OPD_NOT_MINE,
    choice,
    resolved,
)

DUE = datetime(2030, 11, 3, 16, 0, tzinfo=UTC)
SUBMITTER = "198001012005011001"


def approval(store: EventStore, open_first: bool = True) -> tuple[ApprovalsApplication, uuid.UUID]:
    """Step 0 asks DINKES and BAPPEDA (all), step 1 asks DISKOMINFO."""
    app = store.app(ApprovalsApplication)
    route = [StepSpec(0, ("DINKES", "BAPPEDA")), StepSpec(1, ("DISKOMINFO",))]
    request_id, _ = app.request_approval(
        "deliverable", "D-1", "t", "DISKOMINFO", SUBMITTER, route, Actor("sekretariat", "staff")
    )
    if open_first:
        app.open_step(request_id, 0, DUE)
    return app, request_id


def state_of(memory_store: EventStore, open_first: bool = True) -> ApprovalState:
    app, request_id = approval(memory_store, open_first)
    return app.snapshot(request_id)


def code(found: tuple[str, str] | Refusal) -> str:
    assert isinstance(found, Refusal), found
    return found.code


def test_a_head_of_one_assigned_opd_decides_for_it_in_the_capacity_held(
    memory_store: EventStore,
) -> None:
    state = state_of(memory_store)
    assert choice(state, "N1", Mandate({"DISPORA": "head", "DINKES": "plt"})) == ("DINKES", "plt")


def test_leadership_names_one_of_several_opds_and_decides_in_its_own_capacity(
    memory_store: EventStore,
) -> None:
    state = state_of(memory_store)
    assert code(choice(state, "N1", Mandate({}, anywhere_as="sekda"))) == OPD_NEEDED
    named = Mandate({}, anywhere_as="sekda", asked=" bappeda ")
    assert choice(state, "N1", named) == ("BAPPEDA", "sekda")


def test_a_head_of_no_assigned_opd_or_naming_another_opd_is_refused(
    memory_store: EventStore,
) -> None:
    state = state_of(memory_store)
    assert code(choice(state, "N1", Mandate({"DISPORA": "head"}))) == NOT_ASSIGNED
    other = Mandate({"DINKES": "head"}, asked="BAPPEDA")
    assert code(choice(state, "N1", other)) == OPD_NOT_MINE


def test_a_step_not_yet_open_is_closed_for_decisions(memory_store: EventStore) -> None:
    state = state_of(memory_store, open_first=False)
    assert code(choice(state, "N1", Mandate({"DINKES": "head"}))) == "step-closed"


def test_a_decision_on_a_step_that_has_moved_on_is_a_repeat(memory_store: EventStore) -> None:
    app, request_id = approval(memory_store)
    for opd in ("DINKES", "BAPPEDA"):
        ballot = Ballot(f"id-{opd}", f"N-{opd}", opd, "head", Verdict.APPROVE)
        app.decide(request_id, ballot, "", Actor(f"N-{opd}", "head"))
    state = app.snapshot(request_id)
    assert code(choice(state, "N-DINKES", Mandate({"DINKES": "head"}))) == "already-decided"
    assert code(choice(state, "N-OTHER", Mandate({"DINKES": "head"}))) == NOT_ASSIGNED


def test_a_decision_without_a_mandate_is_kept_as_sent(memory_store: EventStore) -> None:
    state = state_of(memory_store)
    sent = DecideInput("d1", "N1", "BAPPEDA", "plh", Verdict.APPROVE)
    assert resolved(state, sent) is sent
    chosen = resolved(
        state, DecideInput("d2", "N1", "", "", "approve", "", Mandate({"DINKES": "head"}))
    )
    assert isinstance(chosen, DecideInput)
    assert (chosen.opd_code, chosen.capacity, chosen.mandate) == ("DINKES", "head", None)
