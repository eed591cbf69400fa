"""The approval's values: statuses and kinds, steps, ballots, decisions, and its state.

Plain values and deterministic, so the approval workflow can hold them (its state
is an ``ApprovalState``) and its update validators can apply ``rules`` to them.

The field names of ``ApprovalState``, ``StepView``, ``StepSpec`` and ``Decided`` are stored
contracts: Temporal carries them as JSON in activity results and update answers, and the
recorded workflow histories must still decode.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from domain.values import SubjectRef


class SubjectKind(StrEnum):
    """What can be sent for approval (stored in events and workflow ids: never rename)."""

    MILESTONE_REPORT = "milestone-report"
    DELIVERABLE = "deliverable"
    PLAN_REVISION = "plan-revision"
    COMMITMENT_CLOSURE = "commitment-closure"


class ApprovalStatus(StrEnum):
    """Where a request stands; a completed step's outcome is one of the last three."""

    IN_PROGRESS = "in-progress"
    WITHDRAWN = "withdrawn"
    APPROVED = "approved"
    REJECTED = "rejected"
    RETURNED = "returned"


#: A round ends with one of these, and the subject must follow it.
ROUND_OUTCOMES = frozenset(
    {ApprovalStatus.APPROVED, ApprovalStatus.REJECTED, ApprovalStatus.RETURNED}
)
#: A request in one of these states can still be withdrawn.
WITHDRAWABLE = frozenset({ApprovalStatus.IN_PROGRESS, ApprovalStatus.RETURNED})


class Verdict(StrEnum):
    """What one decision says."""

    APPROVE = "approve"
    REJECT = "reject"
    RETURN = "return"


class Mode(StrEnum):
    """How the OPDs of one step decide together."""

    ALL = "all"
    ANY = "any"
    QUORUM = "quorum"


#: 1: to the Sekda, 2: to the Inspektorat.
ESCALATION_LEVELS = frozenset({1, 2})


@dataclass(frozen=True)
class StepSpec:
    """One step of a route: which OPDs decide, how many must approve, within how long."""

    index: int
    opd_codes: tuple[str, ...]
    mode: str = Mode.ALL
    quorum: int | None = None
    sla_working_days: int = 3
    strategic: bool = False
    budget: bool = False

    @property
    def needed(self) -> int:
        """How many OPD approvals complete the step."""
        if self.mode == Mode.ANY:
            return 1
        if self.mode == Mode.QUORUM and self.quorum is not None:
            return self.quorum
        return len(self.opd_codes)

    def as_dict(self) -> dict[str, Any]:
        """The step as plain JSON-friendly values (how events store it)."""
        return {
            "index": self.index,
            "opd_codes": list(self.opd_codes),
            "mode": str(self.mode),
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
    """Why a command is refused: a stable code, a plain message, and the field at fault."""

    code: str
    message: str
    field: str = ""


@dataclass(frozen=True)
class Holder:
    """Someone who leads an OPD on a given day, and in which capacity (head, plt, plh)."""

    nip: str
    capacity: str


@dataclass(frozen=True)
class StepView:
    """Where one step of the current round stands."""

    spec: StepSpec
    assigned_opds: tuple[str, ...]
    opened_at: datetime | None
    due_at: datetime | None
    decisions: tuple[Decided, ...]
    reminders: tuple[str, ...]
    escalation_level: int
    outcome: str | None
    is_open: bool
    escalation_reason: str | None = None


@dataclass(frozen=True)
class ApprovalState:
    """What an approval request looks like now, in plain values."""

    request_id: uuid.UUID
    version: int
    subject_kind: str
    subject_id: str
    title: str
    owner_opd: str
    submitted_by: str
    status: str
    round: int
    current_step: int | None
    steps: tuple[StepView, ...]
    #: The subject's submission this request decides (1, then 2 after a rejection, ...).
    attempt: int = 1
    #: The closed request of the previous submission, if this one follows it.
    previous_request_id: str | None = None

    @property
    def subject(self) -> SubjectRef:
        """What the request is about."""
        return SubjectRef(self.subject_kind, self.subject_id)

    @property
    def current(self) -> StepView | None:
        """The step in progress (open, or about to open), None once the round is over."""
        if self.status != ApprovalStatus.IN_PROGRESS or self.current_step is None:
            return None
        return self.steps[self.current_step]

    @property
    def opening(self) -> bool:
        """True between two steps: the next step is about to open (a decision waits for it)."""
        step = self.current
        return step is not None and step.opened_at is None

    def is_waiting(self, step_index: int) -> bool:
        """True while step ``step_index`` is the open, undecided step."""
        step = self.current
        return step is not None and self.current_step == step_index and step.is_open

    def decided(self) -> list[Decided]:
        """Every decision recorded in this round."""
        return [d for s in self.steps for d in s.decisions]
