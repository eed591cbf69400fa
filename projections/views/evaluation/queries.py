"""Outcome and Quick Win of a year, computed from the plan's record, with their sources.

For a city and a year, each program's execution is the share (by milestone weight) of its
milestones due that year that were approved at 100%; an aspect's and the dimension's are
the programs' execution weighted by program weight. Outcome counts the programs of the
master plan that are not quick wins, Quick Win the quick wins. Every figure lists the log
positions of the events it was computed from.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from domain.evaluation.rules import achieved, weighted_mean
from projections.engine.viewstore import ViewStore
from projections.views.evaluation.view import EvaluationRecordView

#: A program's and one of its milestones' columns, as the query reads them.
Row = tuple[Any, ...]


@dataclass(frozen=True)
class Figure:
    """One computed figure (percent, None when nothing was due) and its source positions."""

    key: str
    score: float | None
    due: int
    achieved: int
    sources: tuple[int, ...]


@dataclass(frozen=True)
class DimensionFigures:
    """A computed dimension: its score, per aspect and per program, each with sources."""

    dimension: str
    score: float | None
    sources: tuple[int, ...]
    aspects: list[Figure]
    programs: list[Figure]


@dataclass(frozen=True)
class _Program:
    code: str
    aspect: str
    weight: float
    figure: Figure


def _rows(viewstore: ViewStore, city_code: str, year: int, quick_win: bool) -> list[Row]:
    tables = viewstore.tables(EvaluationRecordView.name, EvaluationRecordView.table_names())
    return viewstore.query(
        "SELECT p.code, p.aspect, p.weight, p.sources, m.weight, m.approved_percent, m.sources "
        f"FROM {tables['evaluation_plans']} pl "
        f"JOIN {tables['evaluation_programs']} p ON p.plan_id = pl.plan_id "
        f"JOIN {tables['evaluation_milestones']} m ON m.program_id = p.program_id "
        "WHERE pl.city_code = ? AND p.quick_win = ? AND m.due_date >= ? AND m.due_date <= ? "
        "ORDER BY p.code, m.code",
        (city_code.upper(), int(quick_win), f"{year}-01-01", f"{year}-12-31"),
    )


def _positions(*texts: str) -> set[int]:
    return {int(p) for text in texts for p in text.split()}


def _programs(rows: list[Row]) -> list[_Program]:
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[row[0]].append(row)
    programs = []
    for code, found in grouped.items():
        _, aspect, weight, program_sources = found[0][:4]
        pairs = [(float(r[4]), 100.0 if achieved(float(r[5])) else 0.0) for r in found]
        sources = _positions(program_sources, *(r[6] for r in found))
        done = sum(1 for r in found if achieved(float(r[5])))
        figure = Figure(code, weighted_mean(pairs), len(found), done, tuple(sorted(sources)))
        programs.append(_Program(code, str(aspect), float(weight), figure))
    return programs


def _combined(key: str, programs: list[_Program]) -> Figure:
    pairs = [(p.weight, p.figure.score) for p in programs if p.figure.score is not None]
    sources = sorted({s for p in programs for s in p.figure.sources})
    return Figure(
        key,
        weighted_mean(pairs),
        sum(p.figure.due for p in programs),
        sum(p.figure.achieved for p in programs),
        tuple(sources),
    )


def dimension_figures(
    viewstore: ViewStore, city_code: str, year: int, *, quick_win: bool
) -> DimensionFigures:
    """Outcome (``quick_win=False``) or Quick Win of a year, from the milestones due in it."""
    programs = _programs(_rows(viewstore, city_code, year, quick_win))
    aspects = sorted({p.aspect for p in programs})
    whole = _combined("quick-win" if quick_win else "outcome", programs)
    return DimensionFigures(
        dimension=whole.key,
        score=whole.score,
        sources=whole.sources,
        aspects=[_combined(a, [p for p in programs if p.aspect == a]) for a in aspects],
        programs=[p.figure for p in programs],
    )
