"""Approved progress for the console, as the plan-progress view counts it.

The view counts approved progress only (a report awaiting approval is kept apart as
``reported_progress``) and knows which plans are published; the console shows the published
plans, like the API answers the public, so a page and the API never disagree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from projections.engine.viewstore import ViewStore
from projections.views.milestones import queries as milestones_queries
from projections.views.plan_progress import queries as plan_progress_queries


@dataclass(frozen=True)
class Program:
    """A program with its approved progress and its milestones."""

    row: plan_progress_queries.ProgramProgress
    approved: float
    milestones: tuple[milestones_queries.MilestoneRow, ...]


@dataclass(frozen=True)
class Aspect:
    """An aspect of a published plan, with its programs' approved progress."""

    row: plan_progress_queries.Rollup
    approved: float
    programs: tuple[Program, ...]


def by_aspect(views: ViewStore) -> list[Aspect]:
    """Every aspect of the published plans, with approved progress (drafts never shown)."""
    rows: dict[str, list[milestones_queries.MilestoneRow]] = defaultdict(list)
    for milestone in milestones_queries.milestones(views):
        rows[milestone.program_id].append(milestone)
    programs: dict[tuple[str, str], list[Program]] = defaultdict(list)
    for p in plan_progress_queries.programs(views, published_only=True):
        programs[(p.plan_id, p.aspect)].append(Program(p, p.progress, tuple(rows[p.program_id])))
    return [
        Aspect(a, a.progress, tuple(programs[(a.plan_id, a.key)]))
        for a in plan_progress_queries.aspects(views, published_only=True)
    ]
