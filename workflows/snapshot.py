"""An approval's state as plain JSON values, and the pure checks the workflow makes on it.

The workflow keeps its own copy of the state (returned by every activity) so that update
validators can refuse a decision with the domain's own rules without touching the store.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from domain.approvals import rules
from domain.approvals.application import ApprovalState, StepView
from domain.approvals.rules import Ballot, Decided, Refusal, StepSpec
from workflows.inputs import DecideInput, ReassignInput, Snapshot

IN_PROGRESS = "in-progress"
WITHDRAWN = "withdrawn"
FINAL = frozenset({rules.APPROVED, rules.REJECTED, WITHDRAWN})
#: How a round can end with a decision that the subject must follow.
OUTCOMES = frozenset({rules.APPROVED, rules.REJECTED, rules.RETURNED})
#: The subject no longer waited for a decision when the workflow started: no request.
NOT_NEEDED = "not-needed"


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def step_dict(step: StepView) -> dict[str, Any]:
    """One step as plain values."""
    return {
        "spec": step.spec.as_dict(),
        "assigned_opds": list(step.assigned_opds),
        "opened_at": _iso(step.opened_at),
        "due_at": _iso(step.due_at),
        "decisions": [dataclasses.asdict(d) for d in step.decisions],
        "reminders": list(step.reminders),
        "escalation_level": step.escalation_level,
        "outcome": step.outcome,
        "is_open": step.is_open,
        "escalation_reason": step.escalation_reason,
    }


def snapshot_dict(state: ApprovalState) -> Snapshot:
    """The approval's state as plain values (what the API answers)."""
    return {
        "request_id": str(state.request_id),
        "version": state.version,
        "subject_kind": state.subject_kind,
        "subject_id": state.subject_id,
        "title": state.title,
        "owner_opd": state.owner_opd,
        "submitted_by": state.submitted_by,
        "status": state.status,
        "round": state.round,
        "current_step": state.current_step,
        "steps": [step_dict(s) for s in state.steps],
        "attempt": state.attempt,
        "previous_request_id": state.previous_request_id,
    }


def current(snapshot: Snapshot) -> dict[str, Any] | None:
    """The step in progress, None once the round is over."""
    index = snapshot["current_step"]
    if snapshot["status"] != IN_PROGRESS or index is None:
        return None
    step: dict[str, Any] = snapshot["steps"][index]
    return step


def is_waiting(snapshot: Snapshot, step_index: int) -> bool:
    """True while step ``step_index`` is the open, undecided step."""
    step = current(snapshot)
    return step is not None and snapshot["current_step"] == step_index and step["is_open"]


def is_opening(snapshot: Snapshot | None) -> bool:
    """True between two steps: the next step is about to open (a decision should wait)."""
    if snapshot is None:
        return True
    step = current(snapshot)
    return step is not None and step["opened_at"] is None


def is_replay(snapshot: Snapshot | None, decision_id: str) -> bool:
    """True when this decision id is already recorded in this round."""
    if snapshot is None:
        return False
    decided = [Decided(**d) for s in snapshot["steps"] for d in s["decisions"]]
    return rules.is_replay(decided, decision_id)


def decision_refusal(snapshot: Snapshot | None, decision: DecideInput) -> Refusal | None:
    """Why the domain would refuse this decision now, or None when it would record it."""
    if snapshot is None or is_opening(snapshot):
        return None
    step = current(snapshot)
    if step is None:
        return Refusal("request-closed", f"This approval request is {snapshot['status']}.")
    ballot = Ballot(
        decision.decision_id,
        decision.person_nip,
        decision.opd_code,
        decision.capacity,
        decision.outcome,
    )
    return rules.refusal(
        StepSpec.from_dict(step["spec"]),
        step["is_open"],
        step["assigned_opds"],
        [Decided(**d) for d in step["decisions"]],
        snapshot["submitted_by"],
        ballot,
        escalated=step["escalation_level"] >= 1,
    )


def reassign_refusal(snapshot: Snapshot | None, given: ReassignInput) -> Refusal | None:
    """Why this reassignment cannot be recorded now, or None."""
    if snapshot is None or snapshot["status"] != IN_PROGRESS:
        status = snapshot["status"] if snapshot else "not started"
        return Refusal("request-closed", f"This approval request is {status}.")
    if not 0 <= given.step_index < len(snapshot["steps"]):
        return Refusal("invalid-value", f"There is no step {given.step_index} in this route.")
    if given.step_index < snapshot["current_step"]:
        return Refusal("step-closed", f"Step {given.step_index} is already completed.")
    step = snapshot["steps"][given.step_index]
    if given.from_opd not in step["assigned_opds"]:
        return Refusal("invalid-value", f"OPD {given.from_opd} is not asked to decide this step.")
    if given.to_opd in step["assigned_opds"]:
        return Refusal("invalid-value", f"OPD {given.to_opd} is already asked to decide this step.")
    if any(d["opd_code"] == given.from_opd for d in step["decisions"]):
        return Refusal("already-decided", f"OPD {given.from_opd} has already decided this step.")
    return None


def withdraw_refusal(snapshot: Snapshot | None) -> Refusal | None:
    """Why the request cannot be withdrawn now, or None."""
    if snapshot is not None and snapshot["status"] not in (IN_PROGRESS, rules.RETURNED):
        return Refusal("request-closed", f"This approval request is already {snapshot['status']}.")
    return None
