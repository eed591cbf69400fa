"""The year's process: assigned, filled with evidence, compiled, approved by the Sekda,
handed to assessors, scored and published, each step once and in its order."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from domain.evaluation import EvaluationApplication, Evidence
from domain.evaluation.process import Stage, WrongStageError
from domain.shared import Actor, NotEntitledError, ValidationError

ADMIN = Actor("sekretariat.sc")
SEKDA = Actor("sekda", "sekda")
WEIGHTS = {"baseline": 10, "output": 20, "outcome": 30, "impact": 30, "quick-win": 10}


def opened() -> tuple[EvaluationApplication, uuid.UUID]:
    """A year with one Output item, assigned to DINKES by 3 March."""
    app = EvaluationApplication()
    year_id, _ = app.open_year(city_code="SIANTAR", year=2025, weights=WEIGHTS, by=ADMIN)
    app.add_item(year_id, code="O1", dimension="output", title="Perwal", by=ADMIN)
    app.assign(year_id, opd_code="dinkes", item_codes=["o1"], due_date=date(2025, 3, 3), by=ADMIN)
    return app, year_id


def with_evidence(app: EvaluationApplication, year_id: uuid.UUID) -> None:
    evidence = Evidence("ev-1", "document", "Perwal 12/2023", document_number="12/2023")
    app.attach_evidence(year_id, item_code="O1", evidence=evidence, by=ADMIN)


def test_every_step_in_order_publishes_the_index_and_repeats_record_nothing() -> None:
    app, year_id = opened()
    with_evidence(app, year_id)
    late = Actor("kepala.dinkes", "head", datetime(2025, 3, 4, 2, tzinfo=UTC))
    assert app.fill(year_id, opd_code="DINKES", by=late) is not None
    assert app.fill(year_id, opd_code="DINKES", by=late) is None
    assert app.compile(year_id, by=ADMIN) is not None
    assert app.approve(year_id, by=SEKDA) is not None
    assert app.approve(year_id, by=SEKDA) is None
    assert app.hand_over(year_id, assessors=["asesor.a"], by=ADMIN) is not None
    app.score(year_id, score_id="s1", item_code="O1", score=75, comment="Ada", by=Actor("asesor.a"))
    assert app.publish(year_id, by=ADMIN) is not None
    assert app.publish(year_id, by=ADMIN) is None
    year = app.get_year(year_id)
    assert year.stage == Stage.PUBLISHED
    assert year.published_index == pytest.approx(15.0)  # 75 x 20%
    filled = [
        e for e in app.repository.event_store.get(year_id) if type(e).__name__ == "ItemsFilled"
    ]
    assert [e.late for e in filled] == [True]  # type: ignore[attr-defined]


def test_filling_needs_evidence_on_every_assigned_item() -> None:
    app, year_id = opened()
    with pytest.raises(ValidationError, match="no evidence"):
        app.fill(year_id, opd_code="DINKES", by=ADMIN)
    with pytest.raises(ValidationError, match="no items"):
        app.fill(year_id, opd_code="BAPPEDA", by=ADMIN)


def test_steps_out_of_order_are_refused() -> None:
    app, year_id = opened()
    with pytest.raises(WrongStageError, match="DINKES"):
        app.compile(year_id, by=ADMIN)
    with pytest.raises(WrongStageError):
        app.approve(year_id, by=SEKDA)
    with pytest.raises(WrongStageError):
        app.hand_over(year_id, assessors=["asesor.a"], by=ADMIN)
    with pytest.raises(WrongStageError):
        app.publish(year_id, by=ADMIN)


def test_only_the_sekda_approves_and_only_named_assessors_score() -> None:
    app, year_id = opened()
    with_evidence(app, year_id)
    app.fill(year_id, opd_code="DINKES", by=ADMIN)
    app.compile(year_id, by=ADMIN)
    with pytest.raises(NotEntitledError):
        app.approve(year_id, by=Actor("walikota", "mayor"))
    app.approve(year_id, by=SEKDA)
    app.hand_over(year_id, assessors=["asesor.a"], by=ADMIN)
    with pytest.raises(NotEntitledError):
        app.score(year_id, score_id="x", item_code="O1", score=9, comment="-", by=Actor("lain"))
    with pytest.raises(WrongStageError, match="no score"):
        app.publish(year_id, by=ADMIN)


def test_no_assignment_after_compiling_and_none_of_unknown_items() -> None:
    app, year_id = opened()
    with pytest.raises(ValidationError, match="no item"):
        app.assign(year_id, opd_code="BAPPEDA", item_codes=["X9"], due_date=date(2025, 3, 3),
                   by=ADMIN)  # fmt: skip
    with_evidence(app, year_id)
    app.fill(year_id, opd_code="DINKES", by=ADMIN)
    app.compile(year_id, by=ADMIN)
    with pytest.raises(WrongStageError):
        app.assign(year_id, opd_code="BAPPEDA", item_codes=["O1"], due_date=date(2025, 3, 3),
                   by=ADMIN)  # fmt: skip
