"""For which OPD, and in which capacity, a caller decides: the choice the API used to make.

Pure and deterministic: the workflow's update validator and handler apply it to the
workflow's own copy of the approval (so the API sends a decision without reading the
approval first), and the API applies it to the approval read from the store to word a
refusal. Refusal codes of its own: ``not-assigned`` (the caller leads none of the step's
OPDs), ``opd-not-mine`` (the OPD named is not one the caller may decide for) and
``opd-needed`` (the caller may decide for several and named none).
"""

from __future__ import annotations

from dataclasses import replace

from domain.approvals.errors import AlreadyDecidedError
from domain.approvals.values import ApprovalState, Refusal, StepView
from workflows.approval.inputs import DecideInput, Mandate

NOT_ASSIGNED, OPD_NOT_MINE, OPD_NEEDED = "not-assigned", "opd-not-mine", "opd-needed"


def current_assigned(state: ApprovalState) -> list[str]:
    """The OPDs asked to decide the step in progress (or next to open)."""
    if state.current_step is None:
        return []
    return list(state.steps[state.current_step].assigned_opds)


def repeat_refusal(state: ApprovalState, person_nip: str, mandate: Mandate) -> Refusal | None:
    """A repeat of the caller's decision on a step that has since closed (409), or None.

    Of two approvals sent at once, the second finds the step already closed and the next
    one open for other OPDs: it is a repeat, not a lack of rights.
    """
    if not set(mandate.leads).isdisjoint(current_assigned(state)):
        return None
    mine = [
        s.spec.index
        for s in state.steps
        if not s.is_open and any(d.person_nip == person_nip for d in s.decisions)
    ]
    if not mine:
        return None
    message = f"You have already decided step {mine[-1] + 1} of this approval; it has moved on."
    return Refusal(AlreadyDecidedError.code, message)


def deciding_for(step: StepView, mandate: Mandate) -> list[str]:
    """The step's assigned OPDs the caller may decide for."""
    if mandate.anywhere_as:
        return list(step.assigned_opds)
    return [o for o in step.assigned_opds if o in mandate.leads]


def choice(state: ApprovalState, person_nip: str, mandate: Mandate) -> tuple[str, str] | Refusal:
    """The OPD the caller decides for and their capacity in it, or why they may not.

    In the order the API always checked: a repeat, the caller's OPDs against the step's,
    an open step, then the OPD named (or the only one possible).
    """
    found = repeat_refusal(state, person_nip, mandate)
    if found:
        return found
    if not mandate.anywhere_as and set(mandate.leads).isdisjoint(current_assigned(state)):
        return Refusal(NOT_ASSIGNED, "You lead none of the OPDs asked to decide this step.")
    step = state.current
    if step is None or not step.is_open:
        return Refusal("step-closed", "This approval has no step open for decisions.")
    mine = deciding_for(step, mandate)
    asked = mandate.asked.strip().upper()
    if asked and asked not in mine:
        return Refusal(OPD_NOT_MINE, f"You may not decide for OPD {asked} here.")
    if not asked and len(mine) != 1:
        return Refusal(OPD_NEEDED, f"Name one of {', '.join(mine)} in opd_code.")
    opd = asked or mine[0]
    return opd, mandate.anywhere_as or mandate.leads[opd]


def resolved(state: ApprovalState, decision: DecideInput) -> DecideInput | Refusal:
    """The decision with its OPD and capacity chosen by its mandate (as it is without one)."""
    if decision.mandate is None:
        return decision
    found = choice(state, decision.person_nip, decision.mandate)
    if isinstance(found, Refusal):
        return found
    opd, capacity = found
    return replace(decision, opd_code=opd, capacity=capacity, mandate=None)
