"""Citizens' survey counts: responses per campaign and rating, each response counted once.

A response is counted in the same transaction as the view's position, so a crash or a
replay never counts it twice; the mean and the distribution come from the counts. The
Impact dimension of a year reads the campaigns of its city and year
(``projections.views.evaluation.impact``).
"""

from __future__ import annotations

from dataclasses import dataclass

from projections.engine.aggregates import SurveyCampaign, SurveyResponse
from projections.engine.rows import insert
from projections.engine.schema import Table
from projections.engine.topics import by_topic
from projections.engine.view import Recorded, View, ViewTx
from projections.engine.viewstore import ViewStore


def _campaign_created(tx: ViewTx, recorded: Recorded) -> None:
    e = recorded.event
    campaign = {"campaign_id": str(e.originator_id), "city_code": e.city_code}
    about = {"campaign_code": e.campaign_code, "year": int(e.year), "program": e.program}
    row = campaign | about | {"respondents": len(e.code_hashes), "position": recorded.position}
    insert(tx, CAMPAIGNS, row, unless="campaign_id")


def _response_created(tx: ViewTx, recorded: Recorded) -> None:
    event = recorded.event
    key = (str(event.campaign_id), int(event.rating))
    tx.execute(
        f"INSERT INTO {tx.table(COUNTS)} (campaign_id, rating, responses) "
        "VALUES (?, ?, 0) ON CONFLICT (campaign_id, rating) DO NOTHING",
        key,
    )
    tx.execute(
        f"UPDATE {tx.table(COUNTS)} SET responses = responses + 1 "
        "WHERE campaign_id = ? AND rating = ?",
        key,
    )


CAMPAIGNS = Table(
    "survey_campaigns",
    "campaign_id text, city_code text, campaign_code text, year int, program text, "
    "respondents int, position int",
    key="campaign_id",
    indexes=("city_code, year",),
)
COUNTS = Table(
    "survey_counts", "campaign_id text, rating int, responses int", key="campaign_id, rating"
)


class SurveyView(View, name="evaluation_survey", version=2, tables=(CAMPAIGNS, COUNTS)):
    """Survey campaigns and their responses counted per rating."""

    handlers = by_topic(
        {
            SurveyCampaign.Created: _campaign_created,
            SurveyResponse.Created: _response_created,
        }
    )


@dataclass(frozen=True)
class SurveyCounts:
    """A campaign's responses: how many, their mean rating and how many gave each rating."""

    campaign_id: str
    responses: int
    mean: float | None
    distribution: dict[int, int]


def survey_counts(viewstore: ViewStore, campaign_id: str) -> SurveyCounts:
    """The counts of one campaign (zero responses when none arrived yet)."""
    table = viewstore.table(SurveyView.name, "survey_counts")
    rows = viewstore.query(
        f"SELECT rating, responses FROM {table} WHERE campaign_id = ? ORDER BY rating",
        (campaign_id,),
    )
    distribution = {int(rating): int(n) for rating, n in rows}
    total = sum(distribution.values())
    mean = sum(r * n for r, n in distribution.items()) / total if total else None
    return SurveyCounts(campaign_id, total, mean, distribution)
