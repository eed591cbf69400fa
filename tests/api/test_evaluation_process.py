"""The evaluation process over HTTP, on the whole engine (Temporal dev server, worker, read
models): started by the secretariat, filled by an OPD head, approved by the Sekda, scored
by an assessor (a retried score recorded once), published."""

from __future__ import annotations

import uuid
from typing import Any

from api.auth import Role
from domain.evaluation import EvaluationApplication, Evidence
from infra.scenario.data import CITY_CODE
from infra.scenario.personas import OPD_HEAD_OPD
from tests.support.app import SECRETARIAT
from tests.support.engine import V1, Engine, engine

__all__ = ["engine"]

WEIGHTS = {"baseline": 10, "output": 20, "outcome": 30, "impact": 30, "quick-win": 10}


def year_of(city: Engine, year: int) -> uuid.UUID:
    """An evaluation of the reference city with one item, its evidence attached.

    Each test takes its own year: the Temporal server outlives a test, and a year's id (so
    its workflow's id) is the same in every test's store.
    """
    app: EvaluationApplication = city.app.state.store.app(EvaluationApplication)
    year_id, _ = app.open_year(city_code=CITY_CODE, year=year, weights=WEIGHTS, by=SECRETARIAT)
    app.add_item(year_id, code="OUT-1", dimension="output", title="Perwal", by=SECRETARIAT)
    evidence = Evidence("ev-1", "document", "Perwal 12/2029", document_number="12/2029")
    app.attach_evidence(year_id, item_code="OUT-1", evidence=evidence, by=SECRETARIAT)
    return year_id


async def post(city: Engine, path: str, role: str, body: dict[str, Any] | None = None,
               key: str | None = None) -> Any:  # fmt: skip
    headers = {**city.auth(role), **({"Idempotency-Key": key} if key else {})}
    return await city.client.post(f"{V1}{path}", json=body or {}, headers=headers)


async def test_the_process_runs_from_filling_to_the_published_index(engine: Engine) -> None:
    city = engine
    year_id = year_of(city, 2030)
    base = f"/evaluations/{year_id}/process"
    body = {"assignments": [{"opd_code": OPD_HEAD_OPD, "item_codes": ["OUT-1"]}], "fill_days": 5}
    started = await post(city, base, Role.ADMIN, body)
    assert started.status_code == 201, started.text
    assert started.json()["waiting"] == [OPD_HEAD_OPD]
    again = await post(city, base, Role.ADMIN, body)
    assert again.status_code == 409
    too_early = await post(city, f"{base}/compile", Role.ADMIN)
    assert too_early.status_code == 409
    assert "not filled" in too_early.json()["detail"]
    filled = await post(city, f"{base}/filled", Role.OPD_HEAD, {"opd_code": OPD_HEAD_OPD})
    assert filled.status_code == 200, filled.text
    assert filled.json()["filled"] == [OPD_HEAD_OPD]
    not_theirs = await post(city, f"{base}/filled", Role.OPD_HEAD, {"opd_code": "DINKES"})
    assert not_theirs.status_code == 403
    assert (await post(city, f"{base}/compile", Role.ADMIN)).json()["stage"] == "compiled"
    assert (await post(city, f"{base}/approval", Role.ADMIN)).status_code == 403
    approved = await post(city, f"{base}/approval", Role.LEADERSHIP)
    assert approved.json()["stage"] == "approved", approved.text
    assessor = "asesor.kementerian"
    handed = await post(city, f"{base}/hand-over", Role.ADMIN, {"assessors": [assessor]})
    assert handed.json()["stage"] == "assessing"
    score = {"item_code": "OUT-1", "score": 80, "comment": "Perwal lengkap"}
    first = await post(city, f"{base}/scores", Role.ASSESSOR, score, key="nilai-1")
    retried = await post(city, f"{base}/scores", Role.ASSESSOR, score, key="nilai-1")
    assert (first.status_code, retried.status_code) == (200, 200), retried.text
    published = await post(city, f"{base}/publication", Role.ADMIN)
    assert published.json()["stage"] == "published", published.text
    assert published.json()["index"] == 16.0  # 80 x 20%
    year = city.app.state.store.app(EvaluationApplication).get_year(year_id)
    assert [s.score_id for s in year.items["OUT-1"].scores.values()] == [
        str(uuid.uuid5(uuid.UUID("0d6f1e52-3c1b-4f6e-9a57-2b8c4e7d1a90"), f"{assessor}/nilai-1"))
    ]
    state = await city.client.get(f"{V1}{base}", headers=city.auth(Role.ASSESSOR))
    assert state.json()["index"] == 16.0


async def test_a_year_never_started_has_no_process(engine: Engine) -> None:
    answer = await engine.client.get(
        f"{V1}/evaluations/{uuid.uuid4()}/process", headers=engine.auth(Role.ADMIN)
    )
    assert answer.status_code == 404


async def test_a_start_naming_an_unknown_item_is_refused_and_starts_nothing(
    engine: Engine,
) -> None:
    year_id = year_of(engine, 2031)
    base = f"/evaluations/{year_id}/process"
    body = {"assignments": [{"opd_code": OPD_HEAD_OPD, "item_codes": ["X-9"]}]}
    refused = await post(engine, base, Role.ADMIN, body)
    assert refused.status_code == 422
    assert "X-9" in refused.json()["detail"]
    answer = await engine.client.get(f"{V1}{base}", headers=engine.auth(Role.ADMIN))
    assert answer.status_code == 404
