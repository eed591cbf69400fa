"""Progress of the plan by aspect, program and owner OPD, weighed in SQL from the stored rows.

A program's progress is its milestones' approved percent weighted by milestone weight (0
without milestones); an aspect's or an OPD's is its programs' progress weighted by program
weight. Quick wins are rolled up apart as well (``quick_win_progress``, None when there are
none). ``reported_progress`` is the same roll-up over the latest reports, approved or still
awaiting a decision (a returned report counts as the percent approved before it): shown
beside the approved progress, never mixed into it. Milestone counts by status add up the
milestones of the programs counted. ``published_only`` keeps the plans the mayor approved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.plan import MilestoneStatus
from projections.engine.viewstore import ViewStore
from projections.views.plan_progress.view import STATUSES, PlanProgressView


@dataclass(frozen=True)
class ProgramProgress:
    """One program: its weight, weighted progress (percent) and milestones by status."""

    plan_id: str
    program_id: str
    code: str
    name: str
    aspect: str
    owner_opd: str
    quick_win: bool
    weight: float
    progress: float
    reported_progress: float
    milestones: int
    by_status: dict[str, int]
    published: bool


@dataclass(frozen=True)
class Rollup:
    """An aspect or an owner OPD: programs weighed together, quick wins also apart."""

    plan_id: str
    key: str
    label_en: str
    label_id: str
    progress: float
    reported_progress: float
    quick_win_progress: float | None
    programs: int
    quick_wins: int
    milestones: int
    by_status: dict[str, int]


def _status_sums(column: str) -> str:
    return ", ".join(
        f"SUM(CASE WHEN {column} = '{s}' THEN 1 ELSE 0 END) AS s{i}" for i, s in enumerate(STATUSES)
    )


#: The percent a milestone's latest report stands for: a returned one counts for nothing new.
_REPORTED = (
    f"CASE WHEN m.status = '{MilestoneStatus.RETURNED}' THEN m.approved_percent ELSE m.percent END"
)


def _plans_join(tables: dict[str, str], alias: str, published_only: bool) -> str:
    """The join to the plans: only the published ones, or every plan."""
    if published_only:
        return (
            f"JOIN {tables['plan_plans']} pl ON pl.plan_id = {alias}.plan_id AND pl.published = 1 "
        )
    return f"LEFT JOIN {tables['plan_plans']} pl ON pl.plan_id = {alias}.plan_id "


def _program_sql(tables: dict[str, str], where: str, published_only: bool = False) -> str:
    """One row per program with its weighted progress and milestone counts."""
    plans = _plans_join(tables, "p", published_only)
    return (
        "SELECT p.plan_id, p.program_id, p.code, p.name, p.aspect, p.owner_opd, p.quick_win, "
        "p.weight, COALESCE(SUM(m.weight * m.approved_percent) / SUM(m.weight), 0) AS progress, "
        f"COALESCE(SUM(m.weight * {_REPORTED}) / SUM(m.weight), 0) AS reported, "
        f"COUNT(m.milestone_id) AS n, {_status_sums('m.status')}, "
        "COALESCE(MAX(pl.published), 0) AS published "
        f"FROM {tables['plan_programs']} p {plans}"
        f"LEFT JOIN {tables['plan_milestones']} m "
        f"ON m.program_id = p.program_id {where} "
        "GROUP BY p.plan_id, p.program_id, p.code, p.name, p.aspect, p.owner_opd, "
        "p.quick_win, p.weight"
    )


def _rollup_columns() -> str:
    sums = ", ".join(f"COALESCE(SUM(p.s{i}), 0)" for i in range(len(STATUSES)))
    return (
        "COALESCE(SUM(p.weight * p.progress) / SUM(p.weight), 0), "
        "COALESCE(SUM(p.weight * p.reported) / SUM(p.weight), 0), "
        "SUM(CASE WHEN p.quick_win = 1 THEN p.weight * p.progress END) "
        "/ SUM(CASE WHEN p.quick_win = 1 THEN p.weight END), "
        "COUNT(p.program_id), COALESCE(SUM(p.quick_win), 0), COALESCE(SUM(p.n), 0), "
        f"{sums}"
    )


def _tables(viewstore: ViewStore) -> dict[str, str]:
    return viewstore.tables(PlanProgressView.name, PlanProgressView.table_names())


def _counts(row: tuple[Any, ...]) -> dict[str, int]:
    return {status: int(n or 0) for status, n in zip(STATUSES, row, strict=True)}


def _rollup(row: tuple[Any, ...]) -> Rollup:
    plan_id, key, label_en, label_id, progress, reported, quick, programs, quick_wins, n = row[:10]
    return Rollup(
        plan_id=str(plan_id),
        key=str(key),
        label_en=str(label_en),
        label_id=str(label_id),
        progress=float(progress),
        reported_progress=float(reported),
        quick_win_progress=None if quick is None else float(quick),
        programs=int(programs),
        quick_wins=int(quick_wins),
        milestones=int(n),
        by_status=_counts(row[10:]),
    )


def aspects(
    viewstore: ViewStore, plan_id: str | None = None, *, published_only: bool = False
) -> list[Rollup]:
    """Every approved aspect of one plan (or all plans), in the plan's order of aspects."""
    tables = _tables(viewstore)
    # The plan filter goes into the programs' rollup too, so other plans' rows are not read.
    inner, where = ("WHERE p.plan_id = ?", "AND a.plan_id = ?") if plan_id else ("", "")
    params = (plan_id, plan_id) if plan_id else ()
    plans = _plans_join(tables, "a", published_only)
    rows = viewstore.query(
        f"SELECT a.plan_id, a.aspect_id, a.label_en, a.label_id, {_rollup_columns()} "
        f"FROM {tables['plan_aspects']} a {plans}"
        f"LEFT JOIN ({_program_sql(tables, inner)}) p "
        f"ON p.plan_id = a.plan_id AND p.aspect = a.aspect_id WHERE a.approved = 1 {where} "
        "GROUP BY a.plan_id, a.aspect_id, a.label_en, a.label_id, a.ordinal "
        "ORDER BY a.plan_id, a.ordinal, a.aspect_id",
        params,
    )
    return [_rollup(r) for r in rows]


def programs(
    viewstore: ViewStore,
    aspect: str | None = None,
    quick_win: bool | None = None,
    owner: str | None = None,
    plan_id: str | None = None,
    *,
    published_only: bool = False,
) -> list[ProgramProgress]:
    """Programs with their progress, filtered by aspect, quick-win flag and owner OPD."""
    filters: dict[str, str | int | None] = {
        "p.aspect": aspect,
        "p.owner_opd": owner,
        "p.plan_id": plan_id,
    }
    if quick_win is not None:
        filters["p.quick_win"] = int(quick_win)
    chosen = {column: value for column, value in filters.items() if value is not None}
    where = " ".join(f"AND {column} = ?" for column in chosen)
    sql = _program_sql(_tables(viewstore), "WHERE 1 = 1 " + where if where else "", published_only)
    rows = viewstore.query(f"{sql} ORDER BY p.plan_id, p.code, p.program_id", list(chosen.values()))
    return [
        ProgramProgress(
            plan_id=str(r[0]),
            program_id=str(r[1]),
            code=str(r[2]),
            name=str(r[3]),
            aspect=str(r[4]),
            owner_opd=str(r[5]),
            quick_win=bool(r[6]),
            weight=float(r[7]),
            progress=float(r[8]),
            reported_progress=float(r[9]),
            milestones=int(r[10]),
            by_status=_counts(r[11 : 11 + len(STATUSES)]),
            published=bool(r[11 + len(STATUSES)]),
        )
        for r in rows
    ]


def opds(
    viewstore: ViewStore, plan_id: str | None = None, *, published_only: bool = False
) -> list[Rollup]:
    """Each owner OPD: the programs it owns weighed together, by plan and OPD code."""
    tables = _tables(viewstore)
    where, params = ("WHERE p.plan_id = ?", (plan_id,)) if plan_id else ("", ())
    rows = viewstore.query(
        f"SELECT p.plan_id, p.owner_opd, p.owner_opd, p.owner_opd, {_rollup_columns()} "
        f"FROM ({_program_sql(tables, where, published_only)}) p "
        "GROUP BY p.plan_id, p.owner_opd ORDER BY p.plan_id, p.owner_opd",
        params,
    )
    return [_rollup(r) for r in rows]


@dataclass(frozen=True)
class PlanRollup(Rollup):
    """A whole plan, and whether it is published (approved)."""

    published: bool


def plans(viewstore: ViewStore, *, published_only: bool = False) -> list[PlanRollup]:
    """Each plan: all its programs weighed together (as ``PlanApplication.plan_progress``)."""
    tables = _tables(viewstore)
    public = "WHERE pl.published = 1 " if published_only else ""
    rows = viewstore.query(
        f"SELECT pl.plan_id, pl.plan_id, pl.plan_id, pl.plan_id, {_rollup_columns()}, "
        f"MAX(pl.published) FROM {tables['plan_plans']} pl "
        f"LEFT JOIN ({_program_sql(tables, '')}) p ON p.plan_id = pl.plan_id {public}"
        "GROUP BY pl.plan_id ORDER BY pl.plan_id",
    )
    return [PlanRollup(**vars(_rollup(r[:-1])), published=bool(r[-1])) for r in rows]
