"""The rules of a year's evaluation process: its stages and who may move it on.

Each rule is a pure function the aggregate, the workflow's update validators and the API
share: it answers the refusal (an error to raise), or None when the step may go ahead.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from enum import StrEnum

from domain.shared import Capacity, ConflictError, DomainError, NotEntitledError, ValidationError


class Stage(StrEnum):
    """Where a year's evaluation stands (stored in events: never rename)."""

    PREPARING = "preparing"  # opened, items being added
    FILLING = "filling"  # OPDs fill their items
    COMPILED = "compiled"  # the secretariat compiled the package
    APPROVED = "approved"  # the Sekda approved it
    ASSESSING = "assessing"  # with the assessors
    PUBLISHED = "published"  # the final index is out


ORDER = list(Stage)


class WrongStageError(ConflictError):
    """The evaluation is not at the stage this step needs."""

    code = "evaluation-wrong-stage"
    title = "Not at this stage of the evaluation"


def reached(stage: str, wanted: Stage) -> bool:
    """Whether ``stage`` is ``wanted`` or later."""
    return ORDER.index(Stage(stage)) >= ORDER.index(wanted)


def stage_refusal(stage: str, needed: Stage, step: str) -> DomainError | None:
    """Refuse ``step`` unless the evaluation is at ``needed``."""
    if stage != needed:
        return WrongStageError(f"The evaluation is {stage}; {step} needs it {needed.value}.")
    return None


def assign_refusal(
    stage: str, item_codes: Collection[str], known: Collection[str], due_date: object
) -> DomainError | None:
    """Refuse an assignment after the filling, of no or unknown items, or without a date."""
    if reached(stage, Stage.COMPILED):
        return WrongStageError(f"The evaluation is {stage}; items are assigned before compiling.")
    if not item_codes:
        return ValidationError("item_codes", "Name at least one item for the OPD to fill.")
    unknown = sorted(set(item_codes) - set(known))
    if unknown:
        return ValidationError("item_codes", f"The evaluation has no item {unknown[0]}.")
    if not isinstance(due_date, date):
        return ValidationError("due_date", "The due date must be a calendar date.")
    return None


def fill_refusal(
    stage: str, opd_code: str, assignments: Mapping[str, Collection[str]],
    without_evidence: Collection[str],
) -> DomainError | None:  # fmt: skip
    """Refuse filling for an OPD with nothing assigned, or while an item lacks evidence."""
    if opd_code not in assignments:
        return ValidationError("opd_code", f"{opd_code} has no items to fill in this evaluation.")
    if stage != Stage.FILLING:
        return WrongStageError(f"The evaluation is {stage}; items are filled before compiling.")
    if without_evidence:
        first = sorted(without_evidence)[0]
        return ValidationError("evidence", f"Item {first} has no evidence yet; attach it first.")
    return None


def compile_refusal(
    stage: str, assigned: Collection[str], filled: Collection[str]
) -> DomainError | None:
    """Refuse compiling before every OPD with items filled them."""
    refusal = stage_refusal(stage, Stage.FILLING, "compiling")
    if refusal is not None:
        return refusal
    waiting = sorted(set(assigned) - set(filled))
    if waiting:
        return WrongStageError(f"{', '.join(waiting)} have not filled their items yet.")
    return None


def approve_refusal(stage: str, capacity: str) -> DomainError | None:
    """Only the Sekda approves, and only a compiled package."""
    if capacity != Capacity.SEKDA:
        return NotEntitledError("Only the Sekda approves the evaluation package.")
    return stage_refusal(stage, Stage.COMPILED, "the Sekda's approval")


def hand_over_refusal(stage: str, assessors: Collection[str]) -> DomainError | None:
    """Refuse handing over an unapproved package, or to nobody."""
    if not [a for a in assessors if a.strip()]:
        return ValidationError("assessors", "Name at least one assessor.")
    return stage_refusal(stage, Stage.APPROVED, "handing over to assessors")


def score_refusal(stage: str, assessors: Collection[str], assessor: str) -> DomainError | None:
    """Refuse a score after publication, or by someone the package was not handed to."""
    if stage == Stage.PUBLISHED:
        return WrongStageError("The index is published; scores can no longer change.")
    if assessors and assessor not in assessors:
        return NotEntitledError("The package was not handed to you; you may not score it.")
    return None


def publish_refusal(stage: str, unscored: Collection[str]) -> DomainError | None:
    """Refuse publishing before the assessors have it, or while an item is unscored."""
    refusal = stage_refusal(stage, Stage.ASSESSING, "publishing the index")
    if refusal is not None:
        return refusal
    if unscored:
        return WrongStageError(f"Item {sorted(unscored)[0]} has no score yet.")
    return None


def check(refusal: DomainError | None) -> None:
    """Raise the refusal, if there is one."""
    if refusal is not None:
        raise refusal
