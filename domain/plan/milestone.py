"""The Milestone aggregate: a dated step of a program, with progress reports and evidence."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from eventsourcing.domain import event

from domain.plan.errors import InvalidTransitionError, ProgressDecreaseError
from domain.plan.rules import positive_weight
from domain.plan.values import REPORTABLE, DueDateChange, MilestoneStatus, ProgressReport
from domain.shared import JejakAggregate, ValidationError, natural_id
from domain.value_log import ValueLog
from domain.values import required_text


class Milestone(JejakAggregate):
    """A dated, weighted step of a program that its OPD reports on and gets approved."""

    TOPIC = "jejak.plan:Milestone"
    #: Version 2 keeps the reports in a ``ValueLog`` (a snapshot stores them as rows).
    class_version = 2

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        """A version 1 snapshot holds the reports as a list of value objects."""
        state["reports"] = ValueLog(ProgressReport, state["reports"])

    @staticmethod
    def create_id(program_id: uuid.UUID, code: str) -> uuid.UUID:
        """The id of milestone ``code`` of program ``program_id``."""
        return natural_id("milestone", program_id.hex, code)

    @classmethod
    def plan(
        cls,
        *,
        program_id: uuid.UUID,
        code: str,
        title: str,
        due_date: date,
        owner_opd: str,
        weight: float = 1.0,
        **attribution: Any,
    ) -> Milestone:
        """A new milestone, planned."""
        if not isinstance(due_date, date) or isinstance(due_date, datetime):
            raise ValidationError("due_date", "The due date must be a calendar date.")
        return cls(
            program_id=program_id,
            code=required_text("code", code, "The milestone code"),
            title=required_text("title", title, "The milestone title"),
            due_date=due_date,
            weight=positive_weight(weight),
            owner_opd=required_text("owner_opd", owner_opd, "The owner OPD"),
            **attribution,
        )

    @event("Created", topic="jejak.plan:Milestone.Created")
    def __init__(
        self,
        program_id: uuid.UUID,
        code: str,
        title: str,
        due_date: date,
        weight: float,
        owner_opd: str,
        actor: str,
        capacity: str,
        effective_at: datetime,
    ) -> None:
        self.program_id = program_id
        self.code = code
        self.title = title
        self.due_date = due_date
        self.weight = weight
        self.owner_opd = owner_opd
        self.status = MilestoneStatus.PLANNED
        self.percent = 0.0
        self.approved_percent = 0.0  # what counts in the roll-ups: the last approved report
        self.reports: ValueLog[ProgressReport] = ValueLog(ProgressReport)
        self.submitted_by: str | None = None
        self.comment = ""
        self.due_date_changes: list[DueDateChange] = []

    def _refuse(self, doing: str) -> InvalidTransitionError:
        return InvalidTransitionError(f"Milestone {self.code} is {self.status}; {doing}")

    def report_progress(
        self,
        percent: float,
        note: str = "",
        evidence: list[str] | tuple[str, ...] = (),
        reason: str = "",
        **attribution: Any,
    ) -> None:
        """Report progress; a lower percent than before needs a reason."""
        if self.status == MilestoneStatus.DONE:
            raise self._refuse("its progress can no longer change.")
        if self.status not in REPORTABLE:
            raise self._refuse("report progress again after the decision on it.")
        if isinstance(percent, bool) or not isinstance(percent, int | float):
            raise ValidationError("percent", "Progress is a number from 0 to 100.")
        if not 0 <= percent <= 100:
            raise ValidationError("percent", f"Progress must be from 0 to 100, not {percent}.")
        if percent < self.percent and not reason.strip():
            raise ProgressDecreaseError(
                "percent",
                f"Progress of {self.code} goes down from {self.percent:g}% to {percent:g}%; "
                "say why.",
            )
        refs = [required_text("evidence", e, "An evidence reference") for e in evidence]
        self._progress_reported(
            percent=float(percent),
            previous_percent=self.percent,
            note=note.strip(),
            evidence=refs,
            reason=reason.strip(),
            **attribution,
        )

    @event("ProgressReported", topic="jejak.plan:Milestone.ProgressReported")
    def _progress_reported(
        self,
        percent: float,
        previous_percent: float,
        note: str,
        evidence: list[str],
        reason: str,
        actor: str,
        capacity: str,
        effective_at: datetime,
        backdated: str = "",
    ) -> None:
        report = ProgressReport(percent, note, tuple(evidence), reason, actor, effective_at)
        self.reports.append(report)
        self.percent = percent
        self.status = MilestoneStatus.IN_PROGRESS

    def submit(self, submitted_by: str, **attribution: Any) -> None:
        """Submit the progress for approval (the approval itself is requested elsewhere)."""
        if self.status == MilestoneStatus.PLANNED:
            raise InvalidTransitionError(
                f"Milestone {self.code} is still planned; report progress before submitting it."
            )
        if self.status not in (MilestoneStatus.IN_PROGRESS, MilestoneStatus.RETURNED):
            raise self._refuse("it can be submitted only while in progress or returned.")
        by = required_text("submitted_by", submitted_by, "Who submits")
        self._submitted(submitted_by=by, percent=self.percent, **attribution)

    @event("Submitted", topic="jejak.plan:Milestone.Submitted")
    def _submitted(
        self,
        submitted_by: str,
        percent: float,
        actor: str,
        capacity: str,
        effective_at: datetime,
        backdated: str = "",
    ) -> None:
        self.submitted_by = submitted_by
        self.status = MilestoneStatus.SUBMITTED

    def _require_submitted(self, doing: str) -> None:
        if self.status != MilestoneStatus.SUBMITTED:
            raise self._refuse(f"only a submitted milestone can be {doing}.")

    def mark_approved(self, **attribution: Any) -> None:
        """Record that the submitted progress was approved."""
        self._require_submitted("approved")
        self._approved(**attribution)

    @event("Approved", topic="jejak.plan:Milestone.Approved")
    def _approved(self, actor: str, capacity: str, effective_at: datetime) -> None:
        self.status = MilestoneStatus.APPROVED
        self.approved_percent = self.percent
        self.comment = ""

    def mark_returned(self, comment: str, **attribution: Any) -> None:
        """Record that the submitted progress was returned for revision, with a comment."""
        self._require_submitted("returned")
        comment = required_text("comment", comment, "The comment on a returned milestone")
        self._returned(comment=comment, **attribution)

    @event("Returned", topic="jejak.plan:Milestone.Returned")
    def _returned(self, comment: str, actor: str, capacity: str, effective_at: datetime) -> None:
        self.status = MilestoneStatus.RETURNED
        self.comment = comment

    def mark_done(self, **attribution: Any) -> None:
        """Close the milestone: it must be approved at 100%."""
        if self.status != MilestoneStatus.APPROVED:
            raise self._refuse("only an approved milestone can be marked done.")
        if self.percent < 100:
            raise InvalidTransitionError(
                f"Milestone {self.code} is at {self.percent:g}%; it can be marked done at 100%."
            )
        self._completed(**attribution)

    @event("Completed", topic="jejak.plan:Milestone.Completed")
    def _completed(self, actor: str, capacity: str, effective_at: datetime) -> None:
        self.status = MilestoneStatus.DONE

    def change_due_date(self, due_date: date, reason: str, **attribution: Any) -> None:
        """Move the deadline; the old and new dates and the reason are recorded."""
        if self.status == MilestoneStatus.DONE:
            raise self._refuse("its due date can no longer change.")
        if not isinstance(due_date, date) or isinstance(due_date, datetime):
            raise ValidationError("due_date", "The due date must be a calendar date.")
        if due_date == self.due_date:
            raise ValidationError("due_date", f"Milestone {self.code} is already due {due_date}.")
        reason = required_text("reason", reason, "The reason for moving the due date")
        self._due_date_changed(
            old_due_date=self.due_date, due_date=due_date, reason=reason, **attribution
        )

    class DueDateChanged(JejakAggregate.Event):
        """The due date moved (v2 names the dates as everywhere: ``due_date``)."""

        TOPIC = "jejak.plan:Milestone.DueDateChanged"
        class_version = 2
        old_due_date: date
        due_date: date
        reason: str

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """Version 1 named the dates ``old_due`` and ``new_due``."""
            state["old_due_date"] = state.pop("old_due", state.get("old_due_date"))
            state["due_date"] = state.pop("new_due", state.get("due_date"))

    @event(DueDateChanged)
    def _due_date_changed(
        self,
        old_due_date: date,
        due_date: date,
        reason: str,
        actor: str,
        capacity: str,
        effective_at: datetime,
    ) -> None:
        self.due_date_changes.append(DueDateChange(old_due_date, due_date, reason, actor))
        self.due_date = due_date

    def change_weight(self, weight: float, **attribution: Any) -> None:
        """Change how much the milestone counts in its program's progress."""
        self._weight_changed(old_weight=self.weight, weight=positive_weight(weight), **attribution)

    @event("WeightChanged", topic="jejak.plan:Milestone.WeightChanged")
    def _weight_changed(
        self, old_weight: float, weight: float, actor: str, capacity: str, effective_at: datetime
    ) -> None:
        self.weight = weight
