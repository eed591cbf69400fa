"""The approval rules as pure functions: who may decide a step, and when a step is decided.

Every refusal of the approvals is written here once: the aggregate raises it as an error,
the workflow's update validators refuse with it before anything is recorded, and the API
checks it before it asks the workflow. Standard library only and deterministic.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from domain.approvals.values import (
    WITHDRAWABLE,
    ApprovalStatus,
    Ballot,
    Decided,
    Holder,
    Mode,
    Refusal,
    StepSpec,
    Verdict,
)

#: Capacities that decide for their own OPD (head, Plt., Plh.); the same words as Capacity.
OPD_LEADERS = frozenset({"head", "plt", "plh"})
ACTING = frozenset({"plt", "plh"})
#: Who may decide any OPD's share once a step has been escalated.
CITY_LEADERS = frozenset({"sekda", "mayor"})


class StepLike(Protocol):
    """A step as the rules read it (the aggregate's ``StepState``, or a ``StepView``)."""

    @property
    def spec(self) -> StepSpec: ...
    @property
    def assigned_opds(self) -> Sequence[str]: ...
    @property
    def decisions(self) -> Sequence[Decided]: ...
    @property
    def is_open(self) -> bool: ...
    @property
    def escalation_level(self) -> int: ...


class RequestLike(Protocol):
    """A request as the rules read it (the aggregate, or an ``ApprovalState``)."""

    @property
    def status(self) -> str: ...
    @property
    def current_step(self) -> int | None: ...
    @property
    def steps(self) -> Sequence[StepLike]: ...
    @property
    def submitted_by(self) -> str: ...
    @property
    def owner_opd(self) -> str: ...


def step_problem(step: StepSpec, position: int) -> str | None:
    """What is wrong with one step of a route, or None."""
    n = len(step.opd_codes)
    if step.index != position:
        return f"Step {position} is numbered {step.index}; steps must be numbered 0, 1, 2, ..."
    if n == 0:
        return f"Step {position} names no OPD."
    if len(set(step.opd_codes)) != n:
        return f"Step {position} lists the same OPD twice."
    if step.mode not in set(Mode):
        return f"Step {position} has an unknown mode '{step.mode}' (use all, any or quorum)."
    if step.mode == Mode.QUORUM and (step.quorum is None or not 1 <= step.quorum <= n):
        return f"Step {position} needs a quorum between 1 and {n}."
    if step.mode != Mode.QUORUM and step.quorum is not None:
        return f"Step {position} gives a quorum but its mode is '{step.mode}'."
    if step.sla_working_days < 1:
        return f"Step {position} must allow at least one working day."
    return None


def route_refusal(route: Sequence[StepSpec]) -> Refusal | None:
    """Why a route cannot be used ("invalid-route"), or None when it is sound."""
    if not route:
        return Refusal("invalid-route", "An approval needs at least one step.")
    for position, step in enumerate(route):
        problem = step_problem(step, position)
        if problem:
            return Refusal("invalid-route", problem)
    return None


def is_replay(decided: Sequence[Decided], decision_id: str) -> bool:
    """True when ``decision_id`` was already recorded: the caller must change nothing."""
    return any(d.decision_id == decision_id for d in decided)


def entitlement_refusal(step: StepSpec, ballot: Ballot, escalated: bool) -> Refusal | None:
    """Why this capacity may not decide this step, or None."""
    leader = escalated and ballot.capacity in CITY_LEADERS
    if ballot.capacity not in OPD_LEADERS and not leader:
        return Refusal(
            "not-head", "Only the head of the OPD (or its Plt./Plh.) may decide this step."
        )
    if ballot.capacity in ACTING and (step.strategic or step.budget):
        return Refusal(
            "acting-restricted",
            "A Plt. or Plh. may not decide a strategic or budget matter (UU 30/2014 art. 14(7)).",
        )
    return None


def person_refusal(
    step: StepSpec, ballot: Ballot, submitter_nip: str, escalated: bool
) -> Refusal | None:
    """Who may decide: why this person, in this capacity, may not decide ``step``, or None.

    The one rule of entitlement: the aggregate, the workflow's validator, the API and the
    search for a deadlocked step all ask it.
    """
    found = entitlement_refusal(step, ballot, escalated)
    if found:
        return found
    if ballot.person_nip == submitter_nip:
        return Refusal("four-eyes", "The person who submitted may not approve their own request.")
    return None


def duplicate_refusal(decided: Sequence[Decided], ballot: Ballot) -> Refusal | None:
    """Why this ballot repeats a decision already made in the step, or None."""
    if any(d.person_nip == ballot.person_nip for d in decided):
        return Refusal("already-decided", "This person has already decided this step.")
    if any(d.opd_code == ballot.opd_code for d in decided):
        return Refusal("already-decided", f"OPD {ballot.opd_code} has already decided this step.")
    return None


def refusal(
    step: StepSpec,
    step_open: bool,
    assigned_opds: Sequence[str],
    decided: Sequence[Decided],
    submitter_nip: str,
    ballot: Ballot,
    escalated: bool = False,
) -> Refusal | None:
    """Why ``ballot`` may not be recorded on ``step``, or None when it may.

    A repeated decision id is not a refusal: check ``is_replay`` first.
    """
    if not step_open:
        return Refusal("step-closed", "This step is not open for decisions.")
    if ballot.opd_code not in assigned_opds:
        return Refusal("wrong-opd", f"OPD {ballot.opd_code} is not asked to decide this step.")
    if ballot.outcome not in set(Verdict):
        return Refusal("unknown-outcome", "A decision is approve, reject or return.")
    found = person_refusal(step, ballot, submitter_nip, escalated)
    if found:
        return found
    return duplicate_refusal(decided, ballot)


def blocked_reason(opd_code: str, holders: Sequence[Holder], refusals: Sequence[Refusal]) -> str:
    """Why nobody of ``opd_code`` may decide, in words an official can read."""
    if not holders:
        return f"{opd_code} has no head, Plt. or Plh. in office."
    why = "; ".join(dict.fromkeys(r.message.rstrip(".") for r in refusals))
    return f"Nobody in office at {opd_code} may decide ({why})."


def deadlock_reason(
    step: StepSpec,
    assigned_opds: Sequence[str],
    holders: Mapping[str, Sequence[Holder]],
    submitter_nip: str,
) -> str | None:
    """Why nobody at OPD level can complete ``step`` (it must go up the ladder), or None.

    ``holders`` names who is in office for each assigned OPD; an OPD it leaves out is not
    known here and counts as able to decide. The step is deadlocked when fewer OPDs than
    the step needs have someone who may decide it.
    """
    able, reasons = 0, []
    for opd in assigned_opds:
        if opd not in holders:
            able += 1
            continue
        found = [
            person_refusal(
                step, Ballot("", h.nip, opd, h.capacity, Verdict.APPROVE), submitter_nip, False
            )
            for h in holders[opd]
        ]
        refusals = [r for r in found if r is not None]
        if holders[opd] and len(refusals) < len(found):
            able += 1
        else:
            reasons.append(blocked_reason(opd, holders[opd], refusals))
    if able >= step.needed:
        return None
    return " ".join(reasons)


def outcome(step: StepSpec, decided: Sequence[Decided]) -> ApprovalStatus | None:
    """The step's outcome so far: "approved", "rejected", "returned", or None (undecided)."""
    if any(d.outcome == Verdict.RETURN for d in decided):
        return ApprovalStatus.RETURNED
    approvals = len({d.opd_code for d in decided if d.outcome == Verdict.APPROVE})
    rejections = len({d.opd_code for d in decided if d.outcome == Verdict.REJECT})
    if approvals >= step.needed:
        return ApprovalStatus.APPROVED
    if len(step.opd_codes) - rejections < step.needed:
        return ApprovalStatus.REJECTED
    return None


def current(request: RequestLike) -> StepLike | None:
    """The step in progress (open, or about to open), None once the round is over."""
    index = request.current_step
    if request.status != ApprovalStatus.IN_PROGRESS or index is None:
        return None
    return request.steps[index] if index < len(request.steps) else None


def closed_refusal(status: str) -> Refusal | None:
    """Why a request with this status takes no decision or reassignment, or None."""
    if status != ApprovalStatus.IN_PROGRESS:
        return Refusal("request-closed", f"This approval request is {status}.")
    return None


def decision_refusal(
    request: RequestLike, ballot: Ballot, step_index: int | None = None
) -> Refusal | None:
    """Why ``ballot`` may not be recorded on the request's open step, or None.

    ``step_index``, when given, is the step the ballot was meant for: a ballot for an
    earlier step finds it closed. A repeated decision id is not a refusal: check
    ``is_replay`` first.
    """
    step = current(request)
    if step is None:
        return Refusal("request-closed", f"This approval request is {request.status}.")
    return refusal(
        step.spec,
        step.is_open and step_index in (None, request.current_step),
        step.assigned_opds,
        step.decisions,
        request.submitted_by,
        ballot,
        escalated=step.escalation_level >= 1,
    )


def reassign_refusal(
    request: RequestLike, step_index: int, from_opd: str, to_opd: str
) -> Refusal | None:
    """Why one OPD's share of step ``step_index`` may not go to ``to_opd`` now, or None."""
    found = closed_refusal(request.status)
    if found:
        return found
    if not 0 <= step_index < len(request.steps):
        return Refusal(
            "invalid-value", f"There is no step {step_index} in this route.", "step_index"
        )
    if step_index < (request.current_step or 0):
        return Refusal("step-closed", f"Step {step_index} is already completed.")
    step = request.steps[step_index]
    if from_opd not in step.assigned_opds:
        return Refusal(
            "invalid-value", f"OPD {from_opd} is not asked to decide this step.", "from_opd"
        )
    if to_opd in step.assigned_opds:
        return Refusal(
            "invalid-value", f"OPD {to_opd} is already asked to decide this step.", "to_opd"
        )
    if any(d.opd_code == from_opd for d in step.decisions):
        return Refusal("already-decided", f"OPD {from_opd} has already decided this step.")
    return None


def withdraw_refusal(status: str) -> Refusal | None:
    """Why a request with this status cannot be withdrawn, or None."""
    if status not in WITHDRAWABLE:
        return Refusal("request-closed", f"This approval request is already {status}.")
    return None


def resubmit_refusal(request: RequestLike, by_nip: str, by_opd: str | None) -> Refusal | None:
    """Why the request cannot start a new round for this person now, or None."""
    if request.status != ApprovalStatus.RETURNED:
        return Refusal(
            "request-closed",
            f"Only a returned request can be resubmitted; it is {request.status}.",
        )
    if by_nip != request.submitted_by and by_opd != request.owner_opd:
        return Refusal("not-submitter", "Only the submitter or the owner OPD may resubmit.")
    return None
