"""The evaluation's printable reports (PDF) and its year-over-year chart (SVG)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.problems import ProblemError
from api.routes.evaluation import Evaluations, Reader, RecordViews, record_figures
from domain.evaluation import YearResult
from domain.evaluation.rules import achievement_index
from projections.views.evaluation.chart import YearPoint, index_chart
from projections.views.evaluation.pdf import result_pdf, self_assessment_pdf
from projections.views.evaluation.queries import DimensionFigures

router = APIRouter(prefix="/evaluations", tags=["evaluation"])

PDF = "application/pdf"
SVG = "image/svg+xml"
#: The longest span of years one chart shows.
MAX_YEARS = 20
Render = Callable[[YearResult, dict[str, DimensionFigures]], bytes]


def _pdf(
    app: Evaluations, views: RecordViews, year_id: uuid.UUID, render: Render, what: str
) -> Response:
    result = app.result(year_id)
    content = render(result, record_figures(views, result))
    name = f"{what}-{result.year.city_code.lower()}-{result.year.year}.pdf"
    return Response(content, media_type=PDF,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip


@router.get(
    "/{year_id}/self-assessment.pdf",
    response_class=Response,
    responses={200: {"content": {PDF: {}}, "description": "The printable self-assessment"}},
)
def self_assessment(
    year_id: uuid.UUID, caller: Reader, app: Evaluations, views: RecordViews
) -> Response:
    """The self-assessment as a printable PDF (Bahasa Indonesia): items and their evidence."""
    return _pdf(app, views, year_id, self_assessment_pdf, "penilaian-mandiri")


@router.get(
    "/{year_id}/result.pdf",
    response_class=Response,
    responses={200: {"content": {PDF: {}}, "description": "The printable result"}},
)
def result(year_id: uuid.UUID, caller: Reader, app: Evaluations, views: RecordViews) -> Response:
    """The result as a printable PDF (Bahasa Indonesia): the index, scores and comments."""
    return _pdf(app, views, year_id, result_pdf, "hasil-evaluasi")


@router.get(
    "/chart.svg",
    response_class=Response,
    responses={200: {"content": {SVG: {}}, "description": "The chart"}},
)
def chart(
    caller: Reader,
    app: Evaluations,
    city_code: Annotated[str, Query(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")],
    first: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    last: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Response:
    """The index per dimension, year over year, as an SVG line chart (the last 6 years unless
    ``first`` and ``last`` say otherwise)."""
    last = last or date.today().year
    first = first or last - 5
    if not 0 <= last - first < MAX_YEARS:
        detail = f"Give a first year before the last, at most {MAX_YEARS} years."
        raise ProblemError(422, "invalid-years", "Those years cannot be charted", detail)
    points = []
    for year in app.years_of(city_code, first, last):
        results = year.results()
        index = (
            year.published_index if year.published_index is not None else achievement_index(results)
        )
        points.append(YearPoint(year.year, {r.dimension: r.score for r in results}, index))
    return Response(index_chart(city_code.upper(), points), media_type=SVG)
