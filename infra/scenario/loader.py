"""Load the reference scenario of Pematang Siantar 2023 into an empty event store.

Callers hand in the application services, e.g. ``load_reference_scenario(ScenarioApps.of(
store.app))``: the domain never builds its own store.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Protocol, TypeVar

from domain.approvals.application import ApprovalsApplication
from domain.bimtek import BimtekApplication
from domain.calendar import CalendarApplication
from domain.commitments import CommitmentsApplication
from domain.evaluation import EvaluationApplication
from domain.organisation import OrganisationApplication
from domain.plan import PlanApplication
from domain.shared import AlreadyExistsError, JejakApplication
from infra.scenario.data import CITY_CODE, reference_facts
from infra.scenario.evaluation import load_sample_evaluation
from infra.scenario.programs import load_plan
from infra.scenario.sessions import load_sessions
from infra.scenario.signing import load_commitments
from infra.scenario.units import load_units

TApp = TypeVar("TApp", bound=JejakApplication)


class AppFactory(Protocol):
    """Gives the one instance of an application service over a store (``EventStore.app``)."""

    def __call__(self, cls: type[TApp], /) -> TApp:
        """The application service of class ``cls``."""
        ...


class ScenarioAlreadyLoadedError(AlreadyExistsError):
    """The store already holds a city's organisation: the scenario loads only into an empty one."""

    code = "scenario-already-loaded"
    title = "The reference scenario is already loaded"


@dataclass(frozen=True)
class ScenarioApps:
    """The application services the scenario writes through."""

    organisation: OrganisationApplication
    calendar: CalendarApplication
    commitments: CommitmentsApplication
    bimtek: BimtekApplication
    plan: PlanApplication
    approvals: ApprovalsApplication
    #: The sample 2024 evaluation is loaded when this is given.
    evaluation: EvaluationApplication | None = None

    @classmethod
    def of(cls, app_for: AppFactory) -> ScenarioApps:
        """The services given by ``app_for`` (pass ``store.app``)."""
        return cls(
            organisation=app_for(OrganisationApplication),
            calendar=app_for(CalendarApplication),
            commitments=app_for(CommitmentsApplication),
            bimtek=app_for(BimtekApplication),
            plan=app_for(PlanApplication),
            approvals=app_for(ApprovalsApplication),
            evaluation=app_for(EvaluationApplication),
        )


@dataclass(frozen=True)
class ScenarioSummary:
    """What the scenario recorded, counted."""

    city_code: str
    units: int
    persons: int
    acting_appointments: int
    bimtek_stages: int
    attendance_records: int
    deliverables: int
    commitments: int
    signatures: int
    plan_id: uuid.UUID
    programs: int
    milestones: int
    #: Items of the sample 2024 evaluation (0 when it was not loaded).
    evaluation_items: int = 0


def load_reference_scenario(apps: ScenarioApps) -> ScenarioSummary:
    """Record the reference city's 2023 history and its plan; refuses a store already in use."""
    if apps.organisation.opd_codes():
        raise ScenarioAlreadyLoadedError(
            "This store already holds OPDs; the reference scenario loads only into an empty store."
        )
    facts = reference_facts()
    persons, acting = load_units(apps.organisation, facts)
    stages, attendance, deliverables = load_sessions(apps.bimtek, facts)
    commitments, signatures = load_commitments(apps.commitments, facts)
    plan_id, programs, milestones = load_plan(apps.plan, facts)
    items = load_sample_evaluation(apps.evaluation) if apps.evaluation else 0
    return ScenarioSummary(
        city_code=CITY_CODE,
        units=len(facts["units"]),
        persons=persons,
        acting_appointments=acting,
        bimtek_stages=stages,
        attendance_records=attendance,
        deliverables=deliverables,
        commitments=commitments,
        signatures=signatures,
        plan_id=plan_id,
        programs=programs,
        milestones=milestones,
        evaluation_items=items,
    )
