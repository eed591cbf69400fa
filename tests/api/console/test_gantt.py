"""The plan's timeline geometry: lanes per program, marks at due dates, years on the axis."""

from __future__ import annotations

from datetime import date

from api.console.gantt import LABEL_WIDTH, YEAR_WIDTH, chart, x_of
from api.console.progress import Program
from projections.views.milestones.queries import MilestoneRow
from projections.views.plan_progress.queries import ProgramProgress


def milestone(code: str, due: date) -> MilestoneRow:
    """A milestone of program P-1 due on ``due``."""
    return MilestoneRow(
        code, code, f"Milestone {code}", "DISKOMINFO", 1.0, due, "planned", 0.0,
        None, None, None, None, None, None, None, "p1", "P-1", "Program", "governance", False,
        "plan",
    )  # fmt: skip


def program(code: str, *milestones: MilestoneRow) -> Program:
    """A program with its milestones."""
    row = ProgramProgress(
        "plan", code, code, f"Program {code}", "governance", "DISKOMINFO", False, 1.0, 0.0,
        0.0, len(milestones), {}, True,
    )  # fmt: skip
    return Program(row, 0.0, milestones)


def test_marks_fall_at_their_due_dates_on_an_axis_of_the_years_spanned() -> None:
    first = program("A", milestone("A2", date(2025, 7, 2)), milestone("A1", date(2024, 1, 1)))
    found = chart([first, program("EMPTY"), program("B", milestone("B1", date(2026, 12, 31)))])
    assert found is not None
    assert [y for y, _ in found.years] == [2024, 2025, 2026]
    assert [lane.code for lane in found.lanes] == ["A", "B"], "a program without milestones"
    lane = found.lanes[0]
    assert [m.milestone.code for m in lane.marks] == ["A1", "A2"]
    assert lane.marks[0].x == LABEL_WIDTH == lane.start
    assert lane.marks[1].x == lane.end == x_of(date(2025, 7, 2), 2024)
    assert LABEL_WIDTH + YEAR_WIDTH * 1.49 < lane.end < LABEL_WIDTH + YEAR_WIDTH * 1.51, "mid-2025"
    assert [y for y, rows in found.by_year] == [2024, 2025, 2026]


def test_no_milestone_draws_no_chart() -> None:
    assert chart([program("EMPTY")]) is None
