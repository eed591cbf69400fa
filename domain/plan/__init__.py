"""The master plan (Masterplan Kota Cerdas): aspects, programs, milestones and revisions."""

from domain.plan.application import PlanApplication
from domain.plan.execution import Created
from domain.plan.masterplan import MasterPlan
from domain.plan.milestone import Milestone
from domain.plan.model import (
    DEFAULT_ASPECTS,
    Aspect,
    Baseline,
    BaselineLockedError,
    InvalidTransitionError,
    MilestoneStatus,
    PlanStatus,
    ProgressDecreaseError,
    UnknownAspectError,
    weighted_progress,
)
from domain.plan.program import Program

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
