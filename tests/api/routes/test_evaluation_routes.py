"""The evaluation over HTTP: the secretariat prepares the year, assessors score it once."""

from __future__ import annotations

import base64
import hashlib
import io
import math
from datetime import date
from typing import Any

import openpyxl

from api.auth import Role
from domain.plan import PlanApplication
from domain.shared import Actor
from infra import evidence_files
from tests.support.app import CITY, SECRETARIAT, Api
from tests.support.city import catch_up

FIRST = {"baseline": 10, "output": 20, "outcome": 30, "impact": 30, "quick-win": 10}
SECOND = {"baseline": 10, "output": 20, "outcome": 30, "impact": 20, "quick-win": 20}
KADIS = Actor("197505052000031002", "head")
#: Items per dimension and the two assessors' scores of each.
ITEMS = [
    ("B1", "baseline", 60, 70),
    ("O1", "output", 80, 90),
    ("O2", "output", 70, 70),
    ("C1", "outcome", 50, 60),
    ("I1", "impact", 90, 80),
    ("Q1", "quick-win", 40, 40),
]


async def post(api: Api, path: str, body: dict[str, Any], role: str = Role.ADMIN,
               key: str | None = None) -> Any:  # fmt: skip
    """POST as ``role`` (with an Idempotency-Key when given); the answer."""
    headers = {**api.auth(role), **({"Idempotency-Key": key} if key else {})}
    return await api.client.post(f"/api/v1{path}", json=body, headers=headers)


async def open_year(api: Api, weights: dict[str, int], year: int = 2024) -> str:
    """Open a year with its items, as the secretariat; its id."""
    answer = await post(api, "/evaluations", {"city_code": CITY, "year": year, "weights": weights})
    assert answer.status_code == 201, answer.text
    year_id: str = answer.json()["id"]
    assert answer.headers["Location"] == f"/api/v1/evaluations/{year_id}"
    for code, dimension, _, _ in ITEMS:
        body = {"code": code, "dimension": dimension, "title": f"Kriteria {code}"}
        assert (await post(api, f"/evaluations/{year_id}/items", body)).status_code == 200
    return year_id


async def score_all(api: Api, year_id: str) -> None:
    """Both assessors score every item."""
    for code, _, a, b in ITEMS:
        for role, score in ((Role.ASSESSOR, a), ("assessor-2", b)):
            body = {"score": score, "comment": "Sesuai bukti"}
            answer = await post(api, f"/evaluations/{year_id}/items/{code}/scores", body, role)
            assert answer.status_code == 200, answer.text


async def get_year(api: Api, year_id: str, role: str = Role.ADMIN) -> Any:
    """The year's package as ``role`` sees it, once the read models caught up."""
    catch_up(api)
    answer = await api.client.get(f"/api/v1/evaluations/{year_id}", headers=api.auth(role))
    assert answer.status_code == 200, answer.text
    return answer.json()


def second_assessor(api: Api) -> None:
    """A token for a second assessor."""
    from api.auth import sign_dev_token

    api.tokens["assessor-2"] = sign_dev_token(api.settings, "asesor.akademisi", Role.ASSESSOR)


async def test_index_over_http_equals_the_hand_computed_index_for_both_weight_sets(
    api: Api,
) -> None:
    second_assessor(api)
    year_id = await open_year(api, FIRST)
    await score_all(api, year_id)
    # By hand: baseline 65, output (85 + 70) / 2 = 77.5, outcome 55, impact 85, quick win 40.
    # (10*65 + 20*77.5 + 30*55 + 30*85 + 10*40) / 100 = 68.0
    found = await get_year(api, year_id, Role.ASSESSOR)
    assert [d["score"] for d in found["dimensions"]] == [65.0, 77.5, 55.0, 85.0, 40.0]
    assert math.isclose(found["index"], 68.0)
    assert found["complete"] is True
    # The second weight set: (10*65 + 20*77.5 + 30*55 + 20*85 + 20*40) / 100 = 63.5
    answer = await api.client.put(
        f"/api/v1/evaluations/{year_id}/weights",
        json={"weights": SECOND},
        headers=api.auth("admin"),
    )
    assert answer.status_code == 200, answer.text
    assert math.isclose((await get_year(api, year_id))["index"], 63.5)


async def test_weights_that_do_not_add_up_to_100_are_refused_and_change_nothing(
    api: Api,
) -> None:
    answer = await post(api, "/evaluations", {"city_code": CITY, "year": 2024,
                                              "weights": {**FIRST, "impact": 25}})  # fmt: skip
    assert answer.status_code == 422
    assert "add up to 95" in answer.json()["detail"]
    year_id = await open_year(api, FIRST)
    answer = await api.client.put(f"/api/v1/evaluations/{year_id}/weights",
                                  json={"weights": {**SECOND, "output": 30}},
                                  headers=api.auth(Role.ADMIN))  # fmt: skip
    assert answer.status_code == 422
    assert (await get_year(api, year_id))["weights"]["impact"] == 30


async def test_a_retried_score_is_recorded_once_and_a_second_score_is_a_409(api: Api) -> None:
    year_id = await open_year(api, FIRST)
    path, body = f"/evaluations/{year_id}/items/O1/scores", {"score": 80, "comment": "Ada Perwal"}
    first = await post(api, path, body, Role.ASSESSOR, key="score-o1")
    retry = await post(api, path, body, Role.ASSESSOR, key="score-o1")
    assert (first.status_code, retry.status_code) == (200, 200)
    assert first.json() == retry.json()
    again = await post(api, path, {"score": 95, "comment": "Lagi"}, Role.ASSESSOR, key="other")
    assert again.status_code == 409
    assert again.json()["type"].endswith("/already-scored")
    scores = [i["scores"] for i in (await get_year(api, year_id))["items"] if i["code"] == "O1"]
    assert [(s["assessor"], s["score"]) for s in scores[0]] == [("asesor.kementerian", 80.0)]


async def test_evidence_by_document_and_by_uploaded_file_kept_under_the_data_dir(
    api: Api,
) -> None:
    year_id = await open_year(api, FIRST)
    path = f"/evaluations/{year_id}/items/O1/evidence"
    document = {"kind": "document", "title": "Perwal Kota Cerdas", "document_number": "12/2023",
                "document_date": "2023-05-02", "link": "https://jdih.example/12"}  # fmt: skip
    assert (await post(api, path, document)).status_code == 200
    content = b"%PDF-1.4 SK Dewan Smart City"
    upload = {"kind": "file", "title": "SK Dewan", "filename": "sk-dewan.pdf",
              "content_base64": base64.b64encode(content).decode()}  # fmt: skip
    answer = await post(api, path, upload)
    digest = hashlib.sha256(content).hexdigest()
    assert (answer.status_code, answer.json()["id"]) == (200, digest)
    assert evidence_files.path_of(api.settings.data_dir, digest).read_bytes() == content
    item = (await get_year(api, year_id))["items"][1]
    assert [(e["kind"], e["sha256"], e["size"]) for e in item["evidence"]] == [
        ("document", "", 0),
        ("file", digest, len(content)),
    ]


async def test_outcome_and_quick_win_follow_an_approved_milestone_with_their_sources(
    api: Api,
) -> None:
    plans = api.app.state.store.app(PlanApplication)
    plan = plans.create_plan(city_code=CITY, city_name="Kota Pematang Siantar",
                             title="Masterplan", start_year=2024, by=SECRETARIAT)  # fmt: skip
    for code, quick_win in (("GOV-01", False), ("QW-01", True)):
        program = plans.add_program(plan.id, code=code, name=code, aspect="governance",
                                    owner_opd="DISKOMINFO", quick_win=quick_win,
                                    by=SECRETARIAT)  # fmt: skip
        milestone = plans.add_milestone(program.id, code="M1", title="Langkah",
                                        due_date=date(2024, 10, 31), by=SECRETARIAT)  # fmt: skip
        if code == "GOV-01":
            gov_milestone = milestone.id
    year_id = await open_year(api, FIRST)
    before = (await get_year(api, year_id))["computed"]
    assert (before["outcome"]["score"], before["quick_win"]["score"]) == (0.0, 0.0)

    plans.report_progress(gov_milestone, percent=100, by=KADIS)
    plans.submit_milestone(gov_milestone, by=KADIS)
    approval = plans.approve_milestone(gov_milestone, by=SECRETARIAT)
    after = (await get_year(api, year_id, Role.ASSESSOR))["computed"]
    assert (after["outcome"]["score"], after["quick_win"]["score"]) == (100.0, 0.0)
    assert approval in after["outcome"]["sources"]
    assert approval not in after["quick_win"]["sources"]
    assert after["outcome"]["programs"][0]["sources"] == after["outcome"]["sources"]
    assert after["baseline"]["previous_index"] is None


async def test_the_baseline_is_the_previous_years_index_over_http(api: Api) -> None:
    second_assessor(api)
    previous = await open_year(api, FIRST, year=2023)
    await score_all(api, previous)
    year_id = await open_year(api, SECOND, year=2024)
    baseline = (await get_year(api, year_id))["computed"]["baseline"]
    assert math.isclose(baseline["previous_index"], 68.0)
    assert (baseline["source_evaluation"], baseline["source_version"]) == (previous, 19)


async def test_the_excel_report_has_a_summary_and_a_sheet_per_dimension_without_formulas(
    api: Api,
) -> None:
    second_assessor(api)
    year_id = await open_year(api, FIRST)
    body = {"code": "O3", "dimension": "output", "title": '=HYPERLINK("http://x")'}
    assert (await post(api, f"/evaluations/{year_id}/items", body)).status_code == 200
    await score_all(api, year_id)
    catch_up(api)
    answer = await api.client.get(
        f"/api/v1/evaluations/{year_id}/report.xlsx", headers=api.auth(Role.ASSESSOR)
    )
    assert answer.status_code == 200, answer.text
    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    assert book.sheetnames == ["Ringkasan", "Baseline", "Output", "Outcome", "Impact", "Quick Win"]
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]
    assert {c.data_type for c in cells} <= {"s", "n"}
    summary = {row[0]: row[1:] for row in book["Ringkasan"].iter_rows(values_only=True) if row}
    # The index with O3 unscored: output is still (85 + 70) / 2, so 68.0 as computed by hand.
    assert math.isclose(summary["Indeks capaian"][0], 68.0)
    assert summary["Output"][:2] == (20, 77.5)
    titles = [row[1] for row in book["Output"].iter_rows(min_row=2, values_only=True)]
    assert '=HYPERLINK("http://x")' in titles


async def test_a_citizen_answers_a_survey_once_and_the_counts_show_no_comment(api: Api) -> None:
    body = {"city_code": CITY, "campaign_code": "SURVEI-2024-P1", "year": 2024,
            "program": "Siantar Smart Service", "question": "Puas?", "respondents": 2}  # fmt: skip
    opened = await post(api, "/surveys", body)
    assert opened.status_code == 201, opened.text
    survey, codes = opened.json()["id"], opened.json()["codes"]
    path = f"/surveys/{survey}/responses"
    answer = {"code": codes[0], "rating": 4, "comment": "Cepat", "kelurahan": "Bantan"}
    assert (await post(api, path, answer, Role.PUBLIC)).status_code == 200
    again = await post(api, path, {**answer, "rating": 1}, Role.PUBLIC)
    assert (again.status_code, again.json()["type"].split("/")[-1]) == (409, "already-answered")
    stranger = await post(api, path, {"code": "BUKANKODE", "rating": 5}, Role.PUBLIC)
    assert stranger.status_code == 409
    catch_up(api)
    counts = await api.client.get(f"/api/v1/surveys/{survey}/counts", headers=api.auth("admin"))
    assert counts.json() == {
        "campaign_id": survey, "responses": 1, "mean": 4.0, "distribution": {"4": 1},
    }  # fmt: skip


async def test_the_package_shows_the_years_survey_aggregates_in_impact(api: Api) -> None:
    year_id = await open_year(api, FIRST)
    body = {"city_code": CITY, "campaign_code": "SURVEI-IMPACT", "year": 2024,
            "program": "Siantar Smart Service", "question": "Puas?", "respondents": 3}  # fmt: skip
    opened = (await post(api, "/surveys", body)).json()
    for code, rating in zip(opened["codes"], (5, 3, 4), strict=True):
        answer = {"code": code, "rating": rating}
        assert (
            await post(api, f"/surveys/{opened['id']}/responses", answer, Role.PUBLIC)
        ).status_code == 200
    impact = (await get_year(api, year_id))["computed"]["impact"]
    assert (impact["responses"], impact["mean"], impact["score"]) == (3, 4.0, 75.0)
    assert impact["distribution"] == {"3": 1, "4": 1, "5": 1}
    (campaign,) = impact["campaigns"]
    assert (campaign["campaign_code"], campaign["respondents"]) == ("SURVEI-IMPACT", 3)
