"""What the approval workflow and its activities take and give: one dataclass each.

Dataclasses (not positional arguments) so fields can be added later with defaults and old
histories still decode. Days travel as ISO text: Temporal's JSON converter has no ``date``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from domain.approvals.values import ApprovalState
from workflows.common import Alert


def approval_workflow_id(request_id: str) -> str:
    """The workflow id of an approval request: one workflow per request."""
    return f"approval/{request_id}"


@dataclass
class ApprovalInput:
    """Start an approval: the subject, its route of steps and the city whose calendar counts."""

    request_id: str
    subject_kind: str
    subject_id: str
    title: str
    owner_opd: str
    submitted_by: str
    route: list[dict[str, Any]]
    city_code: str
    #: Reminders, in working days before the due day (0: on the due day itself).
    reminder_offsets: list[int] = field(default_factory=lambda: [2, 1, 0])
    #: Working days after the first escalation (Sekda) before the second (Inspektorat).
    escalation_level2_after: int = 3
    #: ISO day the first step opened, for back-dated imports; None: the day the workflow runs.
    opened_on: str | None = None
    #: Which submission of the subject this is: 2 after the first was rejected, ...
    attempt: int = 1


@dataclass
class Mandate:
    """Whom the caller may decide for today, as the API found it from the caller's token.

    ``leads``: the OPDs the caller leads today, each with the capacity (head, plt, plh);
    ``anywhere_as``: the capacity in which the caller may decide for any assigned OPD
    (leadership), else ""; ``asked``: the OPD the caller named, else "" (their only one).
    """

    leads: dict[str, str] = field(default_factory=dict)
    anywhere_as: str = ""
    asked: str = ""


@dataclass
class DecideInput:
    """A decision on the open step; ``decision_id`` makes a retried call harmless.

    With a ``mandate`` the workflow chooses ``opd_code`` and ``capacity`` from its own state
    of the approval (the API sends them empty, having read nothing); without one they are
    the caller's choice, already checked (histories recorded before mandates).
    """

    decision_id: str
    person_nip: str
    opd_code: str
    capacity: str
    outcome: str
    comment: str = ""
    mandate: Mandate | None = None


@dataclass
class ReassignInput:
    """Hand one OPD's share of a step to another OPD, and why."""

    step_index: int
    from_opd: str
    to_opd: str
    reason: str
    actor: str
    capacity: str = "staff"


@dataclass
class WithdrawInput:
    """Withdraw the request, and why."""

    reason: str
    actor: str
    capacity: str = "staff"


@dataclass
class ResubmitInput:
    """The submitter sent the revised subject back: round ``round`` starts from step 0."""

    round: int
    by_nip: str
    by_opd: str | None = None


@dataclass
class NotNeeded:
    """The subject no longer waited for a decision when the workflow started: no request."""

    status: str = "not-needed"


@dataclass
class EnsureRequestInput:
    """Create the approval request unless it already exists."""

    approval: ApprovalInput
    effective_at: datetime


@dataclass
class OpenStepInput:
    """Open step ``step_index`` and compute its due time and alerts from the city's calendar."""

    request_id: str
    step_index: int
    city_code: str
    reminder_offsets: list[int]
    escalation_level2_after: int
    effective_at: datetime
    opened_on: str | None = None


@dataclass
class OpenedStep:
    """The step as opened: the state after it, its due time and its alerts in time order."""

    state: ApprovalState
    due_at: datetime
    alerts: list[Alert]


@dataclass
class RecordDecisionInput:
    """Record a decision, naming the workflow run that carried it."""

    request_id: str
    step_index: int
    decision: DecideInput
    effective_at: datetime
    workflow_id: str
    run_id: str


@dataclass
class AlertInput:
    """Record one reminder or escalation of a step."""

    request_id: str
    step_index: int
    alert: Alert


@dataclass
class ReassignStepInput:
    """Record a reassignment."""

    request_id: str
    reassign: ReassignInput
    effective_at: datetime


@dataclass
class ResubmitRequestInput:
    """Record the resubmission (unless the API already did) for a new round."""

    request_id: str
    resubmit: ResubmitInput
    effective_at: datetime


@dataclass
class WithdrawRequestInput:
    """Record the withdrawal (unless already withdrawn)."""

    request_id: str
    withdraw: WithdrawInput
    effective_at: datetime


@dataclass
class ApplyOutcomeInput:
    """Carry out the outcome of the round that just ended on the approval's subject."""

    request_id: str
    effective_at: datetime
