"""The master plan of a city: aspects, baseline and revisions; the plan's errors and rules."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, ClassVar

from domain.shared import DomainError, ValidationError, natural_id
from domain.values import required_text


class InvalidTransitionError(DomainError):
    """The thing is not in a state where this step is allowed."""

    code = "invalid-transition"
    title = "Not allowed in the current state"


class BaselineLockedError(InvalidTransitionError):
    """The plan is approved: its content changes only through an approved revision."""

    code = "baseline-locked"
    title = "The approved plan changes only through a revision"


class UnknownAspectError(ValidationError):
    """A program names an aspect the master plan does not have."""

    code = "unknown-aspect"
    title = "Not an aspect of this master plan"


class ProgressDecreaseError(ValidationError):
    """Progress went down without a reason."""

    code = "progress-decrease-needs-reason"
    title = "A lower progress needs a reason"


@dataclass(frozen=True)
class Aspect:
    """One aspect (dimensi) of the smart city, labelled in English and Indonesian."""

    id: str
    label_en: str
    label_id: str


#: The six aspects of the reference city's master plan.
DEFAULT_ASPECTS: tuple[Aspect, ...] = (
    Aspect("governance", "Governance", "Tata Kelola Pemerintahan"),
    Aspect("transportation", "Transportation", "Transportasi"),
    Aspect("economy", "Economy", "Ekonomi"),
    Aspect("environment", "Environment", "Lingkungan"),
    Aspect("quality-of-life", "Quality of life", "Kualitas Hidup"),
    Aspect("human-resources", "Human resources", "Sumber Daya Manusia"),
)


def weighted_progress(items: Iterable[tuple[float, float]]) -> float:
    """The progress (percent) of (weight, percent) items, weighted; 0.0 when there are none."""
    pairs = list(items)
    total = sum(weight for weight, _ in pairs)
    if total <= 0:
        return 0.0
    return sum(weight * percent for weight, percent in pairs) / total


def positive_weight(weight: float) -> float:
    """``weight`` as a float, or ``ValidationError`` unless it is a number above zero."""
    if isinstance(weight, bool) or not isinstance(weight, int | float) or weight <= 0:
        raise ValidationError("weight", f"The weight must be a number above zero, not {weight!r}.")
    return float(weight)


def program_id_for(plan_id: uuid.UUID, code: str) -> uuid.UUID:
    """The id of program ``code`` of a plan."""
    return natural_id("program", plan_id.hex, code)


def check_aspects(aspects: Sequence[Aspect]) -> None:
    """Refuse an empty list of aspects, blank labels or a repeated id."""
    if not aspects:
        raise ValidationError("aspects", "A master plan needs at least one aspect.")
    ids = [required_text("aspects", a.id, "An aspect id") for a in aspects]
    for a in aspects:
        required_text("aspects", a.label_en, f"The English label of aspect {a.id}")
        required_text("aspects", a.label_id, f"The Indonesian label of aspect {a.id}")
    if len(set(ids)) != len(ids):
        raise ValidationError("aspects", "Each aspect may appear only once.")


class PlanStatus(StrEnum):
    """Where a master plan stands."""

    DRAFT = "draft"
    APPROVED = "approved"
    REVISION_PENDING = "revision-pending"


class RevisionStatus(StrEnum):
    """Where a proposed revision stands: pending -> approved | rejected."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass
class Revision:
    """A proposed change to an approved plan and what became of it."""

    id: str
    description: str
    changes: list[dict[str, Any]]
    proposed_by: str
    status: str = RevisionStatus.PENDING
    reason: str = ""


@dataclass(frozen=True)
class Baseline:
    """The approved content of a plan at one baseline version.

    ``versions`` holds the version of each program and milestone at approval, so their
    approved state can be read back from the event store.
    """

    version: int
    title: str
    vision: str
    start_year: int
    years: int
    aspects: tuple[Aspect, ...]
    programs: dict[str, tuple[uuid.UUID, ...]]
    versions: dict[uuid.UUID, int] = field(default_factory=dict)
    revision_id: str | None = None
    approved_by: str = ""
    approved_at: datetime | None = None


class MilestoneStatus(StrEnum):
    """Where a milestone stands: planned -> in-progress -> submitted -> approved -> done."""

    PLANNED = "planned"
    IN_PROGRESS = "in-progress"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"
    DONE = "done"


#: From these, a progress report (re)opens the work of a milestone.
REPORTABLE: frozenset[str] = frozenset(
    {MilestoneStatus.PLANNED, MilestoneStatus.IN_PROGRESS, MilestoneStatus.RETURNED}
    | {MilestoneStatus.APPROVED}
)


@dataclass(frozen=True)
class ProgressReport:
    """One progress report: percent, note, evidence references, who and when."""

    percent: float
    note: str
    evidence: tuple[str, ...]
    reason: str
    reported_by: str
    effective_at: datetime


@dataclass(frozen=True)
class DueDateChange:
    """A moved deadline: from which date to which, why, by whom."""

    old_due_date: date
    due_date: date
    reason: str
    changed_by: str

    #: The names snapshots taken before the dates were named alike stored them under.
    STORED_AS: ClassVar[dict[str, str]] = {"old_due": "old_due_date", "new_due": "due_date"}
