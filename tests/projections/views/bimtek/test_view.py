"""The bimtek read model: attendance matrix, who missed a stage, deliverables and lateness."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from domain.bimtek import BimtekApplication
from domain.calendar import JAKARTA
from domain.commitments import Commitment
from domain.shared import Actor
from infra.scenario import CITY_CODE, ScenarioApps, load_reference_scenario
from infra.scenario.data import PAPER_RECORDS
from infra.store import EventStore
from projections.engine.runner import ProjectionRunner
from projections.views.bimtek.queries import Cell, attendance_matrix, deliverables, missed
from projections.views.bimtek.view import BimtekView
from projections.views.commitments.queries import commitment_status
from projections.views.commitments.view import CommitmentsView
from projections.views.timeline.view import TimelineView, recent

STAFF = Actor("199001012015011001", "staff", datetime(2023, 7, 1, 9, tzinfo=UTC))
INVITED = ["DINKES", "DISDIK", "DISHUB"]


#: The view the ``runner`` fixture runs.
VIEWS = [BimtekView()]


def stage(bimtek: BimtekApplication, number: int, city: str = "SIANTAR") -> uuid.UUID:
    """Plan a stage of ``city`` in 2023, with three OPDs invited."""
    session_id, _ = bimtek.create_session(
        city_code=city, stage_number=number, title=f"Tahap {number}",
        start_date=date(2023, 7, number), end_date=date(2023, 7, number + 1),
        venue="Bappeda", organiser_opd="DISKOMINFO", invited_opds=INVITED, by=STAFF,
    )  # fmt: skip
    return session_id


def came(
    bimtek: BimtekApplication, session: uuid.UUID, opd: str, asn: int, extra: bool = False
) -> None:
    """Note an OPD's attendance (0 ASN: absent)."""
    bimtek.record_attendance(
        session, opd_code=opd, present=asn > 0, asn_count=asn, extra=extra, by=STAFF
    )


def test_attendance_matrix_shows_each_opd_at_each_stage(
    bimtek: BimtekApplication, runner: ProjectionRunner
) -> None:
    first, third = stage(bimtek, 1), stage(bimtek, 3)
    stage(bimtek, 1, city="MEDAN")
    came(bimtek, first, "DINKES", 3)
    came(bimtek, first, "DISDIK", 0)
    came(bimtek, third, "DINKES", 5)
    came(bimtek, third, "BAPPEDA", 2, extra=True)
    came(bimtek, third, "DINKES", 4)  # a correction: the latest record wins
    runner.catch_up()
    matrix = attendance_matrix(runner.viewstore, "siantar")
    assert [(s.number, s.start_date, s.end_date) for s in matrix.stages] == [
        (1, date(2023, 7, 1), date(2023, 7, 2)),
        (3, date(2023, 7, 3), date(2023, 7, 4)),
    ]
    rows = {r.opd_code: r.cells for r in matrix.rows}
    assert list(rows) == ["BAPPEDA", "DINKES", "DISDIK", "DISHUB"]
    assert rows["DINKES"] == (Cell("present", 3), Cell("present", 4))
    assert rows["DISDIK"] == (Cell("absent", 0), Cell("not-recorded", 0))
    assert rows["BAPPEDA"] == (Cell("not-invited", 0), Cell("present", 2))
    assert len(attendance_matrix(runner.viewstore).stages) == 3


def test_missed_lists_invited_opds_absent_or_not_recorded(
    bimtek: BimtekApplication, runner: ProjectionRunner
) -> None:
    third = stage(bimtek, 3)
    came(bimtek, third, "DINKES", 5)
    came(bimtek, third, "DISDIK", 0)
    came(bimtek, stage(bimtek, 2), "DISHUB", 0)
    runner.catch_up()
    assert [(m.opd_code, m.status) for m in missed(runner.viewstore, 3)] == [
        ("DISDIK", "absent"),
        ("DISHUB", "not-recorded"),
    ]


def test_deliverables_are_late_when_submitted_late_or_owed_past_due(
    bimtek: BimtekApplication, runner: ProjectionRunner
) -> None:
    session = stage(bimtek, 1)
    for opd, key in (("DINKES", "D-1"), ("DISDIK", "D-2"), ("DISHUB", "D-3")):
        bimtek.assign_deliverable(
            session, deliverable_id=key, opd_code=opd, title=f"Draft of {opd}",
            due_date=date(2023, 7, 14), by=STAFF,
        )  # fmt: skip
    late = datetime(2023, 7, 17, 10, tzinfo=JAKARTA)
    bimtek.submit_deliverable(
        session, deliverable_id="D-1", reference="d1.docx", submitted_at=late, by=STAFF
    )
    on_time = datetime(2023, 7, 13, 10, tzinfo=JAKARTA)
    bimtek.submit_deliverable(
        session, deliverable_id="D-2", reference="d2.docx", submitted_at=on_time, by=STAFF
    )
    bimtek.accept_deliverable(session, deliverable_id="D-2", by=STAFF)
    bimtek.return_deliverable(session, deliverable_id="D-1", reason="Missing targets", by=STAFF)
    runner.catch_up()
    before_due = datetime(2023, 7, 14, 12, tzinfo=JAKARTA)
    after_due = datetime(2023, 7, 20, 12, tzinfo=JAKARTA)
    view = runner.viewstore
    assert [d.deliverable_id for d in deliverables(view, status="late", as_of=before_due)] == [
        "D-1"
    ]
    assert [d.deliverable_id for d in deliverables(view, status="late", as_of=after_due)] == [
        "D-1",
        "D-3",
    ]
    assert [d.deliverable_id for d in deliverables(view, status="accepted")] == ["D-2"]
    (returned,) = deliverables(view, status="returned")
    assert (returned.note, returned.submitted_late, returned.submitted_at) == (
        "Missing targets",
        True,
        late,
    )
    assert [d.status for d in deliverables(view, opd="dishub")] == ["owed"]


@pytest.mark.parametrize("durable_store", ["sqlite"], indirect=True)
def test_reference_scenario_reads_as_the_city_recorded_it(durable_store: EventStore) -> None:
    load_reference_scenario(ScenarioApps.of(durable_store.app))
    views = [BimtekView(), CommitmentsView(), TimelineView()]
    runner = ProjectionRunner(durable_store, views, batch_size=500)
    runner.prepare()
    runner.catch_up()
    try:
        matrix = attendance_matrix(runner.viewstore, CITY_CODE)
        assert [(s.number, s.start_date) for s in matrix.stages] == [
            (1, date(2023, 7, 3)), (2, date(2023, 8, 9)),
            (3, date(2023, 9, 13)), (4, date(2023, 10, 18)),
        ]  # fmt: skip
        assert len(matrix.rows) == 35
        assert all(len(row.cells) == 4 for row in matrix.rows)
        rows = {row.opd_code: row.cells for row in matrix.rows}
        assert rows["DINKES"] == tuple(Cell("present", n) for n in (3, 4, 5, 2))
        assert rows["RSUD"][1] == Cell("absent", 0)
        assert [m.opd_code for m in missed(runner.viewstore, 3)] == [
            "KEC-SIANTAR-MARIMBUN",
            "KEC-SIANTAR-SITALASARI",
        ]
        commitment_id = Commitment.create_id(CITY_CODE, "komitmen-program-kota-cerdas-2023")
        status = commitment_status(runner.viewstore, commitment_id)
        assert [(s.nip, s.opd_code) for s in status.missing] == [("198201212006011004", "DISPAR")]
        assert len(status.required) == 36
        assert not status.complete
        said = [e.sentence for e in recent(runner.viewstore, limit=5000)]
        absent = [s for s in said if s.startswith("Kecamatan Siantar Marimbun was absent")]
        assert [s.split(" (back-dated: ")[0] for s in absent] == [
            "Kecamatan Siantar Marimbun was absent from bimtek stage 3"
        ]
        assert PAPER_RECORDS in absent[0]  # entered in 2023's words, from the paper list
    finally:
        runner.stop()
