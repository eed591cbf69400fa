"""What a bimtek stage records: attendance per OPD, materials and deliverables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class DeliverableStatus(StrEnum):
    """Where a deliverable stands: owed -> submitted -> accepted | returned -> submitted ..."""

    OWED = "owed"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    RETURNED = "returned"


@dataclass(frozen=True)
class Attendance:
    """Whether an OPD came to a stage, with how many ASN and who.

    ``extra`` is True when the OPD was not invited but came anyway.
    """

    opd_code: str
    present: bool
    asn_count: int
    names: tuple[str, ...]
    extra: bool
    recorded_by: str


@dataclass(frozen=True)
class Material:
    """A document handed out or presented at a stage."""

    title: str
    reference: str


@dataclass(frozen=True)
class Deliverable:
    """Something an OPD owes after a stage (e.g. its draft section of the master plan).

    ``late`` says whether the latest submission came after the due date in force when it
    was submitted (a later change of the due date does not rewrite that fact).
    """

    deliverable_id: str
    opd_code: str
    title: str
    due_date: date
    status: str = DeliverableStatus.OWED
    reference: str | None = None
    submitted_at: datetime | None = None
    late: bool = False
    note: str | None = None
    #: Why the latest submission was entered later from paper ("" when it was not).
    backdated: str = ""

    def is_overdue(self, today: date) -> bool:
        """True when the deliverable is still owed (or returned) after its due date."""
        waiting = self.status in {DeliverableStatus.OWED, DeliverableStatus.RETURNED}
        return waiting and today > self.due_date
