"""The Program aggregate: one program of the plan under an aspect, owned by an OPD."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from eventsourcing.domain import event

from domain.plan.rules import positive_weight, program_id_for
from domain.shared import JejakAggregate, ValidationError
from domain.values import required_text

#: A yearly target: a text ("80% of services online") or a number.
Target = str | int | float

HORIZONS = ("short", "medium", "long")


class Program(JejakAggregate):
    """A program of the master plan: owner OPD, supporting OPDs, yearly targets and budget."""

    TOPIC = "jejak.plan:Program"

    @staticmethod
    def create_id(plan_id: uuid.UUID, code: str) -> uuid.UUID:
        """The id of program ``code`` of plan ``plan_id``."""
        return program_id_for(plan_id, code)

    @classmethod
    def define(
        cls,
        *,
        plan_id: uuid.UUID,
        code: str,
        name: str,
        aspect: str,
        owner_opd: str,
        first_year: int,
        last_year: int,
        supporting_opds: list[str] | tuple[str, ...] = (),
        quick_win: bool = False,
        horizon: str = "medium",
        weight: float = 1.0,
        **attribution: Any,
    ) -> Program:
        """A new program; the caller has checked that ``aspect`` belongs to the plan."""
        if horizon not in HORIZONS:
            raise ValidationError("horizon", f"The horizon must be one of {', '.join(HORIZONS)}.")
        owner = required_text("owner_opd", owner_opd, "The owner OPD")
        supporting = [
            required_text("supporting_opds", o, "A supporting OPD") for o in supporting_opds
        ]
        return cls(
            plan_id=plan_id,
            code=required_text("code", code, "The program code"),
            name=required_text("name", name, "The program name"),
            aspect=aspect,
            owner_opd=owner,
            supporting_opds=[o for i, o in enumerate(supporting) if o not in supporting[:i]],
            quick_win=bool(quick_win),
            horizon=horizon,
            weight=positive_weight(weight),
            first_year=first_year,
            last_year=last_year,
            **attribution,
        )

    @event("Created", topic="jejak.plan:Program.Created")
    def __init__(
        self,
        plan_id: uuid.UUID,
        code: str,
        name: str,
        aspect: str,
        owner_opd: str,
        supporting_opds: list[str],
        quick_win: bool,
        horizon: str,
        weight: float,
        first_year: int,
        last_year: int,
        actor: str,
        capacity: str,
        effective_at: datetime,
    ) -> None:
        self.plan_id = plan_id
        self.code = code
        self.name = name
        self.aspect = aspect
        self.owner_opd = owner_opd
        self.supporting_opds = list(supporting_opds)
        self.quick_win = quick_win
        self.horizon = horizon
        self.weight = weight
        self.first_year = first_year
        self.last_year = last_year
        self.targets: dict[int, Target] = {}
        self.budgets: dict[int, int] = {}
        self.milestones: list[uuid.UUID] = []

    def _check_year(self, year: int) -> None:
        if isinstance(year, bool) or not isinstance(year, int):
            raise ValidationError("year", f"{year!r} is not a year.")
        if not self.first_year <= year <= self.last_year:
            raise ValidationError(
                "year",
                f"{year} is outside the plan period {self.first_year}-{self.last_year}.",
            )

    def set_target(self, year: int, value: Target, **attribution: Any) -> None:
        """Set the target of ``year`` (a text or a number)."""
        self._check_year(year)
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise ValidationError("value", "A target is a text or a number.")
        if isinstance(value, str):
            value = required_text("value", value, "The target")
        self._target_set(year=year, value=value, **attribution)

    @event("TargetSet", topic="jejak.plan:Program.TargetSet")
    def _target_set(
        self, year: int, value: Target, actor: str, capacity: str, effective_at: datetime
    ) -> None:
        self.targets[year] = value

    def set_budget(self, year: int, amount: int, **attribution: Any) -> None:
        """Set the budget of ``year`` in whole rupiah."""
        self._check_year(year)
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
            raise ValidationError("amount", "A budget is a whole number of rupiah, not below 0.")
        self._budget_set(year=year, amount=amount, **attribution)

    @event("BudgetSet", topic="jejak.plan:Program.BudgetSet")
    def _budget_set(
        self, year: int, amount: int, actor: str, capacity: str, effective_at: datetime
    ) -> None:
        self.budgets[year] = amount

    def change_owner(self, owner_opd: str, **attribution: Any) -> None:
        """Hand the program to another OPD."""
        owner = required_text("owner_opd", owner_opd, "The owner OPD")
        if owner == self.owner_opd:
            raise ValidationError("owner_opd", f"{owner} already owns program {self.code}.")
        self._owner_changed(old_owner=self.owner_opd, owner_opd=owner, **attribution)

    @event("OwnerChanged", topic="jejak.plan:Program.OwnerChanged")
    def _owner_changed(
        self, old_owner: str, owner_opd: str, actor: str, capacity: str, effective_at: datetime
    ) -> None:
        self.owner_opd = owner_opd
        if owner_opd in self.supporting_opds:
            self.supporting_opds.remove(owner_opd)

    def add_supporting_opd(self, opd: str, **attribution: Any) -> None:
        """Add an OPD that supports the program (nothing happens if it already does)."""
        opd = required_text("opd", opd, "The supporting OPD")
        if opd == self.owner_opd:
            raise ValidationError(
                "opd", f"{opd} owns program {self.code}; it cannot also support it."
            )
        if opd not in self.supporting_opds:
            self._supporting_opd_added(opd=opd, **attribution)

    @event("SupportingOpdAdded", topic="jejak.plan:Program.SupportingOpdAdded")
    def _supporting_opd_added(
        self, opd: str, actor: str, capacity: str, effective_at: datetime
    ) -> None:
        self.supporting_opds.append(opd)

    def change_weight(self, weight: float, **attribution: Any) -> None:
        """Change how much the program counts in the progress of the plan."""
        self._weight_changed(old_weight=self.weight, weight=positive_weight(weight), **attribution)

    @event("WeightChanged", topic="jejak.plan:Program.WeightChanged")
    def _weight_changed(
        self, old_weight: float, weight: float, actor: str, capacity: str, effective_at: datetime
    ) -> None:
        self.weight = weight

    def index_milestone(self, milestone_id: uuid.UUID, **attribution: Any) -> None:
        """Record a new milestone of the program."""
        if milestone_id not in self.milestones:
            self._milestone_indexed(milestone_id=milestone_id, **attribution)

    @event("MilestoneIndexed", topic="jejak.plan:Program.MilestoneIndexed")
    def _milestone_indexed(
        self, milestone_id: uuid.UUID, actor: str, capacity: str, effective_at: datetime
    ) -> None:
        self.milestones.append(milestone_id)
