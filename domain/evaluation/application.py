"""The evaluation application service: open a year, add items and evidence, record scores."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from domain.evaluation.citizens import CitizensCommands
from domain.evaluation.rules import DimensionResult, achievement_index
from domain.evaluation.values import Evidence
from domain.evaluation.year import EvaluationYear
from domain.shared import (
    Actor,
    NotFoundError,
)


@dataclass(frozen=True)
class YearResult:
    """A year's dimensions, its index, and the previous year's index as its baseline."""

    year: EvaluationYear
    dimensions: list[DimensionResult]
    index: float
    complete: bool
    previous_index: float | None
    #: The previous year's evaluation and the version its index was computed at.
    previous_source: tuple[str, int] | None


class EvaluationApplication(CitizensCommands):
    """Records the yearly evaluation; every command returns its log position."""

    name = "jejak.evaluation"

    def open_year(
        self, *, city_code: str, year: int, weights: Mapping[str, float], by: Actor
    ) -> tuple[uuid.UUID, int]:
        """Open the evaluation of a year with its weights; returns its id and log position."""
        evaluation = EvaluationYear.open(
            city_code=city_code, year=year, weights=weights, **by.attribution()
        )
        what = f"The {year} evaluation of {evaluation.city_code}"
        return evaluation.id, self.save_new(evaluation, what=what)

    def set_weights(self, year_id: uuid.UUID, *, weights: Mapping[str, float], by: Actor) -> int:
        """Set the weights of the year anew."""
        evaluation = self.get_year(year_id)
        return self.run(evaluation, evaluation.set_weights, weights, **by.attribution())

    def add_item(
        self,
        year_id: uuid.UUID,
        *,
        code: str,
        dimension: str,
        title: str,
        description: str = "",
        by: Actor,
    ) -> int:
        """Add a criterion to one dimension of the year."""
        evaluation = self.get_year(year_id)
        return self.run(
            evaluation, evaluation.add_item, code, dimension, title, description, **by.attribution()
        )

    def attach_evidence(
        self, year_id: uuid.UUID, *, item_code: str, evidence: Evidence, by: Actor
    ) -> int:
        """Attach a document or an uploaded file to an item."""
        evaluation = self.get_year(year_id)
        return self.run(
            evaluation, evaluation.attach_evidence, item_code, evidence, **by.attribution()
        )

    def score(
        self,
        year_id: uuid.UUID,
        *,
        score_id: str,
        item_code: str,
        score: float,
        comment: str,
        by: Actor,
    ) -> int:
        """Record the caller's score of an item once (a retry with its score id is a no-op)."""
        evaluation = self.get_year(year_id)
        evaluation.score(score_id, item_code, by.actor_id, score, comment, **by.attribution())
        return self.save_command(evaluation)

    def assign(
        self, year_id: uuid.UUID, *, opd_code: str, item_codes: list[str], due_date: date,
        by: Actor,
    ) -> int | None:  # fmt: skip
        """Ask an OPD to fill items by a due date; None when so assigned already."""
        evaluation = self.get_year(year_id)
        return self.run_once(
            evaluation, evaluation.assign, opd_code, item_codes, due_date, **by.attribution()
        )

    def fill(self, year_id: uuid.UUID, *, opd_code: str, by: Actor) -> int | None:
        """Record that the OPD filled its items; None when recorded already."""
        evaluation = self.get_year(year_id)
        return self.run_once(evaluation, evaluation.fill, opd_code, **by.attribution())

    def compile(self, year_id: uuid.UUID, *, by: Actor) -> int | None:
        """Record that the secretariat compiled the package; None when recorded already."""
        evaluation = self.get_year(year_id)
        return self.run_once(evaluation, evaluation.compile, **by.attribution())

    def approve(self, year_id: uuid.UUID, *, by: Actor) -> int | None:
        """Record the Sekda's approval of the package; None when recorded already."""
        evaluation = self.get_year(year_id)
        return self.run_once(evaluation, evaluation.approve, **by.attribution())

    def hand_over(self, year_id: uuid.UUID, *, assessors: list[str], by: Actor) -> int | None:
        """Record that the package went to the assessors; None when recorded already."""
        evaluation = self.get_year(year_id)
        return self.run_once(evaluation, evaluation.hand_over, assessors, **by.attribution())

    def publish(self, year_id: uuid.UUID, *, by: Actor) -> int | None:
        """Publish the final index; None when published already."""
        evaluation = self.get_year(year_id)
        return self.run_once(evaluation, evaluation.publish, **by.attribution())

    def get_year(self, year_id: uuid.UUID) -> EvaluationYear:
        """The evaluation year with this id, or ``NotFoundError``."""
        return self.get(year_id, EvaluationYear, "The evaluation year")

    def find_year(self, city_code: str, year: int) -> EvaluationYear | None:
        """The evaluation of ``city_code`` in ``year``, or None when it was not opened."""
        try:
            return self.get_year(EvaluationYear.create_id(city_code, year))
        except NotFoundError:
            return None

    def years_of(self, city_code: str, first: int, last: int) -> list[EvaluationYear]:
        """The evaluations of ``city_code`` opened from ``first`` to ``last``, by year."""
        found = (self.find_year(city_code.strip().upper(), y) for y in range(first, last + 1))
        return [year for year in found if year is not None]

    def result(self, year_id: uuid.UUID) -> YearResult:
        """The year's dimension scores and index, with the previous year's index beside it."""
        evaluation = self.get_year(year_id)
        dimensions = evaluation.results()
        previous = self.find_year(evaluation.city_code, evaluation.year - 1)
        return YearResult(
            year=evaluation,
            dimensions=dimensions,
            index=achievement_index(dimensions),
            complete=bool(evaluation.items)
            and all(item.scores for item in evaluation.items.values()),
            previous_index=None if previous is None else achievement_index(previous.results()),
            previous_source=None if previous is None else (str(previous.id), previous.version),
        )
