"""The evaluation's PDF reports and its year-over-year chart over HTTP."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pypdfium2 as pdfium

from api.auth import Role
from tests.api.routes.test_evaluation_routes import (
    FIRST,
    SECOND,
    open_year,
    score_all,
    second_assessor,
)
from tests.support.app import CITY, Api
from tests.support.city import catch_up


async def test_both_pdf_reports_download_with_a_page_per_dimension(api: Api) -> None:
    second_assessor(api)
    year_id = await open_year(api, FIRST)
    await score_all(api, year_id)
    catch_up(api)
    for name, title in (("self-assessment", "Penilaian Mandiri"), ("result", "Hasil Evaluasi")):
        answer = await api.client.get(
            f"/api/v1/evaluations/{year_id}/{name}.pdf", headers=api.auth(Role.ASSESSOR)
        )
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"] == "application/pdf"
        assert answer.headers["content-disposition"].endswith('-siantar-2024.pdf"')
        document = pdfium.PdfDocument(answer.content)
        assert len(document) == 6
        assert title in document[0].get_textpage().get_text_range()


async def test_unknown_year_has_no_report(api: Api) -> None:
    catch_up(api)
    answer = await api.client.get(
        "/api/v1/evaluations/00000000-0000-0000-0000-000000000000/result.pdf",
        headers=api.auth(Role.ADMIN),
    )
    assert answer.status_code == 404


async def test_chart_draws_each_year_opened_with_its_index(api: Api) -> None:
    second_assessor(api)
    for year, weights in ((2023, FIRST), (2024, SECOND)):
        await score_all(api, await open_year(api, weights, year))
    answer = await api.client.get(
        f"/api/v1/evaluations/chart.svg?city_code={CITY}&first=2022&last=2024",
        headers=api.auth(Role.LEADERSHIP),
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("image/svg+xml")
    svg = ET.fromstring(answer.text)
    texts = {t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")}
    assert {"2023", "2024"} <= texts
    assert "2022" not in texts
    index = [g for g in svg.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "line index"]
    assert len(index[0].findall("{http://www.w3.org/2000/svg}circle")) == 2


async def test_chart_refuses_a_span_that_runs_backwards(api: Api) -> None:
    answer = await api.client.get(
        f"/api/v1/evaluations/chart.svg?city_code={CITY}&first=2024&last=2020",
        headers=api.auth(Role.ADMIN),
    )
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
