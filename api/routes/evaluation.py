"""The yearly evaluation: the secretariat prepares the package, assessors score it."""

from __future__ import annotations

import base64
import binascii
import io
import uuid
from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response

from api.deps import Allow, AppSettings, app_of, etag
from api.policy import Caller
from api.problems import ProblemError
from api.readmodels import Fresh
from api.routes.calendar import CityCheck
from api.schemas import CommandResult, links
from api.schemas.evaluation import (
    MAX_EVIDENCE_BYTES,
    AddItem,
    BaselineOut,
    CampaignImpactOut,
    ComputedOut,
    DimensionOut,
    DocumentEvidence,
    EvaluationOut,
    EvidenceOut,
    FigureOut,
    FileEvidence,
    ImpactOut,
    ItemOut,
    OpenYear,
    RecordFiguresOut,
    ScoreItem,
    ScoreOut,
    SetWeights,
)
from api.schemas.params import IdempotencyKeyHeader
from domain.evaluation import EvaluationApplication, Evidence, YearResult
from infra import evidence_files
from infra.evidence_files import EvidenceStore
from projections.engine.viewstore import ViewStore
from projections.views.evaluation.impact import ImpactFigures, impact_figures
from projections.views.evaluation.queries import DimensionFigures, dimension_figures
from projections.views.evaluation.report import write_report
from projections.views.evaluation.survey import SurveyView
from projections.views.evaluation.view import EvaluationRecordView

router = APIRouter(prefix="/evaluations", tags=["evaluation"])

Evaluations = Annotated[EvaluationApplication, Depends(app_of(EvaluationApplication))]
Preparer = Annotated[Caller, Allow("evaluation:prepare")]
Reader = Annotated[Caller, Allow("evaluation:read")]
RecordViews = Annotated[ViewStore, Fresh(EvaluationRecordView.name, SurveyView.name)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IdempotencyKey = IdempotencyKeyHeader
#: An item's code in a path, as it was added (any case).
ItemCode = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9._-]+$")]
#: Namespace of score ids derived from an Idempotency-Key, so a retry is the same score.
SCORE_NAMESPACE = uuid.UUID("0d6f1e52-3c1b-4f6e-9a57-2b8c4e7d1a90")


@router.post("", status_code=201, responses=links.EVALUATION_OPENED)
def open_year(
    body: OpenYear, caller: Preparer, app: Evaluations, served: CityCheck, response: Response
) -> CommandResult:
    """Open the evaluation of a year with its weights per dimension (together 100)."""
    served(body.city_code)
    year_id, position = app.open_year(
        city_code=body.city_code, year=body.year, weights=body.weights.as_dict(), by=caller.actor()
    )
    links.located(response, f"/evaluations/{year_id}")
    return CommandResult(position=position, id=str(year_id))


@router.put("/{year_id}/weights")
def set_weights(
    year_id: uuid.UUID, body: SetWeights, caller: Preparer, app: Evaluations
) -> CommandResult:
    """Set the year's weights anew (the published weight sets differ between years)."""
    position = app.set_weights(year_id, weights=body.weights.as_dict(), by=caller.actor())
    return CommandResult(position=position, id=str(year_id))


@router.post("/{year_id}/items", responses=links.ITEM_ADDED)
def add_item(
    year_id: uuid.UUID, body: AddItem, caller: Preparer, app: Evaluations
) -> CommandResult:
    """Add a criterion to one dimension of the year."""
    position = app.add_item(year_id, **body.model_dump(), by=caller.actor())
    return CommandResult(position=position, id=body.code.upper())


def evidence_store_of(request: Request, settings: AppSettings) -> EvidenceStore:
    """The evidence store ``JEJAK_EVIDENCE_URL`` names, built once per app (the S3 client)."""
    found: EvidenceStore | None = getattr(request.app.state, "evidence_store", None)
    if found is None:
        found = request.app.state.evidence_store = evidence_files.evidence_store(settings)
    return found


EvidenceFiles = Annotated[EvidenceStore, Depends(evidence_store_of)]


def evidence_of(body: DocumentEvidence | FileEvidence, files: EvidenceStore) -> Evidence:
    """The evidence to record; an uploaded file is kept in the evidence store first."""
    if isinstance(body, DocumentEvidence):
        return Evidence(str(uuid.uuid4()), "document", body.title, body.document_number,
                        body.document_date, body.link)  # fmt: skip
    try:
        content = base64.b64decode(body.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise ProblemError(422, "invalid-file", "The file could not be read",
                           "Send the file's content as base64.") from None  # fmt: skip
    if not content or len(content) > MAX_EVIDENCE_BYTES:
        raise ProblemError(422, "invalid-file", "The file is empty or too large",
                           f"A file is 1 byte to {MAX_EVIDENCE_BYTES} bytes.")  # fmt: skip
    kept = files.keep(content)
    return Evidence(kept.sha256, "file", body.title, sha256=kept.sha256, size=kept.size,
                    filename=body.filename)  # fmt: skip


@router.post("/{year_id}/items/{item_code}/evidence")
def attach_evidence(
    year_id: uuid.UUID,
    item_code: ItemCode,
    body: DocumentEvidence | FileEvidence,
    caller: Preparer,
    app: Evaluations,
    files: EvidenceFiles,
) -> CommandResult:
    """Attach a document (number, date, title, link) or an uploaded file to an item."""
    # An unknown year or item is refused before a file is kept for it.
    app.get_year(year_id).item(item_code)
    evidence = evidence_of(body, files)
    position = app.attach_evidence(
        year_id, item_code=item_code, evidence=evidence, by=caller.actor()
    )
    return CommandResult(position=position, id=evidence.evidence_id)


def score_id(caller: Caller, key: str | None) -> str:
    """The score's id: derived from the Idempotency-Key, so a retry is the same score."""
    if key is None:
        return str(uuid.uuid4())
    return str(uuid.uuid5(SCORE_NAMESPACE, f"{caller.user}/{key}"))


@router.post("/{year_id}/items/{item_code}/scores")
def score_item(
    year_id: uuid.UUID,
    item_code: ItemCode,
    body: ScoreItem,
    caller: Annotated[Caller, Allow("evaluation:score")],
    app: Evaluations,
    idempotency_key: IdempotencyKey = None,
) -> CommandResult:
    """Score an item once, with a comment; a retry with the same Idempotency-Key changes nothing."""
    the_id = score_id(caller, idempotency_key)
    position = app.score(year_id, score_id=the_id, item_code=item_code, score=body.score,
                         comment=body.comment, by=caller.actor())  # fmt: skip
    return CommandResult(position=position, id=the_id)


def computed_out(figures: DimensionFigures) -> ComputedOut:
    """A computed dimension in plain values."""
    return ComputedOut(
        score=figures.score,
        sources=list(figures.sources),
        aspects=[FigureOut.model_validate(asdict(a)) for a in figures.aspects],
        programs=[FigureOut.model_validate(asdict(p)) for p in figures.programs],
    )


def record_figures(views: ViewStore, result: YearResult) -> dict[str, DimensionFigures]:
    """Outcome and Quick Win of the year from the plan's record, Impact from the surveys."""
    city, year = result.year.city_code, result.year.year
    return {
        "outcome": dimension_figures(views, city, year, quick_win=False),
        "quick-win": dimension_figures(views, city, year, quick_win=True),
        "impact": impact_figures(views, city, year).as_dimension(),
    }


def impact_out(figures: ImpactFigures) -> ImpactOut:
    """The surveys' figures in plain values."""
    campaigns = [CampaignImpactOut.model_validate(asdict(c)) for c in figures.campaigns]
    return ImpactOut(responses=figures.responses, mean=figures.mean, score=figures.score,
                     distribution=figures.distribution, campaigns=campaigns)  # fmt: skip


def evaluation_out(
    result: YearResult, computed: dict[str, DimensionFigures], impact: ImpactFigures
) -> EvaluationOut:
    """The year's package: what was recorded, the index, and the figures of the record."""
    year = result.year
    previous = result.previous_source
    figures = RecordFiguresOut(
        baseline=BaselineOut(
            previous_index=result.previous_index,
            source_evaluation=previous[0] if previous else None,
            source_version=previous[1] if previous else None,
        ),
        outcome=computed_out(computed["outcome"]),
        quick_win=computed_out(computed["quick-win"]),
        impact=impact_out(impact),
    )
    items = [
        ItemOut(
            code=i.code, dimension=i.dimension, title=i.title,  # type: ignore[arg-type]
            description=i.description, final_score=i.final_score(),
            evidence=[EvidenceOut(**vars(e)) for e in i.evidence],
            scores=[ScoreOut(**{k: v for k, v in vars(s).items() if k != "item_code"})
                    for s in i.scores.values()],
        )
        for i in year.items.values()
    ]  # fmt: skip
    return EvaluationOut(
        id=str(year.id), version=year.version, city_code=year.city_code, year=year.year,
        weights=year.weights, items=items, index=result.index, complete=result.complete,
        dimensions=[DimensionOut(**vars(d), contribution=d.contribution)  # type: ignore[arg-type]
                    for d in result.dimensions],
        computed=figures,
    )  # fmt: skip


@router.get("/{year_id}")
def get_year(
    year_id: uuid.UUID,
    caller: Reader,
    app: Evaluations,
    views: RecordViews,
    response: Response,
) -> EvaluationOut:
    """The year's package: weights, items with evidence and scores, the index, and the
    Baseline, Outcome and Quick Win computed from the record, each with its sources."""
    result = app.result(year_id)
    response.headers["ETag"] = etag(result.year.version)
    impact = impact_figures(views, result.year.city_code, result.year.year)
    return evaluation_out(result, record_figures(views, result), impact)


@router.get(
    "/{year_id}/report.xlsx",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}, "description": "The workbook"}},
)
def excel_report(
    year_id: uuid.UUID, caller: Reader, app: Evaluations, views: RecordViews
) -> Response:
    """The evaluation as an Excel workbook (Bahasa Indonesia): a summary, a sheet per dimension."""
    result = app.result(year_id)
    handle = io.BytesIO()
    write_report(result, record_figures(views, result), handle)
    name = f"evaluasi-{result.year.city_code.lower()}-{result.year.year}.xlsx"
    return Response(
        handle.getvalue(),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
