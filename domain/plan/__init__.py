"""The master plan (Masterplan Kota Cerdas): aspects, programs, milestones and revisions."""

from domain.plan.application import PlanApplication
from domain.plan.errors import (
    BaselineLockedError,
    InvalidTransitionError,
    ProgressDecreaseError,
    UnknownAspectError,
)
from domain.plan.execution import Created
from domain.plan.masterplan import MasterPlan
from domain.plan.milestone import Milestone
from domain.plan.program import Program
from domain.plan.rules import weighted_progress
from domain.plan.values import DEFAULT_ASPECTS, Aspect, Baseline, MilestoneStatus, PlanStatus

__all__ = [
    "DEFAULT_ASPECTS",
    "Aspect",
    "Baseline",
    "BaselineLockedError",
    "Created",
    "InvalidTransitionError",
    "MasterPlan",
    "Milestone",
    "MilestoneStatus",
    "PlanApplication",
    "PlanStatus",
    "Program",
    "ProgressDecreaseError",
    "UnknownAspectError",
    "weighted_progress",
]
