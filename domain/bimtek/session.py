"""The bimtek (technical guidance) stage aggregate, its events and the errors of its rules.

One aggregate per stage: the stages of a program are held and changed independently
(stage 3 may still collect deliverables while stage 4 takes attendance).
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from eventsourcing.domain import event

from domain.bimtek.errors import (
    DeliverableAlreadyAssignedError,
    DeliverableNotFoundError,
    DeliverableStatusError,
    NotInvitedError,
)
from domain.bimtek.rules import check_attendance, check_new_session
from domain.bimtek.values import Attendance, Deliverable, Material
from domain.bimtek.values import DeliverableStatus as Status
from domain.shared import JejakAggregate, ValidationError, natural_id
from domain.values import clean_code, required_text

__all__ = [
    "BimtekSession",
    "DeliverableAlreadyAssignedError",
    "DeliverableNotFoundError",
    "DeliverableStatusError",
    "NotInvitedError",
]

_TOPIC = "jejak.bimtek:BimtekSession"


class BimtekSession(JejakAggregate):
    """One stage of a bimtek: dates, venue, invited OPDs, attendance, materials, deliverables."""

    TOPIC = _TOPIC

    @staticmethod
    def create_id(city_code: str, stage_number: int) -> uuid.UUID:
        """The id of stage ``stage_number`` of city ``city_code``."""
        return natural_id("bimtek", city_code, str(stage_number))

    @classmethod
    def create(
        cls,
        *,
        city_code: str,
        stage_number: int,
        title: str,
        start_date: date,
        end_date: date,
        venue: str,
        organiser_opd: str,
        invited_opds: list[str],
        **attribution: Any,
    ) -> BimtekSession:
        """A new stage, refused when it ends before it starts or lacks a key or title."""
        check_new_session(city_code, stage_number, title, start_date, end_date)
        required_text("organiser_opd", organiser_opd, "The organising OPD")
        invited = list(dict.fromkeys(clean_code(c) for c in invited_opds if c.strip()))
        return cls(
            city_code=city_code.strip().upper(),
            stage_number=stage_number,
            title=title.strip(),
            start_date=start_date,
            end_date=end_date,
            venue=venue.strip(),
            organiser_opd=clean_code(organiser_opd),
            invited_opds=invited,
            **attribution,
        )

    @event("Created", topic=f"{_TOPIC}.Created")
    def __init__(
        self,
        city_code: str,
        stage_number: int,
        title: str,
        start_date: date,
        end_date: date,
        venue: str,
        organiser_opd: str,
        invited_opds: list[str],
        actor: str,
        capacity: str,
        effective_at: datetime,
    ) -> None:
        self.city_code, self.stage_number, self.title = city_code, stage_number, title
        self.start_date, self.end_date, self.venue = start_date, end_date, venue
        self.organiser_opd, self.invited_opds = organiser_opd, tuple(invited_opds)
        self.attendance: dict[str, Attendance] = {}
        self.materials: list[Material] = []
        self.deliverables: dict[str, Deliverable] = {}

    def record_attendance(
        self,
        opd_code: str,
        present: bool,
        asn_count: int,
        names: list[str] | None = None,
        extra: bool = False,
        **attribution: Any,
    ) -> None:
        """Record (or correct: the latest record wins) whether an OPD came, and with whom."""
        opd, names = clean_code(opd_code), [n.strip() for n in names or [] if n.strip()]
        if opd not in self.invited_opds and not extra:
            raise NotInvitedError(f"{opd} was not invited to stage {self.stage_number}.")
        check_attendance(present, asn_count, names)
        self._attendance_recorded(
            opd_code=opd,
            present=present,
            asn_count=asn_count,
            names=names,
            extra=opd not in self.invited_opds,
            **attribution,
        )

    def add_material(self, title: str, reference: str, **attribution: Any) -> None:
        """Record a material of the stage (slides, template, minutes)."""
        required_text("title", title, "The title of the material")
        required_text("reference", reference, "Where the material can be found")
        self._material_added(title=title.strip(), reference=reference.strip(), **attribution)

    def assign_deliverable(
        self, deliverable_id: str, opd_code: str, title: str, due_date: date, **attribution: Any
    ) -> None:
        """Record that an OPD owes a deliverable after this stage, by a due date."""
        opd, key = clean_code(opd_code), deliverable_id.strip()
        required_text("deliverable_id", key, "The deliverable id")
        required_text("title", title, "What is to be delivered")
        if key in self.deliverables:
            raise DeliverableAlreadyAssignedError(f"Deliverable {key} is already assigned.")
        if opd not in self.invited_opds and opd not in self.attendance:
            raise NotInvitedError(f"{opd} neither was invited to nor came to this stage.")
        self._check_due_date(due_date)
        self._deliverable_assigned(
            deliverable_id=key, opd_code=opd, title=title.strip(), due_date=due_date, **attribution
        )

    def submit_deliverable(
        self, deliverable_id: str, reference: str, submitted_at: datetime, **attribution: Any
    ) -> None:
        """Record that an OPD handed in a deliverable (again, after it was returned)."""
        deliverable = self._deliverable_in(deliverable_id, Status.OWED, Status.RETURNED)
        required_text("reference", reference, "Where the submitted document can be found")
        if submitted_at.tzinfo is None:
            raise ValidationError("submitted_at", "The time of submission must carry a time zone.")
        late = submitted_at.date() > deliverable.due_date
        self._deliverable_submitted(
            deliverable_id=deliverable.deliverable_id,
            reference=reference.strip(),
            submitted_at=submitted_at,
            late=late,
            **attribution,
        )

    def accept_deliverable(self, deliverable_id: str, comment: str, **attribution: Any) -> None:
        """Accept a submitted deliverable."""
        deliverable = self._deliverable_in(deliverable_id, Status.SUBMITTED)
        self._deliverable_accepted(
            deliverable_id=deliverable.deliverable_id, comment=comment.strip(), **attribution
        )

    def return_deliverable(self, deliverable_id: str, reason: str, **attribution: Any) -> None:
        """Return a submitted deliverable for revision, saying why."""
        deliverable = self._deliverable_in(deliverable_id, Status.SUBMITTED)
        required_text("reason", reason, "Why the deliverable is returned")
        self._deliverable_returned(
            deliverable_id=deliverable.deliverable_id, reason=reason.strip(), **attribution
        )

    def change_due_date(
        self, deliverable_id: str, due_date: date, reason: str, **attribution: Any
    ) -> None:
        """Move the due date of a deliverable not yet accepted, saying why."""
        deliverable = self._deliverable_in(
            deliverable_id, Status.OWED, Status.SUBMITTED, Status.RETURNED
        )
        required_text("reason", reason, "Why the due date changes")
        self._check_due_date(due_date)
        self._due_date_changed(
            deliverable_id=deliverable.deliverable_id,
            due_date=due_date,
            reason=reason.strip(),
            **attribution,
        )

    def overdue_deliverables(self, today: date) -> list[Deliverable]:
        """The deliverables still owed (or returned) after their due date."""
        return [d for d in self.deliverables.values() if d.is_overdue(today)]

    def _check_due_date(self, due_date: date) -> None:
        if due_date < self.start_date:
            raise ValidationError(
                "due_date", "A deliverable cannot be due before the stage starts."
            )

    def _deliverable_in(self, deliverable_id: str, *allowed: str) -> Deliverable:
        deliverable = self.deliverables.get(deliverable_id.strip())
        if deliverable is None:
            raise DeliverableNotFoundError(f"Deliverable {deliverable_id} was not assigned.")
        if deliverable.status not in allowed:
            raise DeliverableStatusError(
                f"Deliverable {deliverable_id} is {deliverable.status}; "
                f"this needs it to be {' or '.join(allowed)}."
            )
        return deliverable

    def _update(self, deliverable_id: str, **changes: Any) -> None:
        self.deliverables[deliverable_id] = replace(self.deliverables[deliverable_id], **changes)

    @event("AttendanceRecorded", topic=f"{_TOPIC}.AttendanceRecorded")
    def _attendance_recorded(
        self,
        opd_code: str,
        present: bool,
        asn_count: int,
        names: list[str],
        extra: bool,
        actor: str,
        capacity: str,
        effective_at: datetime,
        backdated: str = "",
    ) -> None:
        record = Attendance(opd_code, present, asn_count, tuple(names), extra, actor)
        self.attendance[opd_code] = record

    @event("MaterialAdded", topic=f"{_TOPIC}.MaterialAdded")
    def _material_added(
        self, title: str, reference: str, actor: str, capacity: str, effective_at: datetime
    ) -> None:
        self.materials.append(Material(title, reference))

    @event("DeliverableAssigned", topic=f"{_TOPIC}.DeliverableAssigned")
    def _deliverable_assigned(
        self,
        deliverable_id: str,
        opd_code: str,
        title: str,
        due_date: date,
        actor: str,
        capacity: str,
        effective_at: datetime,
    ) -> None:
        self.deliverables[deliverable_id] = Deliverable(deliverable_id, opd_code, title, due_date)

    @event("DeliverableSubmitted", topic=f"{_TOPIC}.DeliverableSubmitted")
    def _deliverable_submitted(
        self,
        deliverable_id: str,
        reference: str,
        submitted_at: datetime,
        late: bool,
        actor: str,
        capacity: str,
        effective_at: datetime,
        backdated: str = "",
    ) -> None:
        self._update(
            deliverable_id,
            status=Status.SUBMITTED,
            reference=reference,
            submitted_at=submitted_at,
            late=late,
            backdated=backdated,
        )

    @event("DeliverableAccepted", topic=f"{_TOPIC}.DeliverableAccepted")
    def _deliverable_accepted(
        self, deliverable_id: str, comment: str, actor: str, capacity: str, effective_at: datetime
    ) -> None:
        self._update(deliverable_id, status=Status.ACCEPTED, note=comment or None)

    @event("DeliverableReturned", topic=f"{_TOPIC}.DeliverableReturned")
    def _deliverable_returned(
        self, deliverable_id: str, reason: str, actor: str, capacity: str, effective_at: datetime
    ) -> None:
        self._update(deliverable_id, status=Status.RETURNED, note=reason)

    @event("DueDateChanged", topic=f"{_TOPIC}.DueDateChanged")
    def _due_date_changed(
        self,
        deliverable_id: str,
        due_date: date,
        reason: str,
        actor: str,
        capacity: str,
        effective_at: datetime,
    ) -> None:
        self._update(deliverable_id, due_date=due_date)
