"""Bimtek stages: dates that hold, attendance of invited OPDs, deliverables that move in order."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest

from domain.bimtek import (
    BimtekApplication,
    BimtekSession,
    DeliverableAlreadyAssignedError,
    DeliverableNotFoundError,
    DeliverableStatus,
    DeliverableStatusError,
    NotInvitedError,
)
from domain.shared import Actor, AlreadyExistsError, ValidationError
from infra.store import EventStore

WIB = timezone(timedelta(hours=7))
SECRETARIAT = Actor("sekretariat-diskominfo", "staff")
INVITED = ["DINKES", "DISDIK", "BAPPEDA", "KEC-SIANTAR-MARIHAT"]
DRAFT = "draft-dinkes"


def create(app: BimtekApplication, stage: int = 1, **kw: object) -> uuid.UUID:
    """Stage 1 of the 2023 bimtek of Pematang Siantar (3-4 July)."""
    args: dict[str, object] = {
        "title": "Penyusunan Masterplan Smart City",
        "start_date": date(2023, 7, 3),
        "end_date": date(2023, 7, 4),
        "venue": "Ruang serbaguna Bappeda",
        "organiser_opd": "diskominfo",
        "invited_opds": INVITED,
        **kw,
    }
    session_id, _ = app.create_session(
        city_code="PSIANTAR",
        stage_number=stage,
        by=SECRETARIAT,
        **args,  # type: ignore[arg-type]
    )
    return session_id


def assign(app: BimtekApplication, session_id: uuid.UUID, **given: Any) -> int:
    """Dinkes owes its draft section of the master plan by 31 July (or as ``given``)."""
    deliverable = {"deliverable_id": DRAFT, "opd_code": "DINKES", "due_date": date(2023, 7, 31),
                   "title": "Draf bab kesehatan masterplan", **given}  # fmt: skip
    return app.assign_deliverable(session_id, **deliverable, by=SECRETARIAT)


def with_deliverable(app: BimtekApplication, due: date = date(2023, 7, 31)) -> uuid.UUID:
    """A stage where Dinkes owes its draft section of the master plan."""
    session_id = create(app)
    assign(app, session_id, due_date=due)
    return session_id


def submit(app: BimtekApplication, session_id: uuid.UUID, when: datetime) -> int:
    """Dinkes hands in its draft."""
    return app.submit_deliverable(
        session_id,
        deliverable_id=DRAFT,
        reference="surat/440/123",
        submitted_at=when,
        by=SECRETARIAT,
    )


def status(app: BimtekApplication, session_id: uuid.UUID) -> str:
    """The status of the Dinkes draft."""
    return app.get_session(session_id).deliverables[DRAFT].status


def test_stage_id_comes_from_city_and_stage_number(store: EventStore) -> None:
    app = store.app(BimtekApplication)
    session_id = create(app, stage=2)
    assert session_id == BimtekSession.create_id("psiantar", 2)
    session = app.get_session(session_id)
    assert (session.organiser_opd, session.invited_opds) == ("DISKOMINFO", tuple(INVITED))
    with pytest.raises(AlreadyExistsError):
        create(app, stage=2)


def test_stage_cannot_end_before_it_starts(store: EventStore) -> None:
    app = store.app(BimtekApplication)
    with pytest.raises(ValidationError):
        create(app, start_date=date(2023, 9, 24), end_date=date(2023, 9, 13))
    assert store.max_position() == 0
    create(app, start_date=date(2023, 9, 13), end_date=date(2023, 9, 13))
    assert store.max_position() == 1


def test_attendance_only_for_invited_opds_unless_recorded_as_extra(store: EventStore) -> None:
    app = store.app(BimtekApplication)
    session_id = create(app)
    with pytest.raises(NotInvitedError):
        app.record_attendance(
            session_id, opd_code="RSUD", present=True, asn_count=2, by=SECRETARIAT
        )
    assert "RSUD" not in app.get_session(session_id).attendance
    app.record_attendance(
        session_id, opd_code="rsud", present=True, asn_count=2, extra=True, by=SECRETARIAT
    )
    app.record_attendance(session_id, opd_code="DINKES", present=True, asn_count=3, by=SECRETARIAT)
    attendance = app.get_session(session_id).attendance
    assert attendance["RSUD"].extra is True
    assert attendance["DINKES"].extra is False


def test_corrected_attendance_wins_and_history_stays_in_events(store: EventStore) -> None:
    app = store.app(BimtekApplication)
    session_id = create(app)
    app.record_attendance(session_id, opd_code="DISDIK", present=False, asn_count=0, by=SECRETARIAT)
    position = app.record_attendance(
        session_id,
        opd_code="DISDIK",
        present=True,
        asn_count=2,
        names=["Sri", "Budi"],
        by=SECRETARIAT,
    )
    latest = app.get_session(session_id).attendance["DISDIK"]
    assert (latest.present, latest.asn_count, latest.names) == (True, 2, ("Sri", "Budi"))
    recorded = [e for e in app.events.get(session_id) if type(e).__name__ == "AttendanceRecorded"]
    assert [e.present for e in recorded] == [False, True]  # type: ignore[attr-defined]
    assert position == store.max_position()


def test_attendance_figures_must_agree(store: EventStore) -> None:
    app = store.app(BimtekApplication)
    session_id = create(app)
    contradictions: list[dict[str, object]] = [
        {"present": True, "asn_count": -1},
        {"present": True, "asn_count": 0},
        {"present": False, "asn_count": 2},
        {"present": True, "asn_count": 1, "names": ["Sri", "Budi"]},
    ]
    for figures in contradictions:
        with pytest.raises(ValidationError):
            app.record_attendance(
                session_id,
                opd_code="DINKES",
                by=SECRETARIAT,
                **figures,  # type: ignore[arg-type]
            )
    assert app.get_session(session_id).attendance == {}


def test_materials_are_kept_in_order(store: EventStore) -> None:
    app = store.app(BimtekApplication)
    session_id = create(app)
    app.add_material(session_id, title="Paparan Kominfo", reference="doc/1", by=SECRETARIAT)
    app.add_material(session_id, title="Template masterplan", reference="doc/2", by=SECRETARIAT)
    titles = [m.title for m in app.get_session(session_id).materials]
    assert titles == ["Paparan Kominfo", "Template masterplan"]


def test_deliverable_only_for_an_opd_of_the_stage_and_only_once(store: EventStore) -> None:
    app = store.app(BimtekApplication)
    session_id = with_deliverable(app)
    with pytest.raises(DeliverableAlreadyAssignedError):
        assign(app, session_id, opd_code="DISDIK", title="Lain")
    with pytest.raises(NotInvitedError):
        assign(app, session_id, deliverable_id="draft-rsud", opd_code="RSUD")
    assert list(app.get_session(session_id).deliverables) == [DRAFT]


def test_deliverable_cannot_be_due_before_the_stage_starts(store: EventStore) -> None:
    app = store.app(BimtekApplication)
    session_id = create(app)
    with pytest.raises(ValidationError):
        assign(app, session_id, due_date=date(2023, 7, 2))
    assert app.get_session(session_id).deliverables == {}


def test_unsubmitted_deliverable_cannot_be_accepted_or_returned(store: EventStore) -> None:
    app = store.app(BimtekApplication)
    session_id = with_deliverable(app)
    with pytest.raises(DeliverableStatusError):
        app.accept_deliverable(session_id, deliverable_id=DRAFT, by=SECRETARIAT)
    with pytest.raises(DeliverableStatusError):
        app.return_deliverable(session_id, deliverable_id=DRAFT, reason="x", by=SECRETARIAT)
    with pytest.raises(DeliverableNotFoundError):
        app.accept_deliverable(session_id, deliverable_id="nope", by=SECRETARIAT)
    assert status(app, session_id) == DeliverableStatus.OWED


def test_returned_deliverable_is_submitted_again_then_accepted(store: EventStore) -> None:
    app = store.app(BimtekApplication)
    session_id = with_deliverable(app)
    submit(app, session_id, datetime(2023, 7, 20, 10, tzinfo=WIB))
    with pytest.raises(DeliverableStatusError):
        submit(app, session_id, datetime(2023, 7, 21, 10, tzinfo=WIB))
    app.return_deliverable(
        session_id, deliverable_id=DRAFT, reason="Target tahunan belum ada", by=SECRETARIAT
    )
    assert status(app, session_id) == DeliverableStatus.RETURNED
    submit(app, session_id, datetime(2023, 7, 25, 10, tzinfo=WIB))
    app.accept_deliverable(session_id, deliverable_id=DRAFT, comment="Lengkap", by=SECRETARIAT)
    assert status(app, session_id) == DeliverableStatus.ACCEPTED
    with pytest.raises(DeliverableStatusError):
        submit(app, session_id, datetime(2023, 7, 26, 10, tzinfo=WIB))
    with pytest.raises(DeliverableStatusError):
        app.return_deliverable(session_id, deliverable_id=DRAFT, reason="x", by=SECRETARIAT)


def test_late_submission_is_detected_by_date(store: EventStore) -> None:
    app = store.app(BimtekApplication)
    on_time_id = with_deliverable(app, due=date(2023, 7, 31))
    submit(app, on_time_id, datetime(2023, 7, 31, 23, 59, tzinfo=WIB))
    assert app.get_session(on_time_id).deliverables[DRAFT].late is False
    late_id = create(app, stage=2)
    app.assign_deliverable(
        late_id,
        deliverable_id=DRAFT,
        opd_code="DINKES",
        title="Draf",
        due_date=date(2023, 7, 31),
        by=SECRETARIAT,
    )
    submit(app, late_id, datetime(2023, 8, 1, 8, tzinfo=WIB))
    assert app.get_session(late_id).deliverables[DRAFT].late is True


def test_changed_due_date_counts_for_later_submissions(store: EventStore) -> None:
    app = store.app(BimtekApplication)
    session_id = with_deliverable(app, due=date(2023, 7, 31))
    app.change_due_date(
        session_id,
        deliverable_id=DRAFT,
        due_date=date(2023, 8, 7),
        reason="Menunggu data BPS",
        by=SECRETARIAT,
    )
    assert app.get_session(session_id).overdue_deliverables(date(2023, 8, 1)) == []
    assert [
        d.deliverable_id for d in app.get_session(session_id).overdue_deliverables(date(2023, 8, 8))
    ] == [DRAFT]
    submit(app, session_id, datetime(2023, 8, 3, 9, tzinfo=WIB))
    deliverable = app.get_session(session_id).deliverables[DRAFT]
    assert (deliverable.due_date, deliverable.late) == (date(2023, 8, 7), False)


def test_due_date_of_accepted_deliverable_cannot_change(store: EventStore) -> None:
    app = store.app(BimtekApplication)
    session_id = with_deliverable(app)
    submit(app, session_id, datetime(2023, 7, 20, 10, tzinfo=WIB))
    app.accept_deliverable(session_id, deliverable_id=DRAFT, by=SECRETARIAT)
    with pytest.raises(DeliverableStatusError):
        app.change_due_date(
            session_id, deliverable_id=DRAFT, due_date=date(2023, 9, 1), reason="x", by=SECRETARIAT
        )
    assert app.get_session(session_id).deliverables[DRAFT].due_date == date(2023, 7, 31)


def test_submission_needs_a_time_zone(store: EventStore) -> None:
    app = store.app(BimtekApplication)
    session_id = with_deliverable(app)
    with pytest.raises(ValidationError):
        submit(app, session_id, datetime(2023, 7, 20, 10))
    assert status(app, session_id) == DeliverableStatus.OWED
