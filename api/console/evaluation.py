"""Evaluasi: the year's evaluation, its reports and chart, and the feedback to moderate."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from pydantic import ValidationError

from api import policy
from api.console.routing import ConsoleRoute
from api.console.web import caller_of, checked_form, go, overviews, render
from api.deps import app_of, today
from api.policy import Caller
from api.problems import ProblemError
from api.routes import evaluation as evaluation_routes
from api.routes import evaluation_feedback, evaluation_reports
from api.routes.calendar import City
from api.schemas.evaluation_citizens import Moderate
from domain.evaluation import EvaluationApplication, EvaluationYear, YearResult
from domain.evaluation.process import ORDER
from projections.engine.viewstore import ViewStore
from projections.views.evaluation.comments import Comment, CommentsView, pending
from projections.views.evaluation.impact import ImpactFigures, impact_figures
from projections.views.evaluation.queries import DimensionFigures
from projections.views.evaluation.survey import SurveyView
from projections.views.evaluation.view import EvaluationRecordView

router = APIRouter(route_class=ConsoleRoute)

Evaluations = Annotated[EvaluationApplication, Depends(app_of(EvaluationApplication))]
#: Seconds the page waits for one's own moderation to reach the read models.
WAIT_SECONDS = 5.0
#: The years back the page looks for the latest evaluation when none is asked for.
YEARS_BACK = 10
#: The files the page offers, by their name under /konsol/evaluasi/{id}/.
Download = Literal["laporan.xlsx", "penilaian-mandiri.pdf", "hasil-evaluasi.pdf"]


@dataclass(frozen=True)
class Shown:
    """What the page shows of one year: the result, the computed figures, the surveys."""

    result: YearResult
    computed: dict[str, DimensionFigures]
    impact: ImpactFigures

    @property
    def year(self) -> EvaluationYear:
        """The evaluation year itself."""
        return self.result.year


def record_views(request: Request) -> ViewStore:
    """The read models the evaluation's figures come from, once built (else 503)."""
    return overviews(request, EvaluationRecordView.name, SurveyView.name)


def chosen_year(app: EvaluationApplication, city: str, year: int | None) -> EvaluationYear | None:
    """The year asked for, else the latest the city opened (None when there is none)."""
    if year is not None:
        return app.find_year(city, year)
    last = today().year + 1
    found = app.years_of(city, last - YEARS_BACK, last)
    return found[-1] if found else None


def chart_of(caller: Caller, app: EvaluationApplication, city: str, year: int) -> Markup:
    """The year-over-year chart up to ``year``, as the API draws it, to inline in the page."""
    drawn = evaluation_reports.chart(caller, app, city_code=city, first=None, last=year)
    # The SVG is built by ElementTree from numbers and escaped texts: safe to inline.
    return Markup(bytes(drawn.body).decode())  # noqa: S704


def feedback_waiting(request: Request, caller: Caller, after: int | None) -> list[Comment] | None:
    """The comments awaiting moderation, for those who moderate (None for the others), once
    the read model includes the position ``after`` (one's own last decision) when given."""
    if policy.scope_of(caller.role, "feedback:moderate") is None:
        return None
    views = overviews(request, CommentsView.name)
    if after is not None:
        views.wait_for([CommentsView.name], after, WAIT_SECONDS)
    return pending(views)


@router.get("/evaluasi", response_class=HTMLResponse)
def evaluation_page(
    request: Request,
    app: Evaluations,
    city: City,
    tahun: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    setelah: Annotated[int | None, Query(ge=0)] = None,
) -> HTMLResponse:
    """Evaluasi: dimensions, weights, computed figures, index, stage, reports and chart."""
    caller = caller_of(request)
    policy.require(caller, "evaluation:read")
    year = chosen_year(app, city, tahun)
    shown = chart = None
    if year is not None:
        views = record_views(request)
        result = app.result(year.id)
        shown = Shown(
            result,
            evaluation_routes.record_figures(views, result),
            impact_figures(views, year.city_code, year.year),
        )
        chart = chart_of(caller, app, year.city_code, year.year)
    return render(
        request, "evaluation.html", caller=caller, shown=shown, chart=chart, asked=tahun,
        stages=[str(s) for s in ORDER], waiting=feedback_waiting(request, caller, setelah),
    )  # fmt: skip


@router.get("/evaluasi/{year_id}/{name}")
def evaluation_download(
    request: Request, year_id: uuid.UUID, name: Download, app: Evaluations
) -> Response:
    """The year's Excel workbook or one of its printable PDFs, as the API serves them."""
    caller = caller_of(request)
    policy.require(caller, "evaluation:read")
    views = record_views(request)
    if name == "laporan.xlsx":
        return evaluation_routes.excel_report(year_id, caller, app, views)
    if name == "penilaian-mandiri.pdf":
        return evaluation_reports.self_assessment(year_id, caller, app, views)
    return evaluation_reports.result(year_id, caller, app, views)


@router.post("/evaluasi/umpan-balik/{comment_id}")
async def moderate(request: Request, comment_id: uuid.UUID, app: Evaluations) -> Response:
    """Approve or reject a comment, through the API's own moderation command."""
    caller = caller_of(request)
    form = await checked_form(request)
    policy.require(caller, "feedback:moderate")
    try:
        body = Moderate.model_validate(
            {"decision": form.get("decision", ""), "reason": form.get("reason", "")}
        )
    except ValidationError:
        detail = "Approve or reject; a reason is at most 500 characters."
        raise ProblemError(422, "decision-needed", "Choose a decision", detail) from None
    done = evaluation_feedback.moderate(comment_id, body, caller, app)
    return go(f"/evaluasi?setelah={done.position}")
