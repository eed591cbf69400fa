"""The values of the plan: aspects, statuses, baselines, revisions, reports, moved dates."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, ClassVar


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
