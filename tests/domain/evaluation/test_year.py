"""The yearly evaluation: weights per year, items, evidence, one score per assessor, the index."""

from __future__ import annotations

import math
from datetime import date

import pytest

from domain.evaluation import (
    AlreadyScoredError,
    EvaluationApplication,
    EvaluationYear,
    Evidence,
    ScoreIdReusedError,
    UnknownItemError,
    checked_weights,
)
from domain.shared import Actor, AlreadyExistsError, ValidationError

SECRETARIAT = Actor("sekretariat-diskominfo", "staff")
ASSESSOR_A = Actor("asesor.praktisi", "staff")
ASSESSOR_B = Actor("asesor.akademisi", "staff")
#: The published weight set: Baseline 10, Output 20, Outcome 30, Impact 30, Quick Win 10.
FIRST = {"baseline": 10, "output": 20, "outcome": 30, "impact": 30, "quick-win": 10}
#: The other published set: Outcome 30, Impact 20, Quick Win 20 (Baseline 10, Output 20).
SECOND = {"baseline": 10, "output": 20, "outcome": 30, "impact": 20, "quick-win": 20}
SHA = "ab" * 32


@pytest.fixture
def app() -> EvaluationApplication:
    """The evaluation service over an in-memory store."""
    return EvaluationApplication()


def scored_year(app: EvaluationApplication, weights: dict[str, int]) -> EvaluationYear:
    """A 2024 evaluation with one to two items per dimension, scored by two assessors."""
    year_id, _ = app.open_year(city_code="siantar", year=2024, weights=weights, by=SECRETARIAT)
    items = [
        ("B1", "baseline", 60, 70),
        ("O1", "output", 80, 90),
        ("O2", "output", 70, 70),
        ("C1", "outcome", 50, 60),
        ("I1", "impact", 90, 80),
        ("Q1", "quick-win", 40, 40),
    ]
    for code, dimension, a, b in items:
        app.add_item(year_id, code=code, dimension=dimension, title=code, by=SECRETARIAT)
        app.score(year_id, score_id=f"{code}-a", item_code=code, score=a, comment="ok",
                  by=ASSESSOR_A)  # fmt: skip
        app.score(year_id, score_id=f"{code}-b", item_code=code, score=b, comment="ok",
                  by=ASSESSOR_B)  # fmt: skip
    return app.get_year(year_id)


@pytest.mark.parametrize(
    ("weights", "expected"),
    [
        # baseline 65, output (85 + 70) / 2 = 77.5, outcome 55, impact 85, quick win 40:
        # (10*65 + 20*77.5 + 30*55 + 30*85 + 10*40) / 100 = 68.0
        (FIRST, 68.0),
        # (10*65 + 20*77.5 + 30*55 + 20*85 + 20*40) / 100 = 63.5
        (SECOND, 63.5),
    ],
)
def test_index_is_the_weighted_sum_of_dimension_means_for_each_weight_set(
    app: EvaluationApplication, weights: dict[str, int], expected: float
) -> None:
    year = scored_year(app, weights)
    result = app.result(year.id)
    assert [d.score for d in result.dimensions] == [65.0, 77.5, 55.0, 85.0, 40.0]
    assert math.isclose(result.index, expected)
    assert result.complete


def test_weights_must_cover_every_dimension_be_finite_and_add_up_to_100() -> None:
    with pytest.raises(ValidationError, match="add up to 90"):
        checked_weights({**FIRST, "impact": 20})
    with pytest.raises(ValidationError, match="finite"):
        checked_weights({**FIRST, "impact": math.nan})
    with pytest.raises(ValidationError, match="finite"):
        checked_weights({**FIRST, "impact": math.inf})
    with pytest.raises(ValidationError, match="quick-win has none"):
        checked_weights({k: v for k, v in FIRST.items() if k != "quick-win"})
    with pytest.raises(ValidationError, match="not a dimension"):
        checked_weights({**FIRST, "beauty": 0})
    assert checked_weights({**FIRST, "output": 19.9, "quick-win": 10.1})["quick-win"] == 10.1


def test_weights_are_set_per_year_as_events_and_bad_weights_change_nothing(
    app: EvaluationApplication,
) -> None:
    year_id, _ = app.open_year(city_code="SIANTAR", year=2025, weights=FIRST, by=SECRETARIAT)
    with pytest.raises(ValidationError):
        app.set_weights(year_id, weights={**SECOND, "impact": 30}, by=SECRETARIAT)
    assert app.get_year(year_id).weights["impact"] == 30
    app.set_weights(year_id, weights=SECOND, by=SECRETARIAT)
    year = app.get_year(year_id)
    assert (year.weights["impact"], year.version) == (20, 2)


def test_a_year_is_opened_once(app: EvaluationApplication) -> None:
    app.open_year(city_code="SIANTAR", year=2024, weights=FIRST, by=SECRETARIAT)
    with pytest.raises(AlreadyExistsError):
        app.open_year(city_code="siantar", year=2024, weights=SECOND, by=SECRETARIAT)


def test_a_retried_score_is_recorded_once_and_a_second_score_is_refused(
    app: EvaluationApplication,
) -> None:
    year_id, _ = app.open_year(city_code="SIANTAR", year=2024, weights=FIRST, by=SECRETARIAT)
    app.add_item(year_id, code="O1", dimension="output", title="Perwal", by=SECRETARIAT)
    app.score(year_id, score_id="s-1", item_code="O1", score=80, comment="Ada", by=ASSESSOR_A)
    version = app.get_year(year_id).version
    app.score(year_id, score_id="s-1", item_code="O1", score=80, comment="Ada", by=ASSESSOR_A)
    assert app.get_year(year_id).version == version
    with pytest.raises(AlreadyScoredError):
        app.score(year_id, score_id="s-2", item_code="o1", score=90, comment="Lagi",
                  by=ASSESSOR_A)  # fmt: skip
    with pytest.raises(ScoreIdReusedError):
        app.score(year_id, score_id="s-1", item_code="O1", score=70, comment="Saya",
                  by=ASSESSOR_B)  # fmt: skip
    assert [s.score for s in app.get_year(year_id).items["O1"].scores.values()] == [80.0]


def test_a_score_needs_a_comment_a_known_item_and_a_value_from_0_to_100(
    app: EvaluationApplication,
) -> None:
    year_id, _ = app.open_year(city_code="SIANTAR", year=2024, weights=FIRST, by=SECRETARIAT)
    app.add_item(year_id, code="O1", dimension="output", title="Perwal", by=SECRETARIAT)
    with pytest.raises(ValidationError):
        app.score(year_id, score_id="x", item_code="O1", score=101, comment="a", by=ASSESSOR_A)
    with pytest.raises(ValidationError):
        app.score(year_id, score_id="x", item_code="O1", score=50, comment=" ", by=ASSESSOR_A)
    with pytest.raises(UnknownItemError):
        app.score(year_id, score_id="x", item_code="Z9", score=50, comment="a", by=ASSESSOR_A)
    with pytest.raises(ValidationError):
        app.add_item(year_id, code="X1", dimension="beauty", title="?", by=SECRETARIAT)
    assert app.get_year(year_id).version == 2


def test_evidence_is_a_document_or_a_file_by_its_sha256(app: EvaluationApplication) -> None:
    year_id, _ = app.open_year(city_code="SIANTAR", year=2024, weights=FIRST, by=SECRETARIAT)
    app.add_item(year_id, code="O1", dimension="output", title="Perwal", by=SECRETARIAT)
    decree = Evidence("e1", "document", "Perwal Smart City", document_number="12/2023",
                      document_date=date(2023, 5, 2), link="https://jdih.example/12")  # fmt: skip
    app.attach_evidence(year_id, item_code="O1", evidence=decree, by=SECRETARIAT)
    upload = Evidence("e2", "file", "Foto", sha256=SHA, size=2048, filename="foto.jpg")
    app.attach_evidence(year_id, item_code="O1", evidence=upload, by=SECRETARIAT)
    with pytest.raises(ValidationError, match="SHA-256"):
        app.attach_evidence(year_id, item_code="O1", evidence=Evidence(
            "e3", "file", "Foto", sha256="xyz", size=1, filename="a"), by=SECRETARIAT)  # fmt: skip
    with pytest.raises(ValidationError, match="number or a link"):
        app.attach_evidence(year_id, item_code="O1", evidence=Evidence(
            "e4", "document", "Perwal"), by=SECRETARIAT)  # fmt: skip
    evidence = app.get_year(year_id).items["O1"].evidence
    assert [(e.evidence_id, e.document_date, e.sha256) for e in evidence] == [
        ("e1", date(2023, 5, 2), ""),
        ("e2", None, SHA),
    ]


def test_the_baseline_is_the_previous_years_index(app: EvaluationApplication) -> None:
    scored_year(app, FIRST)
    year_id, _ = app.open_year(city_code="SIANTAR", year=2025, weights=SECOND, by=SECRETARIAT)
    result = app.result(year_id)
    assert result.previous_index is not None
    assert math.isclose(result.previous_index, 68.0)
    assert result.previous_source == (str(EvaluationYear.create_id("SIANTAR", 2024)), 19)
    assert (result.index, result.complete) == (0.0, False)
