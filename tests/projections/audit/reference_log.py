"""The reference city's log with an approval decided, so every kind of event is in it."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from domain.approvals.application import ApprovalsApplication
from domain.approvals.ladder import milestone_report_route
from domain.approvals.values import Ballot
from domain.calendar import JAKARTA
from domain.plan import MilestoneStatus, PlanApplication
from domain.shared import Actor
from infra.scenario import ScenarioApps, load_reference_scenario
from infra.store import EventStore

#: Who sends the submitted milestones for approval when no workflow starter runs.
STARTER = Actor("jejak")
#: The head of BAPPEDA, who decides the first step of a milestone report.
BAPPEDA_HEAD = Actor("kepala.bappeda", "head")


def decide_one_approval(store: EventStore, plan_id: uuid.UUID) -> None:
    """Send the first submitted milestone for approval and record BAPPEDA's decision on it."""
    plan, approvals = store.app(PlanApplication), store.app(ApprovalsApplication)
    milestone = next(
        m
        for program in plan.programs_of(plan_id)
        for m in plan.milestones_of(program.id)
        if m.status == MilestoneStatus.SUBMITTED
    )
    route = milestone_report_route(has_budget=False, quick_win=False)
    request_id, _ = approvals.request_approval(
        "milestone-report", str(milestone.id), milestone.title, milestone.owner_opd,
        milestone.submitted_by or "", route, STARTER,
    )  # fmt: skip
    approvals.open_step(request_id, 0, datetime.now(JAKARTA) + timedelta(days=7))
    ballot = Ballot("reference-decision-1", "197001011990031001", "BAPPEDA", "head", "approve")
    approvals.decide(request_id, ballot, "Sesuai.", BAPPEDA_HEAD, "approval/ref", "run-1")


def reference_log(store: EventStore) -> None:
    """Load the reference city into ``store`` and decide one approval on it."""
    summary = load_reference_scenario(ScenarioApps.of(store.app))
    decide_one_approval(store, summary.plan_id)
