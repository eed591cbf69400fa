"""The approval rules as pure functions: who may decide a step, and when a step is decided.

Standard library only and deterministic, so a workflow's update validator can call it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

ALL = "all"
ANY = "any"
QUORUM = "quorum"
MODES = frozenset({ALL, ANY, QUORUM})

APPROVE = "approve"
REJECT = "reject"
RETURN = "return"
OUTCOMES = frozenset({APPROVE, REJECT, RETURN})

APPROVED = "approved"
REJECTED = "rejected"
RETURNED = "returned"

#: Capacities that decide for their own OPD (head, Plt., Plh.); the same words as Capacity.
OPD_LEADERS = frozenset({"head", "plt", "plh"})
ACTING = frozenset({"plt", "plh"})
#: Who may decide any OPD's share once a step has been escalated.
CITY_LEADERS = frozenset({"sekda", "mayor"})


@dataclass(frozen=True)
class StepSpec:
    """One step of a route: which OPDs decide, how many must approve, within how long."""

    index: int
    opd_codes: tuple[str, ...]
    mode: str = ALL
    quorum: int | None = None
    sla_working_days: int = 3
    strategic: bool = False
    budget: bool = False

    @property
    def needed(self) -> int:
        """How many OPD approvals complete the step."""
        if self.mode == ANY:
            return 1
        if self.mode == QUORUM and self.quorum is not None:
            return self.quorum
        return len(self.opd_codes)

    def as_dict(self) -> dict[str, Any]:
        """The step as plain JSON-friendly values (how events store it)."""
        return {
            "index": self.index,
            "opd_codes": list(self.opd_codes),
            "mode": self.mode,
            "quorum": self.quorum,
            "sla_working_days": self.sla_working_days,
            "strategic": self.strategic,
            "budget": self.budget,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StepSpec:
        """The step stored by ``as_dict``."""
        return cls(**{**data, "opd_codes": tuple(data["opd_codes"])})


@dataclass(frozen=True)
class Ballot:
    """A decision someone asks to record on the open step."""

    decision_id: str
    person_nip: str
    opd_code: str
    capacity: str
    outcome: str


@dataclass(frozen=True)
class Decided:
    """A decision already recorded on a step."""

    decision_id: str
    person_nip: str
    opd_code: str
    capacity: str
    outcome: str
    comment: str = ""


@dataclass(frozen=True)
class Refusal:
    """Why a command is refused: a stable code and a plain message."""

    code: str
    message: str


def step_problem(step: StepSpec, position: int) -> str | None:
    """What is wrong with one step of a route, or None."""
    n = len(step.opd_codes)
    if step.index != position:
        return f"Step {position} is numbered {step.index}; steps must be numbered 0, 1, 2, ..."
    if n == 0:
        return f"Step {position} names no OPD."
    if len(set(step.opd_codes)) != n:
        return f"Step {position} lists the same OPD twice."
    if step.mode not in MODES:
        return f"Step {position} has an unknown mode '{step.mode}' (use all, any or quorum)."
    if step.mode == QUORUM and (step.quorum is None or not 1 <= step.quorum <= n):
        return f"Step {position} needs a quorum between 1 and {n}."
    if step.mode != QUORUM and step.quorum is not None:
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
    if ballot.outcome not in OUTCOMES:
        return Refusal("unknown-outcome", "A decision is approve, reject or return.")
    found = person_refusal(step, ballot, submitter_nip, escalated)
    if found:
        return found
    return duplicate_refusal(decided, ballot)


@dataclass(frozen=True)
class Holder:
    """Someone who leads an OPD on a given day, and in which capacity (head, plt, plh)."""

    nip: str
    capacity: str


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
            person_refusal(step, Ballot("", h.nip, opd, h.capacity, APPROVE), submitter_nip, False)
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


def outcome(step: StepSpec, decided: Sequence[Decided]) -> str | None:
    """The step's outcome so far: "approved", "rejected", "returned", or None (undecided)."""
    if any(d.outcome == RETURN for d in decided):
        return RETURNED
    approvals = len({d.opd_code for d in decided if d.outcome == APPROVE})
    rejections = len({d.opd_code for d in decided if d.outcome == REJECT})
    if approvals >= step.needed:
        return APPROVED
    if len(step.opd_codes) - rejections < step.needed:
        return REJECTED
    return None
