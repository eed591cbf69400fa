"""Revisions of an approved plan: the kinds of change, and applying them in memory."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any, Protocol

from domain.plan.errors import UnknownAspectError
from domain.plan.masterplan import MasterPlan
from domain.plan.milestone import Milestone
from domain.plan.program import Program
from domain.plan.rules import check_aspects
from domain.plan.values import Aspect
from domain.shared import Actor, AlreadyExistsError, NotFoundError, ValidationError
from domain.values import required_text

#: Each kind of change and the fields it needs.
CHANGE_FIELDS: dict[str, tuple[str, ...]] = {
    "add-aspect": ("id", "label_en", "label_id"),
    "add-program": ("code", "name", "aspect", "owner_opd"),
    "change-title": ("title",),
    "change-vision": ("vision",),
    "change-target": ("program", "year", "value"),
    "change-budget": ("program", "year", "amount"),
    "change-weight": ("program", "weight"),
    "change-owner": ("program", "owner_opd"),
    "add-supporting-opd": ("program", "opd"),
    "change-due-date": ("program", "milestone", "due_date", "reason"),
}

#: Fields a kind of change may carry besides the required ones.
OPTIONAL_FIELDS: dict[str, tuple[str, ...]] = {
    "add-program": ("supporting_opds", "quick_win", "horizon", "weight"),
    "change-weight": ("milestone",),
}


def normalise_change(change: Mapping[str, Any]) -> dict[str, Any]:
    """The change as plain data, or ``ValidationError`` when its kind or fields are wrong."""
    kind = change.get("kind")
    if kind not in CHANGE_FIELDS:
        known = ", ".join(CHANGE_FIELDS)
        raise ValidationError("changes", f"'{kind}' is not a known kind of change ({known}).")
    missing = [f for f in CHANGE_FIELDS[kind] if f not in change]
    if missing:
        raise ValidationError("changes", f"A '{kind}' change needs {', '.join(missing)}.")
    unknown = set(change) - {"kind", *CHANGE_FIELDS[kind], *OPTIONAL_FIELDS.get(kind, ())}
    if unknown:
        raise ValidationError("changes", f"A '{kind}' change has no {', '.join(sorted(unknown))}.")
    plain = dict(change)
    if "due_date" in plain:
        plain["due_date"] = iso_date(plain["due_date"])
    if "supporting_opds" in plain:
        plain["supporting_opds"] = list(plain["supporting_opds"])
    return plain


def iso_date(value: object) -> str:
    """A calendar date (or its ISO text) as ISO text."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise ValidationError("due_date", f"{value!r} is not a date (YYYY-MM-DD).")


class AggregateLoader(Protocol):
    """Loads the programs and milestones a revision touches."""

    def get_program(self, program_id: uuid.UUID) -> Program:
        """The program ``program_id``."""
        ...

    def get_milestone(self, milestone_id: uuid.UUID) -> Milestone:
        """The milestone ``milestone_id``."""
        ...


class ChangeSet:
    """The programs and milestones one revision changes, loaded once and changed in memory.

    Nothing is saved here: proposing a revision applies it to throw-away copies to check
    it; approving it saves what ``touched()`` returns together with the plan.
    """

    def __init__(self, loader: AggregateLoader, plan: MasterPlan, by: Actor) -> None:
        self._loader = loader
        self._plan = plan
        self._by = by.attribution()
        self._aspects = list(plan.aspect_ids)
        self.new_programs: dict[uuid.UUID, Program] = {}
        self._programs: dict[uuid.UUID, Program] = {}
        self._milestones: dict[uuid.UUID, Milestone] = {}
        self._handlers: dict[str, Callable[[dict[str, Any]], object]] = {
            "add-aspect": self._add_aspect,
            "add-program": self._add_program,
            "change-title": lambda c: required_text("title", c["title"], "The title"),
            "change-vision": lambda c: required_text("vision", c["vision"], "The vision"),
            "change-target": lambda c: self._program(c).set_target(
                c["year"], c["value"], **self._by
            ),
            "change-budget": lambda c: self._program(c).set_budget(
                c["year"], c["amount"], **self._by
            ),
            "change-weight": self._change_weight,
            "change-owner": lambda c: self._program(c).change_owner(c["owner_opd"], **self._by),
            "add-supporting-opd": lambda c: self._program(c).add_supporting_opd(
                c["opd"], **self._by
            ),
            "change-due-date": lambda c: self._milestone(c).change_due_date(
                date.fromisoformat(c["due_date"]), c["reason"], **self._by
            ),
        }

    def apply(self, change: dict[str, Any]) -> None:
        """Apply one (normalised) change to the aggregates it concerns."""
        self._handlers[change["kind"]](change)

    def touched(self) -> dict[uuid.UUID, Program | Milestone]:
        """Every aggregate created or changed, by id."""
        return {**self.new_programs, **self._programs, **self._milestones}

    def _add_aspect(self, change: dict[str, Any]) -> None:
        aspect = Aspect(change["id"], change["label_en"], change["label_id"])
        check_aspects([aspect])
        if aspect.id in self._aspects:
            raise AlreadyExistsError(f"The master plan already has aspect {aspect.id}.")
        self._aspects.append(aspect.id)

    def _add_program(self, change: dict[str, Any]) -> None:
        if change["aspect"] not in self._aspects:
            raise UnknownAspectError(
                "aspect", f"'{change['aspect']}' is not an aspect of this master plan."
            )
        program_id = Program.create_id(self._plan.id, change["code"])
        if program_id in self._plan.program_ids() or program_id in self.new_programs:
            raise AlreadyExistsError(f"Program {change['code']} is already registered.")
        fields = {k: v for k, v in change.items() if k != "kind"}
        self.new_programs[program_id] = Program.define(
            plan_id=self._plan.id,
            first_year=self._plan.start_year,
            last_year=self._plan.end_year,
            **fields,
            **self._by,
        )

    def _change_weight(self, change: dict[str, Any]) -> None:
        target = self._milestone(change) if "milestone" in change else self._program(change)
        target.change_weight(change["weight"], **self._by)

    def _program(self, change: dict[str, Any]) -> Program:
        program_id = Program.create_id(self._plan.id, str(change["program"]))
        if program_id in self.new_programs:
            return self.new_programs[program_id]
        if program_id not in self._plan.program_ids():
            raise NotFoundError(f"Program {change['program']} is not part of this master plan.")
        if program_id not in self._programs:
            self._programs[program_id] = self._loader.get_program(program_id)
        return self._programs[program_id]

    def _milestone(self, change: dict[str, Any]) -> Milestone:
        program = self._program(change)
        milestone_id = Milestone.create_id(program.id, str(change["milestone"]))
        if milestone_id not in program.milestones:
            raise NotFoundError(
                f"Milestone {change['milestone']} is not part of program {program.code}."
            )
        if milestone_id not in self._milestones:
            self._milestones[milestone_id] = self._loader.get_milestone(milestone_id)
        return self._milestones[milestone_id]
