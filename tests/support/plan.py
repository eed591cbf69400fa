"""Builders shared by the plan tests: a city plan with one program and one milestone."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from domain.plan import PlanApplication
from domain.shared import Actor
from infra.store import EventStore

SECRETARIAT = Actor("198001012005011001", "staff")
KADIS = Actor("197505052000031002", "head")


@dataclass
class PlanSetup:
    """A draft plan of Pematang Siantar with program GOV-01 and milestone GOV-01-M1."""

    app: PlanApplication
    plan_id: uuid.UUID
    program_id: uuid.UUID
    milestone_id: uuid.UUID


def plan_setup(
    store: EventStore, city_code: str = "PMS", start_year: int = 2024, due: date = date(2024, 6, 28)
) -> PlanSetup:
    """A fresh draft plan from ``start_year`` with one quick-win program and one milestone."""
    app = store.app(PlanApplication)
    plan_id = app.create_plan(
        city_code=city_code,
        city_name="Pematang Siantar",
        title="Masterplan Kota Cerdas",
        start_year=start_year,
        vision="Sehat, Sejahtera, Berkualitas",
        by=SECRETARIAT,
    ).id
    program_id = app.add_program(
        plan_id,
        code="GOV-01",
        name="Satu data kota",
        aspect="governance",
        owner_opd="DISKOMINFO",
        supporting_opds=["BAPPEDA"],
        quick_win=True,
        horizon="short",
        targets={start_year: "Portal data terbit"},
        budgets={start_year: 250_000_000},
        by=SECRETARIAT,
    ).id
    milestone_id = app.add_milestone(
        program_id,
        code="GOV-01-M1",
        title="Portal data terbit",
        due_date=due,
        by=SECRETARIAT,
    ).id
    return PlanSetup(app, plan_id, program_id, milestone_id)
