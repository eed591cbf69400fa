"""The plan's timeline (Gantt) as geometry for a server-rendered SVG: one lane per program,
its milestones marked at their due dates on an axis of years."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from api.console.progress import Program
from projections.views.milestones.queries import MilestoneRow

#: Units of the SVG's view box (it scales to the page's width).
LABEL_WIDTH, YEAR_WIDTH, LANE_HEIGHT, AXIS_HEIGHT = 64, 72, 22, 24


@dataclass(frozen=True)
class Mark:
    """A milestone at its due date."""

    x: float
    milestone: MilestoneRow


@dataclass(frozen=True)
class Lane:
    """A program: a bar from its first milestone's year to its last due date, and its marks."""

    y: float
    code: str
    name: str
    start: float
    end: float
    marks: tuple[Mark, ...]


@dataclass(frozen=True)
class Chart:
    """Everything the SVG draws, in view box units."""

    width: float
    height: float
    years: tuple[tuple[int, float], ...]
    lanes: tuple[Lane, ...]

    @property
    def by_year(self) -> list[tuple[int, list[MilestoneRow]]]:
        """The milestones by due year (the chart's table alternative), by due date."""
        rows = sorted((m.milestone for lane in self.lanes for m in lane.marks), key=_order)
        years = sorted({m.due_date.year for m in rows})
        return [(y, [m for m in rows if m.due_date.year == y]) for y in years]


def _order(milestone: MilestoneRow) -> tuple[date, str, str]:
    return milestone.due_date, milestone.program_code, milestone.code


def x_of(day: date, first_year: int) -> float:
    """Where a day falls on the axis."""
    into = (day - date(day.year, 1, 1)).days / (366 if day.year % 4 == 0 else 365)
    return LABEL_WIDTH + (day.year - first_year + into) * YEAR_WIDTH


def chart(programs: list[Program]) -> Chart | None:
    """The timeline of the programs' milestones; None when no program has one."""
    dated = [p for p in programs if p.milestones]
    if not dated:
        return None
    days = [m.due_date for p in dated for m in p.milestones]
    first, last = min(days).year, max(days).year
    lanes = []
    for i, p in enumerate(dated):
        own = sorted(p.milestones, key=_order)
        start = date(own[0].due_date.year, 1, 1)
        lanes.append(
            Lane(
                y=AXIS_HEIGHT + i * LANE_HEIGHT,
                code=p.row.code,
                name=p.row.name,
                start=x_of(start, first),
                end=x_of(own[-1].due_date, first),
                marks=tuple(Mark(x_of(m.due_date, first), m) for m in own),
            )
        )
    years = tuple((y, LABEL_WIDTH + (y - first) * YEAR_WIDTH) for y in range(first, last + 1))
    width = LABEL_WIDTH + (last - first + 1) * YEAR_WIDTH + 8
    return Chart(width, AXIS_HEIGHT + len(lanes) * LANE_HEIGHT + 4, years, tuple(lanes))
