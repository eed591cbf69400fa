"""Schemas of bimtek stages: attendance per OPD and the deliverables OPDs owe."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from api.schemas import RequestBody
from api.schemas.bounds import (
    CityCode,
    Comment,
    Key,
    Name,
    OpdCode,
    OptionalTitle,
    Reference,
    Title,
    Whole,
)
from api.schemas.dates import Day, Moment


class CreateSession(RequestBody):
    """A stage of technical guidance: dates, venue, organiser and invited OPDs."""

    city_code: CityCode
    stage_number: Whole = Field(ge=1, le=100)
    title: Title
    start_date: Day
    end_date: Day = Field(description="Not before start_date")
    venue: OptionalTitle = ""
    organiser_opd: OpdCode
    invited_opds: list[OpdCode] = Field(default_factory=list, max_length=200)


class RecordAttendance(RequestBody):
    """Whether an OPD came, with how many ASN and who (the latest record wins)."""

    opd_code: OpdCode
    present: bool
    asn_count: Whole = Field(0, ge=0, le=1000, description="At least 1 when present, 0 when not")
    names: list[Name] = Field(
        default_factory=list, max_length=1000, description="At most asn_count names"
    )
    extra: bool = Field(False, description="Admit an OPD that was not invited but came")
    effective_at: Moment | None = Field(
        None,
        description="When it was noted (default: now); an earlier time, from the paper list,"
        " needs backdated_reason; a future time is refused",
    )
    backdated_reason: str | None = Field(
        None,
        max_length=2000,
        description="Secretariat only, with an earlier time: why the paper record is entered late",
    )


class AssignDeliverable(RequestBody):
    """Something an OPD owes after the stage, by a due date."""

    deliverable_id: Key = Field(examples=["draft-section"])
    opd_code: OpdCode
    title: Title
    due_date: Day


class SubmitDeliverable(RequestBody):
    """The handing in of a deliverable: where the document is, and when it was handed in."""

    reference: Reference
    submitted_at: Moment | None = Field(
        None,
        description="Default and for an OPD head: now. The secretariat may give an earlier time"
        " for a paper submission, with backdated_reason; a future time is refused",
    )
    backdated_reason: str | None = Field(
        None,
        max_length=2000,
        description="Secretariat only, with an earlier time: why the paper record is entered late",
    )


class SessionSummary(BaseModel):
    """A stage in a list."""

    id: str
    city_code: str
    stage_number: int
    title: str
    start_date: date
    end_date: date
    venue: str
    invited_opds: list[str]


class MaterialOut(BaseModel):
    """A document handed out or presented at a stage."""

    title: str
    reference: str


class SessionOut(SessionSummary):
    """A stage with its organiser, materials and counts."""

    version: int
    organiser_opd: str
    materials: list[MaterialOut]
    attendance_recorded: int
    deliverables: int


class AttendanceOut(BaseModel):
    """One OPD at the stage: present, absent or not recorded, and how many ASN."""

    opd_code: str
    invited: bool
    status: Literal["present", "absent", "not-recorded"]
    asn_count: int
    names: list[str]


class AttendanceList(BaseModel):
    """The stage's row of the attendance matrix, one entry per OPD."""

    session_id: str
    version: int
    items: list[AttendanceOut]


class DeliverableOut(BaseModel):
    """A deliverable an OPD owes; ``overdue`` as of today."""

    deliverable_id: str
    opd_code: str
    title: str
    due_date: date
    status: str
    reference: str | None
    submitted_at: datetime | None
    late: bool
    overdue: bool
    note: str | None
    backdated: str = Field(
        "", description="Why the submission was entered later from paper, if it was"
    )


class DeliverableList(BaseModel):
    """The deliverables of a stage that you may see."""

    session_id: str
    version: int
    items: list[DeliverableOut]


class ReviewDeliverable(RequestBody):
    """The secretariat's review of a submitted deliverable: accept it, or return it saying why."""

    outcome: Literal["accept", "return"]
    comment: Comment = Field("", description="Required when returning")
