"""Approved progress for the console: a report counts once its milestone is approved.

The plan-progress view counts a milestone's last reported percent; the public page and the
plan page show only what the OPD heads approved, and the rest apart, as awaiting approval.
Weights are those of the view: milestones within a program, programs within an aspect.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass

from domain.plan import PlanApplication
from domain.plan.model import MilestoneStatus, PlanStatus
from projections import milestones_queries, plan_progress_queries
from projections.viewstore import ViewStore

#: Milestone statuses whose percent has been approved.
COUNTED = frozenset({MilestoneStatus.APPROVED, MilestoneStatus.DONE})


@dataclass(frozen=True)
class Program:
    """A program with its approved progress and its milestones."""

    row: plan_progress_queries.ProgramProgress
    approved: float
    milestones: tuple[milestones_queries.MilestoneRow, ...]


@dataclass(frozen=True)
class Aspect:
    """An aspect of an approved plan, with its programs' approved progress."""

    row: plan_progress_queries.Rollup
    approved: float
    programs: tuple[Program, ...]


def weighted(pairs: list[tuple[float, float]]) -> float:
    """The weighted mean of (weight, value) pairs; 0 when nothing weighs."""
    total = sum(weight for weight, _ in pairs)
    return sum(weight * value for weight, value in pairs) / total if total else 0.0


def approved_plans(views: ViewStore, plans: PlanApplication) -> set[str]:
    """The ids of the plans approved (a draft plan is never shown)."""
    ids = {a.plan_id for a in plan_progress_queries.aspects(views)}
    return {i for i in ids if plans.get_plan(uuid.UUID(i)).status != PlanStatus.DRAFT}


def by_aspect(views: ViewStore, plans: PlanApplication) -> list[Aspect]:
    """Every approved aspect of the approved plans, with approved progress."""
    published = approved_plans(views, plans)
    rows: dict[str, list[milestones_queries.MilestoneRow]] = defaultdict(list)
    for milestone in milestones_queries.milestones(views):
        rows[milestone.program_id].append(milestone)
    programs: dict[tuple[str, str], list[Program]] = defaultdict(list)
    for p in plan_progress_queries.programs(views):
        if p.plan_id in published:
            found = tuple(rows[p.program_id])
            counted = [(m.weight, m.percent if m.status in COUNTED else 0.0) for m in found]
            programs[(p.plan_id, p.aspect)].append(Program(p, weighted(counted), found))
    return [
        Aspect(a, weighted([(p.row.weight, p.approved) for p in chosen]), tuple(chosen))
        for a in plan_progress_queries.aspects(views)
        if a.plan_id in published
        for chosen in [programs[(a.plan_id, a.key)]]
    ]
