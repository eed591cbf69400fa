"""The approval's state as the workflow holds it (an ``ApprovalState``), and its pure checks.

The workflow keeps its own copy of the state (every activity returns it) so that update
validators can refuse with the domain's own rules without touching the store. Its field
names are the keys recorded histories hold: ``ApprovalState`` decodes them.
"""

from __future__ import annotations

from dataclasses import replace

from domain.approvals import rules
from domain.approvals.values import (
    ApprovalState,
    ApprovalStatus,
    Ballot,
    Refusal,
)
from workflows.approval.inputs import DecideInput
from workflows.common import Alert, AlertKind

#: The subject no longer waited for a decision when the workflow started: no request.
NOT_NEEDED = "not-needed"


def ballot(decision: DecideInput) -> Ballot:
    """The ballot a decision asks to record."""
    d = decision
    return Ballot(d.decision_id, d.person_nip, d.opd_code, d.capacity, d.outcome)


def is_opening(state: ApprovalState | None) -> bool:
    """True before the request is loaded, and between two steps (a decision should wait)."""
    return state is None or state.opening


def is_replay(state: ApprovalState | None, decision_id: str) -> bool:
    """True when this decision id is already recorded in this round."""
    return state is not None and rules.is_replay(state.decided(), decision_id)


def decision_refusal(state: ApprovalState | None, decision: DecideInput) -> Refusal | None:
    """Why the domain would refuse this decision now, or None when it would record it."""
    if state is None or state.opening:
        return None
    return rules.decision_refusal(state, ballot(decision))


def noted(state: ApprovalState, index: int, alert: Alert) -> ApprovalState:
    """The state after a reminder or an escalation of step ``index`` was recorded."""
    step = state.steps[index]
    if alert.kind == AlertKind.REMINDER:
        step = replace(step, reminders=(*step.reminders, alert.label))
    else:
        step = replace(step, escalation_level=max(step.escalation_level, alert.level))
    steps = (*state.steps[:index], step, *state.steps[index + 1 :])
    return replace(state, steps=steps)


def status_of(state: ApprovalState | None) -> str:
    """The request's status (in progress until it is loaded)."""
    return str(state.status) if state is not None else ApprovalStatus.IN_PROGRESS
