"""The Impact dimension's figures: the year's surveys counted, with the mean and distribution."""

from __future__ import annotations

import pytest

from domain.evaluation import EvaluationApplication
from domain.shared import Actor
from infra.store import EventStore
from projections.engine.runner import ProjectionRunner
from projections.views.evaluation.comments import CommentsView, approved_ratings, shown
from projections.views.evaluation.impact import impact_figures, rating_score
from projections.views.evaluation.survey import SurveyView

#: The views the ``runner`` fixture runs.
VIEWS = [SurveyView(), CommentsView()]
ADMIN, CITIZEN = Actor("sekretariat.sc"), Actor("warga")


def campaign(app: EvaluationApplication, code: str, year: int, ratings: list[int]) -> str:
    """A campaign answered with ``ratings`` (one respondent each, a comment on the first)."""
    campaign_id, codes, _ = app.open_campaign(
        city_code="SIANTAR", campaign_code=code, year=year, program=f"Program {code}",
        question="Puas?", respondents=len(ratings) + 2, by=ADMIN,
    )  # fmt: skip
    for n, rating in enumerate(ratings):
        comment = "Cepat sekali" if n == 0 else ""
        app.respond(campaign_id, respondent_code=codes[n], rating=rating, comment=comment,
                    by=CITIZEN)  # fmt: skip
    return str(campaign_id)


def test_impact_counts_the_years_surveys_with_mean_distribution_and_score(
    durable_store: EventStore, runner: ProjectionRunner
) -> None:
    app = durable_store.app(EvaluationApplication)
    first = campaign(app, "S-A", 2024, [5, 4, 4])
    campaign(app, "S-B", 2024, [2, 5])
    campaign(app, "S-OLD", 2023, [1, 1])
    runner.catch_up()
    figures = impact_figures(runner.viewstore, "siantar", 2024)
    assert figures.responses == 5
    assert figures.distribution == {2: 1, 4: 2, 5: 2}
    assert figures.mean == pytest.approx(4.0)
    assert figures.score == pytest.approx(75.0)  # (4 - 1) / 4 x 100
    by_code = {c.campaign_code: c for c in figures.campaigns}
    assert by_code["S-A"].responses == 3
    assert by_code["S-A"].respondents == 5
    assert by_code["S-A"].distribution == {4: 2, 5: 1}
    dimension = figures.as_dimension()
    assert dimension.score == figures.score
    assert len(dimension.sources) == 2
    # The first answer's comment waits for moderation; nothing is shown yet.
    assert shown(runner.viewstore, first) == []
    assert approved_ratings(runner.viewstore, first).count == 0


def test_a_year_without_surveys_has_no_impact_score(
    durable_store: EventStore, runner: ProjectionRunner
) -> None:
    runner.catch_up()
    figures = impact_figures(runner.viewstore, "SIANTAR", 2030)
    assert (figures.responses, figures.mean, figures.score, figures.campaigns) == (
        0,
        None,
        None,
        [],
    )
    assert rating_score(1.0) == 0.0
    assert rating_score(5.0) == 100.0
