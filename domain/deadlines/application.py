"""The deadlines application service: follow a subject's due date and record what was done."""

from __future__ import annotations

import uuid
from datetime import date

from domain.deadlines.track import DeadlineTrack
from domain.shared import SYSTEM, Actor, JejakApplication, NotFoundError


class DeadlinesApplication(JejakApplication):
    """Reminders, overdue notes and escalations of dated obligations, each recorded once."""

    name = "jejak.deadlines"

    def track(
        self,
        kind: str,
        subject_id: str,
        owner_opd: str,
        title: str,
        due_date: date,
        by: Actor = SYSTEM,
    ) -> tuple[uuid.UUID, int | None]:
        """Start following a subject's deadline; an existing track is kept (position None)."""
        track_id = DeadlineTrack.create_id(kind, subject_id)
        if self.find(track_id) is not None:
            return track_id, None
        track = DeadlineTrack.start(
            kind=kind,
            subject_id=subject_id,
            owner_opd=owner_opd,
            title=title,
            due_date=due_date,
            **by.attribution(),
        )
        return track.id, self.save_new(track, what=f"The deadline of {kind} {subject_id}")

    def find(self, track_id: uuid.UUID) -> DeadlineTrack | None:
        """The track, or None when the subject's deadline was never followed."""
        try:
            return self.get_track(track_id)
        except NotFoundError:
            return None

    def get_track(self, track_id: uuid.UUID) -> DeadlineTrack:
        """The track, or ``NotFoundError``."""
        return self.get(track_id, DeadlineTrack, "The deadline")

    def send_reminder(
        self, track_id: uuid.UUID, label: str, due_date: date, by: Actor = SYSTEM
    ) -> int | None:
        """Note a reminder; None when it was already noted (nothing recorded)."""
        track = self.get_track(track_id)
        return self.run_once(track, track.send_reminder, label, due_date, **by.attribution())

    def record_overdue(self, track_id: uuid.UUID, due_date: date, by: Actor = SYSTEM) -> int | None:
        """Note that the due date passed; None when already noted."""
        track = self.get_track(track_id)
        return self.run_once(track, track.record_overdue, due_date, **by.attribution())

    def escalate(
        self, track_id: uuid.UUID, level: int, due_date: date, by: Actor = SYSTEM
    ) -> int | None:
        """Escalate a missed due date; None when already escalated to that level."""
        track = self.get_track(track_id)
        return self.run_once(track, track.escalate, level, due_date, **by.attribution())

    def move_due_date(
        self, track_id: uuid.UUID, new_due_date: date, by: Actor = SYSTEM
    ) -> int | None:
        """Follow a new due date; None when it is already the one followed."""
        track = self.get_track(track_id)
        return self.run_once(track, track.move_due_date, new_due_date, **by.attribution())

    def close_track(self, track_id: uuid.UUID, reason: str, by: Actor = SYSTEM) -> int | None:
        """Stop following the deadline; None when already closed."""
        track = self.get_track(track_id)
        return self.run_once(track, track.close, reason, **by.attribution())

    def reopen(
        self, track_id: uuid.UUID, due_date: date, reason: str, key: int, by: Actor = SYSTEM
    ) -> int | None:
        """Follow the deadline afresh from ``due_date``; None when reopening ``key`` is recorded."""
        track = self.get_track(track_id)
        return self.run_once(track, track.reopen, due_date, reason, key, **by.attribution())
