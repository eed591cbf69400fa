"""The real app over the reference scenario (Pematang Siantar 2023), with its read models."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from api.auth import dev_tokens
from domain.approvals.application import ApprovalsApplication
from domain.approvals.ladder import milestone_report_route
from domain.calendar import JAKARTA
from domain.plan import MilestoneStatus, PlanApplication
from domain.shared import Actor
from infra.scenario import ScenarioApps, ScenarioSummary, load_reference_scenario
from projections.engine.registry import all_views
from projections.engine.runner import ProjectionRunner
from tests.support.app import Api, settings_for

#: Who sends the submitted milestones for approval when no workflow starter runs.
STARTER = Actor("jejak")


def catch_up(api: Api) -> int:
    """Bring every read model of the app's store up to the end of the log."""
    runner = ProjectionRunner(api.app.state.store, all_views())
    try:
        runner.prepare()
        return runner.catch_up()
    finally:
        runner.viewstore.close()


class City(Api):
    """The app under test with the reference scenario loaded."""

    summary: ScenarioSummary

    def catch_up(self) -> int:
        """Bring every read model up to the end of the log."""
        return catch_up(self)

    def plan(self) -> PlanApplication:
        """The plan service over the app's store."""
        return self.app.state.store.app(PlanApplication)  # type: ignore[no-any-return]

    def approvals(self) -> ApprovalsApplication:
        """The approvals service over the app's store."""
        return self.app.state.store.app(ApprovalsApplication)  # type: ignore[no-any-return]

    def submitted_milestones(self) -> list[uuid.UUID]:
        """The milestones of the scenario waiting for approval."""
        plan = self.plan()
        return [
            m.id
            for p in plan.programs_of(self.summary.plan_id)
            for m in plan.milestones_of(p.id)
            if m.status == MilestoneStatus.SUBMITTED
        ]

    def request_approvals(self) -> list[uuid.UUID]:
        """Send each submitted milestone for approval and open its first step (BAPPEDA)."""
        approvals, plan, found = self.approvals(), self.plan(), []
        due = datetime.now(JAKARTA) + timedelta(days=7)
        for milestone_id in self.submitted_milestones():
            milestone = plan.get_milestone(milestone_id)
            route = milestone_report_route(has_budget=False, quick_win=False)
            request_id, _ = approvals.request_approval(
                "milestone-report", str(milestone.id), milestone.title, milestone.owner_opd,
                milestone.submitted_by or "", route, STARTER,
            )  # fmt: skip
            approvals.open_step(request_id, 0, due)
            found.append(request_id)
        return found


@pytest.fixture
async def city(tmp_path: Path) -> AsyncIterator[City]:
    """The app with the reference scenario loaded (read models not yet built)."""
    settings = settings_for(tmp_path)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        summary = load_reference_scenario(ScenarioApps.of(app.state.store.app))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://jejak.test") as client:
            found = City(app, client, settings, dev_tokens(settings))
            found.summary = summary
            yield found
