"""Citizens' survey: 1,000 responses from 16 concurrent clients, each counted exactly once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from domain.evaluation import EvaluationApplication
from domain.evaluation.survey import AlreadyAnsweredError, UnknownCodeError
from domain.shared import Actor
from infra.store import EventStore
from projections.engine.runner import ProjectionRunner
from projections.views.evaluation.survey import SurveyView, survey_counts

SECRETARIAT = Actor("sekretariat-diskominfo", "staff")
CITIZEN = Actor("warga", "staff")
RESPONSES, CLIENTS = 1000, 16


def test_responses_from_concurrent_clients_are_counted_exactly_once(
    durable_store: EventStore,
) -> None:
    app = durable_store.app(EvaluationApplication)
    campaign_id, codes, _ = app.open_campaign(
        city_code="SIANTAR", campaign_code="SURVEI-2024-P1", year=2024,
        program="Siantar Smart Service", question="Seberapa puas Anda?",
        respondents=RESPONSES, by=SECRETARIAT,
    )  # fmt: skip
    assert len(set(codes)) == RESPONSES

    def answer(index: int) -> str:
        # Every client sends its answer twice (a retry): the second is refused.
        outcomes = []
        for _ in range(2):
            try:
                app.respond(campaign_id, respondent_code=codes[index], rating=index % 5 + 1,
                            comment="", kelurahan="Bantan", by=CITIZEN)  # fmt: skip
                outcomes.append("counted")
            except AlreadyAnsweredError:
                outcomes.append("refused")
        return "/".join(outcomes)

    with ThreadPoolExecutor(CLIENTS) as pool:
        outcomes: list[Any] = list(pool.map(answer, range(RESPONSES)))
    assert set(outcomes) == {"counted/refused"}

    with pytest.raises(UnknownCodeError):
        app.respond(campaign_id, respondent_code="BUKANKODE", rating=5, by=CITIZEN)
    runner = ProjectionRunner(durable_store, [SurveyView()])
    try:
        runner.prepare()
        runner.catch_up()
        runner.catch_up()  # a second pass over the same log counts nothing again
        counts = survey_counts(runner.viewstore, str(campaign_id))
    finally:
        runner.stop()
    assert counts.responses == RESPONSES
    assert counts.distribution == {1: 200, 2: 200, 3: 200, 4: 200, 5: 200}
    assert counts.mean == 3.0
