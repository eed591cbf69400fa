"""A city with a milestone, a bimtek deliverable and a commitment, for the starter tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from domain.bimtek.application import BimtekApplication
from domain.commitments.application import CommitmentsApplication
from domain.commitments.values import RequiredSignatory
from domain.plan.application import PlanApplication
from domain.values import PartRef
from infra.store import EventStore
from tests.support.plan import KADIS, SECRETARIAT, plan_setup
from workflows.deadline.inputs import deadline_workflow_id


@dataclass
class City:
    """What the scenario created, by id."""

    plan: PlanApplication
    milestone_id: uuid.UUID
    session_id: uuid.UUID
    commitment_id: uuid.UUID

    def deadline_ids(self) -> list[str]:
        """The deadline workflows the starter must start."""
        return [
            deadline_workflow_id("milestone", str(self.milestone_id)),
            deadline_workflow_id("deliverable", str(PartRef(self.session_id, "D-1"))),
            deadline_workflow_id("commitment", str(self.commitment_id)),
        ]


def city(store: EventStore, in_days: int = 60) -> City:
    """A plan with a quick-win, budgeted program and one milestone, a stage, a commitment.

    Each call is a city of its own, so its workflow ids are new on a shared server.
    """
    city_code = f"C{uuid.uuid4().hex[:8].upper()}"
    today = datetime.now(UTC).date()
    due = today + timedelta(days=in_days)
    setup = plan_setup(store, city_code, today.year, due)
    bimtek = store.app(BimtekApplication)
    session_id, _ = bimtek.create_session(
        city_code=city_code,
        stage_number=1,
        title="Tahap 1",
        start_date=today,
        end_date=today,
        venue="Bappeda",
        organiser_opd="DISKOMINFO",
        invited_opds=["DINKES"],
        by=SECRETARIAT,
    )
    bimtek.assign_deliverable(
        session_id,
        deliverable_id="D-1",
        opd_code="DINKES",
        title="Draft",
        due_date=due,
        by=SECRETARIAT,
    )
    commitment_id, _ = store.app(CommitmentsApplication).create_commitment(
        city_code=city_code,
        slug="komitmen-2023",
        title="Komitmen Kota Cerdas",
        text="Kami berkomitmen",
        legal_basis="Perpres 95/2018",
        place="Bappeda",
        date=today,
        required=[RequiredSignatory("196801011990031001", None, "mayor")],
        signing_deadline=due,
        by=SECRETARIAT,
    )
    return City(setup.app, setup.milestone_id, session_id, commitment_id)


def submit(plan: PlanApplication, milestone_id: uuid.UUID) -> None:
    """Report progress on the milestone and submit it."""
    plan.report_progress(milestone_id, percent=50, by=KADIS)
    plan.submit_milestone(milestone_id, by=KADIS)


def due_in(days: int) -> date:
    """A calendar day ``days`` from today."""
    return datetime.now(UTC).date() + timedelta(days=days)
