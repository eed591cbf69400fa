"""What the bimtek read model answers: the attendance matrix, who missed, deliverables."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from domain.calendar import local_day
from projections.engine.viewstore import ViewStore
from projections.views.bimtek.view import (
    ABSENT,
    DELIVERABLES,
    NOT_INVITED,
    NOT_RECORDED,
    BimtekView,
)

#: What ``deliverables(status=...)`` accepts: a stored status, or ``late``.
DELIVERABLE_FILTERS = frozenset({"owed", "submitted", "accepted", "returned", "late"})


@dataclass(frozen=True)
class Stage:
    """One bimtek stage: a column of the attendance matrix."""

    session_id: str
    city_code: str
    number: int
    title: str
    start_date: date
    end_date: date
    venue: str
    invited: tuple[str, ...]


@dataclass(frozen=True)
class Cell:
    """One OPD at one stage: present, absent, not-recorded or not-invited, and how many ASN."""

    status: str
    asn_count: int


@dataclass(frozen=True)
class MatrixRow:
    """One OPD across the stages; ``cells`` follow the order of the matrix's stages."""

    opd_code: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class AttendanceMatrix:
    """OPDs (rows, by code) by stages (columns, by city and number)."""

    stages: tuple[Stage, ...]
    rows: tuple[MatrixRow, ...]


@dataclass(frozen=True)
class Missed:
    """An invited OPD that was absent from a stage, or whose attendance was never noted."""

    city_code: str
    stage_number: int
    opd_code: str
    status: str


@dataclass(frozen=True)
class DeliverableItem:
    """A deliverable an OPD owes after a stage; ``late`` as of the day asked about."""

    city_code: str
    stage_number: int
    deliverable_id: str
    session_id: str
    opd_code: str
    title: str
    due_date: date
    status: str
    reference: str | None
    submitted_at: datetime | None
    submitted_late: bool
    note: str | None
    late: bool


def stages(viewstore: ViewStore, city_code: str | None = None) -> list[Stage]:
    """The stages, by city and number."""
    table = viewstore.table(BimtekView.name, "bimtek_stages")
    rows = viewstore.query(
        "SELECT session_id, city_code, stage_number, title, start_date, end_date, venue, "
        f"invited FROM {table} WHERE {_only('city_code', city_code)} "
        "ORDER BY city_code, stage_number",
        _param(city_code),
    )
    return [
        Stage(s, c, n, t, date.fromisoformat(a), date.fromisoformat(b), v, tuple(json.loads(i)))
        for s, c, n, t, a, b, v, i in rows
    ]


def _only(column: str, code: str | None) -> str:
    """A condition on ``column`` when a code is given, else one always true."""
    return f"{column} = ?" if code is not None else "1 = 1"


def _param(code: str | None) -> tuple[str, ...]:
    return (code.strip().upper(),) if code is not None else ()


def attendance_matrix(viewstore: ViewStore, city_code: str | None = None) -> AttendanceMatrix:
    """Every OPD invited to (or present at) a stage, with its attendance at each stage."""
    columns = stages(viewstore, city_code)
    table = viewstore.table(BimtekView.name, "bimtek_attendance")
    found: dict[tuple[str, str], Cell] = {
        (str(s), str(o)): Cell(str(status), int(n))
        for s, o, status, n in viewstore.query(
            f"SELECT session_id, opd_code, status, asn_count FROM {table}"
        )
    }
    wanted = {s.session_id for s in columns}
    opds = sorted({o for s, o in found if s in wanted})
    absent = Cell(NOT_INVITED, 0)
    rows = [
        MatrixRow(o, tuple(found.get((s.session_id, o), absent) for s in columns)) for o in opds
    ]
    return AttendanceMatrix(tuple(columns), tuple(rows))


def missed(viewstore: ViewStore, stage_number: int, city_code: str | None = None) -> list[Missed]:
    """The invited OPDs absent from a stage or whose attendance was never noted, by code."""
    stage_table = viewstore.table(BimtekView.name, "bimtek_stages")
    table = viewstore.table(BimtekView.name, "bimtek_attendance")
    rows = viewstore.query(
        f"SELECT s.city_code, s.stage_number, a.opd_code, a.status FROM {table} a "
        f"JOIN {stage_table} s ON s.session_id = a.session_id "
        f"WHERE s.stage_number = ? AND {_only('s.city_code', city_code)} AND a.invited = 1 "
        "AND a.status IN (?, ?) ORDER BY s.city_code, a.opd_code",
        (stage_number, *_param(city_code), ABSENT, NOT_RECORDED),
    )
    return [Missed(str(c), int(n), str(o), str(s)) for c, n, o, s in rows]


def deliverables(
    viewstore: ViewStore,
    status: str | None = None,
    opd: str | None = None,
    as_of: datetime | None = None,
) -> list[DeliverableItem]:
    """Deliverables by city, stage and id; ``status="late"``: submitted late or overdue.

    Without ``as_of`` only a late submission makes a deliverable late.
    """
    if status is not None and status not in DELIVERABLE_FILTERS:
        raise ValueError(f"Unknown deliverable status {status!r}.")
    table = viewstore.table(BimtekView.name, "bimtek_deliverables")
    rows = viewstore.query(
        f"SELECT {DELIVERABLES.column_list} FROM {table} "
        f"WHERE {_only('opd_code', opd)} ORDER BY city_code, stage_number, deliverable_id",
        _param(opd),
    )
    today = local_day(as_of) if as_of is not None else None
    items = [_deliverable(row, today) for row in rows]
    if status == "late":
        return [d for d in items if d.late]
    return [d for d in items if status is None or d.status == status]


def _deliverable(row: tuple[Any, ...], today: date | None) -> DeliverableItem:
    v = dict(zip(DELIVERABLES.names, row, strict=True))
    due = date.fromisoformat(v["due_date"])
    submitted_at = datetime.fromisoformat(v["submitted_at"]) if v["submitted_at"] else None
    waiting = v["status"] in ("owed", "returned")
    overdue = today is not None and waiting and today > due
    return DeliverableItem(
        city_code=v["city_code"],
        stage_number=int(v["stage_number"]),
        deliverable_id=v["deliverable_id"],
        session_id=v["session_id"],
        opd_code=v["opd_code"],
        title=v["title"],
        due_date=due,
        status=v["status"],
        reference=v["reference"],
        submitted_at=submitted_at,
        submitted_late=bool(v["late"]),
        note=v["note"],
        late=bool(v["late"]) or overdue,
    )
