"""The steps of a year's evaluation process, one event class each.

The secretariat assigns each OPD its items with a due date, the OPD declares them filled,
the secretariat compiles the package, the Sekda approves it, the secretariat hands it to
the assessors, and once they scored every item the index is published. Each event applies
itself to the year. Topics are pinned (``jejak.evaluation:EvaluationYear.<Event>``).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from domain.evaluation.process import Stage
from domain.shared import JejakAggregate

if TYPE_CHECKING:
    from domain.evaluation.year import EvaluationYear

TOPIC = "jejak.evaluation:EvaluationYear"


class ItemsAssigned(JejakAggregate.Event):
    """An OPD is to fill these items (evidence) by ``due_date``."""

    TOPIC = f"{TOPIC}.ItemsAssigned"
    opd_code: str
    item_codes: list[str]
    due_date: date

    def apply(self, year: EvaluationYear) -> None:
        year.assignments[self.opd_code] = (tuple(self.item_codes), self.due_date)
        year.stage = Stage.FILLING


class ItemsFilled(JejakAggregate.Event):
    """The OPD declared its items filled: each has its evidence."""

    TOPIC = f"{TOPIC}.ItemsFilled"
    opd_code: str
    late: bool

    def apply(self, year: EvaluationYear) -> None:
        year.filled.add(self.opd_code)


class Compiled(JejakAggregate.Event):
    """The secretariat compiled the self-assessment package."""

    TOPIC = f"{TOPIC}.Compiled"

    def apply(self, year: EvaluationYear) -> None:
        year.stage = Stage.COMPILED


class SekdaApproved(JejakAggregate.Event):
    """The Sekda approved the package for the assessors."""

    TOPIC = f"{TOPIC}.SekdaApproved"

    def apply(self, year: EvaluationYear) -> None:
        year.stage = Stage.APPROVED


class HandedToAssessors(JejakAggregate.Event):
    """The package went to these assessors, who alone score it."""

    TOPIC = f"{TOPIC}.HandedToAssessors"
    assessors: list[str]

    def apply(self, year: EvaluationYear) -> None:
        year.assessors = tuple(self.assessors)
        year.stage = Stage.ASSESSING


class IndexPublished(JejakAggregate.Event):
    """The final index and the dimension scores it was computed from."""

    TOPIC = f"{TOPIC}.IndexPublished"
    index: float
    dimensions: dict[str, float | None]

    def apply(self, year: EvaluationYear) -> None:
        year.published_index = self.index
        year.stage = Stage.PUBLISHED
