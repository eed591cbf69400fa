"""Default approval routes: who decides each kind of subject, and which steps are guarded."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.approvals import ladder, rules
from domain.approvals.ladder import NoDefaultRouteError, default_route
from domain.approvals.values import SubjectKind


def test_milestone_report_goes_to_bappeda_then_diskominfo() -> None:
    route = default_route("milestone-report")
    assert [(s.opd_codes, s.sla_working_days) for s in route] == [
        (("BAPPEDA",), 5),
        (("DISKOMINFO",), 3),
    ]
    assert not any(s.budget or s.strategic for s in route)


def test_budgeted_program_makes_the_bappeda_step_a_budget_step() -> None:
    route = default_route("milestone-report", has_budget=True)
    assert [s.budget for s in route] == [True, False]


def test_quick_win_makes_every_step_strategic() -> None:
    route = default_route("milestone-report", quick_win=True)
    assert all(s.strategic for s in route)


def test_plan_revision_needs_bappeda_and_bpkpd_then_setda() -> None:
    route = default_route("plan-revision")
    assert route[0].opd_codes == ("BAPPEDA", "BPKPD")
    assert route[0].needed == 2
    assert route[1].opd_codes == ("SETDA",)
    assert route[1].strategic


@pytest.mark.parametrize("kind", ["deliverable", "commitment-closure"])
def test_deliverables_and_commitments_go_to_diskominfo(kind: str) -> None:
    assert [s.opd_codes for s in default_route(kind)] == [("DISKOMINFO",)]


@pytest.mark.parametrize(
    "kind", ["milestone-report", "deliverable", "plan-revision", "commitment-closure"]
)
def test_every_default_route_is_valid(kind: str) -> None:
    assert rules.route_refusal(default_route(kind, has_budget=True, quick_win=True)) is None


def test_unknown_kind_has_no_default_route() -> None:
    with pytest.raises(NoDefaultRouteError):
        default_route("meeting")


def test_the_readme_table_of_who_approves_what_is_the_one_the_routes_give() -> None:
    readme = (Path(__file__).parents[3] / "README.md").read_text(encoding="utf-8")
    start, end = readme.index(ladder.START), readme.index(ladder.END)
    assert readme[start : end + len(ladder.END)] == ladder.table()


def test_the_table_covers_every_kind_of_subject_that_can_be_approved() -> None:
    assert {kind for kind, *_ in ladder.CASES} == set(SubjectKind)


def test_the_table_says_which_steps_are_strategic_or_budget() -> None:
    revision = [r for r in ladder.rows() if "`plan-revision`" in r]
    assert revision[0].endswith("| BAPPEDA + BPKPD | in parallel, all 2 | yes | yes | 5 |")
