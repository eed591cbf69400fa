"""The Impact dimension's figures from the citizens' surveys of a city's year.

Every campaign of the city in that year contributes its responses (counted once each by
``SurveyView``): the year's count, mean rating and distribution are over all of them, and
the score is the mean rating on the evaluation's scale, ``(mean - 1) / 4 x 100`` (a mean
of 1 is 0, a mean of 5 is 100). Each figure lists the log position of its campaign.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from projections.engine.viewstore import ViewStore
from projections.views.evaluation.queries import DimensionFigures, Figure
from projections.views.evaluation.survey import SurveyView


def rating_score(mean: float | None) -> float | None:
    """A mean rating (1 to 5) on the evaluation's scale (0 to 100)."""
    return None if mean is None else (mean - 1) / 4 * 100


def _mean(distribution: dict[int, int]) -> float | None:
    total = sum(distribution.values())
    return sum(r * n for r, n in distribution.items()) / total if total else None


@dataclass(frozen=True)
class CampaignFigures:
    """One campaign: its program, respondents issued, responses, mean and distribution."""

    campaign_id: str
    campaign_code: str
    program: str
    respondents: int
    responses: int
    mean: float | None
    distribution: dict[int, int]
    position: int


@dataclass(frozen=True)
class ImpactFigures:
    """The year's surveys together: responses, mean, distribution, score, each campaign."""

    responses: int
    mean: float | None
    distribution: dict[int, int]
    score: float | None
    campaigns: list[CampaignFigures]

    def as_dimension(self) -> DimensionFigures:
        """The figures as a computed dimension (one figure per campaign), for the reports."""
        programs = [
            Figure(c.campaign_code, rating_score(c.mean), c.respondents, c.responses, (c.position,))
            for c in self.campaigns
        ]
        sources = tuple(sorted(c.position for c in self.campaigns))
        return DimensionFigures("impact", self.score, sources, [], programs)


def impact_figures(viewstore: ViewStore, city_code: str, year: int) -> ImpactFigures:
    """The surveys of ``city_code`` in ``year``, counted."""
    tables = viewstore.tables(SurveyView.name, ("survey_campaigns", "survey_counts"))
    rows = viewstore.query(
        "SELECT c.campaign_id, c.campaign_code, c.program, c.respondents, c.position, n.rating, "
        f"n.responses FROM {tables['survey_campaigns']} c LEFT JOIN {tables['survey_counts']} n "
        "ON n.campaign_id = c.campaign_id WHERE c.city_code = ? AND c.year = ? "
        "ORDER BY c.campaign_code, n.rating",
        (city_code.upper(), year),
    )
    about: dict[str, tuple[str, str, int, int]] = {}
    counts: dict[str, dict[int, int]] = defaultdict(dict)
    for campaign_id, code, program, respondents, position, rating, responses in rows:
        about[campaign_id] = (str(code), str(program), int(respondents), int(position))
        if rating is not None:
            counts[campaign_id][int(rating)] = int(responses)
    campaigns = [
        CampaignFigures(cid, code, program, respondents, sum(counts[cid].values()),
                        _mean(counts[cid]), dict(counts[cid]), position)
        for cid, (code, program, respondents, position) in about.items()
    ]  # fmt: skip
    overall: dict[int, int] = defaultdict(int)
    for campaign in campaigns:
        for rating, n in campaign.distribution.items():
            overall[rating] += n
    mean = _mean(overall)
    total = sum(overall.values())
    return ImpactFigures(total, mean, dict(sorted(overall.items())), rating_score(mean), campaigns)
