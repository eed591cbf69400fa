"""The evaluation year aggregate: weights, items, evidence and scores, each one an event."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from eventsourcing.domain import event

from domain.calendar import JAKARTA
from domain.evaluation import events
from domain.evaluation.errors import AlreadyScoredError, ScoreIdReusedError, UnknownItemError
from domain.evaluation.process import (
    Stage,
    approve_refusal,
    assign_refusal,
    check,
    compile_refusal,
    fill_refusal,
    hand_over_refusal,
    publish_refusal,
    reached,
    score_refusal,
)
from domain.evaluation.rules import (
    DimensionResult,
    achievement_index,
    check_evidence,
    checked_dimension,
    checked_score,
    checked_weights,
    dimension_results,
)
from domain.evaluation.values import Evidence, Item, Score
from domain.shared import AlreadyExistsError, Capacity, JejakAggregate, ValidationError, natural_id
from domain.values import required_text

_TOPIC = "jejak.evaluation:EvaluationYear"


class EvaluationYear(JejakAggregate):
    """One city's evaluation of one year: weights per dimension, items, evidence, scores."""

    TOPIC = _TOPIC
    ItemsAssigned = events.ItemsAssigned
    ItemsFilled = events.ItemsFilled
    Compiled = events.Compiled
    SekdaApproved = events.SekdaApproved
    HandedToAssessors = events.HandedToAssessors
    IndexPublished = events.IndexPublished

    @staticmethod
    def create_id(city_code: str, year: int) -> uuid.UUID:
        """The id of the evaluation of ``city_code`` in ``year``."""
        return natural_id("evaluation", city_code, str(year))

    @classmethod
    def open(
        cls, *, city_code: str, year: int, weights: Mapping[str, float], **attribution: Any
    ) -> EvaluationYear:
        """A new evaluation year with its weights."""
        if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
            raise ValidationError("year", f"{year!r} is not a year of the program.")
        city = required_text("city_code", city_code, "The city code").upper()
        return cls(
            city_code=city,
            year=year,
            weights=checked_weights(weights),
            id=cls.create_id(city, year),
            **attribution,
        )

    @event("Created", topic=f"{_TOPIC}.Created")
    def __init__(
        self,
        city_code: str,
        year: int,
        weights: dict[str, float],
        actor: str,
        capacity: str,
        effective_at: datetime,
        id: uuid.UUID | None = None,
    ) -> None:
        self.city_code, self.year = city_code, year
        self.weights = dict(weights)
        self.items: dict[str, Item] = {}
        self.score_ids: dict[str, Score] = {}
        self.stage: str = Stage.PREPARING
        self.assignments: dict[str, tuple[tuple[str, ...], date]] = {}  # OPD -> items, due
        self.filled: set[str] = set()
        self.assessors: tuple[str, ...] = ()
        self.published_index: float | None = None

    def set_weights(self, weights: Mapping[str, float], **attribution: Any) -> None:
        """Set the year's weights anew (the published sets differ between years)."""
        found = checked_weights(weights)
        if found == self.weights:
            return
        self._weights_set(old_weights=self.weights, weights=found, **attribution)

    @event("WeightsSet", topic=f"{_TOPIC}.WeightsSet")
    def _weights_set(
        self,
        old_weights: dict[str, float],
        weights: dict[str, float],
        actor: str,
        capacity: str,
        effective_at: datetime,
    ) -> None:
        self.weights = dict(weights)

    def add_item(
        self, code: str, dimension: str, title: str, description: str = "", **attribution: Any
    ) -> None:
        """Add a criterion to one dimension; its code is unique in the year."""
        code = required_text("code", code, "The item code").upper()
        if code in self.items:
            raise AlreadyExistsError(f"The item {code} is already in the {self.year} evaluation.")
        self._item_added(
            code=code,
            dimension=checked_dimension(dimension),
            title=required_text("title", title, "The item title"),
            description=description.strip(),
            **attribution,
        )

    @event("ItemAdded", topic=f"{_TOPIC}.ItemAdded")
    def _item_added(
        self,
        code: str,
        dimension: str,
        title: str,
        description: str,
        actor: str,
        capacity: str,
        effective_at: datetime,
    ) -> None:
        self.items[code] = Item(code, dimension, title, description)

    def item(self, code: str) -> Item:
        """The item ``code``, or ``UnknownItemError``."""
        found = self.items.get(code.strip().upper())
        if found is None:
            raise UnknownItemError(f"The {self.year} evaluation has no item {code}.")
        return found

    def attach_evidence(self, item_code: str, evidence: Evidence, **attribution: Any) -> None:
        """Attach a document or an uploaded file (by its SHA-256) to an item."""
        item = self.item(item_code)
        e = evidence
        check_evidence(e.kind, e.title, e.document_number, e.link, e.sha256, e.size, e.filename)
        if any(x.evidence_id == e.evidence_id for x in item.evidence):
            raise AlreadyExistsError(f"The evidence {e.evidence_id} is already attached.")
        self._evidence_attached(
            item_code=item.code,
            evidence_id=required_text("evidence_id", e.evidence_id, "The evidence id"),
            kind=e.kind,
            title=e.title.strip(),
            document_number=e.document_number.strip(),
            document_date=e.document_date,
            link=e.link.strip(),
            sha256=e.sha256,
            size=e.size,
            filename=e.filename.strip(),
            **attribution,
        )

    @event("EvidenceAttached", topic=f"{_TOPIC}.EvidenceAttached")
    def _evidence_attached(
        self,
        item_code: str,
        evidence_id: str,
        kind: str,
        title: str,
        document_number: str,
        document_date: date | None,
        link: str,
        sha256: str,
        size: int,
        filename: str,
        actor: str,
        capacity: str,
        effective_at: datetime,
    ) -> None:
        self.items[item_code].evidence.append(
            Evidence(evidence_id, kind, title, document_number, document_date, link, sha256,
                     size, filename, actor)
        )  # fmt: skip

    def score(
        self, score_id: str, item_code: str, assessor: str, score: float, comment: str,
        **attribution: Any,
    ) -> bool:  # fmt: skip
        """Record an assessor's score of an item once; False when this score id is recorded.

        A retry carries the same score id and changes nothing; a second score of the same
        item by the same assessor is refused.
        """
        score_id = required_text("score_id", score_id, "The score id")
        item, assessor = self.item(item_code), required_text("assessor", assessor, "The assessor")
        known = self.score_ids.get(score_id)
        if known is not None:
            if (known.item_code, known.assessor) != (item.code, assessor):
                raise ScoreIdReusedError(f"The score id {score_id} was used for another score.")
            return False
        check(score_refusal(self.stage, self.assessors, assessor))
        if assessor in item.scores:
            raise AlreadyScoredError(f"{assessor} already scored item {item.code}.")
        value = checked_score(score)
        text = required_text("comment", comment, "The comment on a score")
        self._scored(
            score_id=score_id, item_code=item.code, assessor=assessor, score=value, comment=text,
            **attribution,
        )  # fmt: skip
        return True

    @event("ScoreRecorded", topic=f"{_TOPIC}.ScoreRecorded")
    def _scored(
        self,
        score_id: str,
        item_code: str,
        assessor: str,
        score: float,
        comment: str,
        actor: str,
        capacity: str,
        effective_at: datetime,
    ) -> None:
        recorded = Score(score_id, item_code, assessor, score, comment, effective_at)
        self.items[item_code].scores[assessor] = recorded
        self.score_ids[score_id] = recorded

    def results(self) -> list[DimensionResult]:
        """Each dimension's weight and score from the items' final scores."""
        scores = {
            code: (item.dimension, [s.score for s in item.scores.values()])
            for code, item in self.items.items()
        }
        return dimension_results(self.weights, scores)

    def assign(self, opd_code: str, item_codes: list[str], due_date: date, **by: Any) -> bool:
        """Ask an OPD to fill items by ``due_date``; False when so assigned already."""
        opd = required_text("opd_code", opd_code, "The OPD code").upper()
        codes = sorted({code.strip().upper() for code in item_codes})
        if self.assignments.get(opd) == (tuple(codes), due_date):
            return False
        check(assign_refusal(self.stage, codes, self.items, due_date))
        self.trigger_event(
            self.ItemsAssigned, opd_code=opd, item_codes=codes, due_date=due_date, **by
        )
        return True

    def fill(self, opd_code: str, **by: Any) -> bool:
        """The OPD declares its items filled; False when it did already."""
        opd = opd_code.strip().upper()
        if opd in self.filled:
            return False
        codes, due = self.assignments.get(opd, ((), date.max))
        bare = [code for code in codes if not self.items[code].evidence]
        assigned = {o: c for o, (c, _) in self.assignments.items()}
        check(fill_refusal(self.stage, opd, assigned, bare))
        late = by["effective_at"].astimezone(JAKARTA).date() > due
        self.trigger_event(self.ItemsFilled, opd_code=opd, late=late, **by)
        return True

    def compile(self, **by: Any) -> bool:
        """The secretariat compiles the package; False when compiled already."""
        if reached(self.stage, Stage.COMPILED):
            return False
        check(compile_refusal(self.stage, self.assignments, self.filled))
        self.trigger_event(self.Compiled, **by)
        return True

    def approve(self, **by: Any) -> bool:
        """The Sekda approves the compiled package; False when approved already."""
        if by["capacity"] == Capacity.SEKDA and reached(self.stage, Stage.APPROVED):
            return False
        check(approve_refusal(self.stage, by["capacity"]))
        self.trigger_event(self.SekdaApproved, **by)
        return True

    def hand_over(self, assessors: list[str], **by: Any) -> bool:
        """Hand the approved package to assessors; False when handed over already."""
        if reached(self.stage, Stage.ASSESSING):
            return False
        check(hand_over_refusal(self.stage, assessors))
        names = sorted({a.strip() for a in assessors if a.strip()})
        self.trigger_event(self.HandedToAssessors, assessors=names, **by)
        return True

    def publish(self, **by: Any) -> bool:
        """Publish the final index once every item is scored; False when published already."""
        if self.stage == Stage.PUBLISHED:
            return False
        unscored = [code for code, item in self.items.items() if not item.scores]
        check(publish_refusal(self.stage, unscored))
        results = self.results()
        dimensions = {r.dimension: r.score for r in results}
        index = achievement_index(results)
        self.trigger_event(self.IndexPublished, index=index, dimensions=dimensions, **by)
        return True
