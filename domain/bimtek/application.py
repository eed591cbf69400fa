"""The bimtek application service: stages, attendance, materials and deliverables."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

from domain.bimtek.session import BimtekSession
from domain.shared import Actor, JejakApplication


class BimtekApplication(JejakApplication):
    """Records bimtek stages and what each OPD did and owes; commands return log positions."""

    name = "jejak.bimtek"

    def create_session(
        self,
        *,
        city_code: str,
        stage_number: int,
        title: str,
        start_date: date,
        end_date: date,
        venue: str,
        organiser_opd: str,
        invited_opds: Sequence[str],
        by: Actor,
    ) -> tuple[uuid.UUID, int]:
        """Create a stage; returns its id and the log position."""
        session = BimtekSession.create(
            city_code=city_code,
            stage_number=stage_number,
            title=title,
            start_date=start_date,
            end_date=end_date,
            venue=venue,
            organiser_opd=organiser_opd,
            invited_opds=list(invited_opds),
            **by.attribution(),
        )
        position = self.save_new(session, what=f"Stage {stage_number} of {city_code}")
        return session.id, position

    def record_attendance(
        self,
        session_id: uuid.UUID,
        *,
        opd_code: str,
        present: bool,
        asn_count: int,
        names: Sequence[str] = (),
        extra: bool = False,
        by: Actor,
        expected_version: int | None = None,
    ) -> int:
        """Record or correct an OPD's attendance; ``extra`` admits an OPD not invited."""
        session = self.get_session(session_id, expected_version)
        session.record_attendance(
            opd_code, present, asn_count, list(names), extra, **by.attribution()
        )
        return self.save_command(session)

    def add_material(self, session_id: uuid.UUID, *, title: str, reference: str, by: Actor) -> int:
        """Record a material of the stage."""
        session = self.get_session(session_id)
        return self.run(session, session.add_material, title, reference, **by.attribution())

    def assign_deliverable(
        self,
        session_id: uuid.UUID,
        *,
        deliverable_id: str,
        opd_code: str,
        title: str,
        due_date: date,
        by: Actor,
        expected_version: int | None = None,
    ) -> int:
        """Record that an OPD owes a deliverable after the stage."""
        session = self.get_session(session_id, expected_version)
        session.assign_deliverable(deliverable_id, opd_code, title, due_date, **by.attribution())
        return self.save_command(session)

    def submit_deliverable(
        self,
        session_id: uuid.UUID,
        *,
        deliverable_id: str,
        reference: str,
        submitted_at: datetime,
        by: Actor,
        expected_version: int | None = None,
    ) -> int:
        """Record a submission; the time of submission is its effective time."""
        session = self.get_session(session_id, expected_version)
        attribution = {**by.attribution(), "effective_at": submitted_at}
        session.submit_deliverable(deliverable_id, reference, submitted_at, **attribution)
        return self.save_command(session)

    def accept_deliverable(
        self,
        session_id: uuid.UUID,
        *,
        deliverable_id: str,
        comment: str = "",
        by: Actor,
        expected_version: int | None = None,
    ) -> int:
        """Accept a submitted deliverable."""
        session = self.get_session(session_id, expected_version)
        return self.run(
            session, session.accept_deliverable, deliverable_id, comment, **by.attribution()
        )

    def return_deliverable(
        self,
        session_id: uuid.UUID,
        *,
        deliverable_id: str,
        reason: str,
        by: Actor,
        expected_version: int | None = None,
    ) -> int:
        """Return a submitted deliverable for revision."""
        session = self.get_session(session_id, expected_version)
        return self.run(
            session, session.return_deliverable, deliverable_id, reason, **by.attribution()
        )

    def change_due_date(
        self, session_id: uuid.UUID, *, deliverable_id: str, due_date: date, reason: str, by: Actor
    ) -> int:
        """Move the due date of a deliverable not yet accepted."""
        session = self.get_session(session_id)
        return self.run(
            session, session.change_due_date, deliverable_id, due_date, reason, **by.attribution()
        )

    def get_session(
        self, session_id: uuid.UUID, expected_version: int | None = None
    ) -> BimtekSession:
        """The stage with this id (at ``expected_version``, when one is given)."""
        return self.get(session_id, BimtekSession, "The bimtek stage", expected_version)
