"""Schemas of the yearly evaluation: weights, items, evidence, scores and the computed figures."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, Field

from api.schemas import RequestBody
from api.schemas.bounds import (
    NOT_BLANK,
    OPTIONAL_LINK,
    CityCode,
    Comment,
    Reason,
    Title,
    whole_number,
)
from api.schemas.dates import Day

Dimension = Literal["baseline", "output", "outcome", "impact", "quick-win"]
#: The largest file accepted as evidence (bytes, before base64).
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
#: Base64 as the server decodes it: groups of four, padded at the end.
BASE64_PATTERN = r"^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"
#: A year evaluated or surveyed (3 or 3.0, as JSON Schema's integer).
EvaluationYear = Annotated[
    int, Field(ge=2000, le=2100, examples=[2024]), BeforeValidator(whole_number)
]


class Weights(RequestBody):
    """The weight (percent) of each dimension; together 100."""

    baseline: float = Field(ge=0, le=100, allow_inf_nan=False, examples=[10])
    output: float = Field(ge=0, le=100, allow_inf_nan=False, examples=[20])
    outcome: float = Field(ge=0, le=100, allow_inf_nan=False, examples=[30])
    impact: float = Field(ge=0, le=100, allow_inf_nan=False, examples=[30])
    quick_win: float = Field(ge=0, le=100, allow_inf_nan=False, alias="quick-win", examples=[10])

    def as_dict(self) -> dict[str, float]:
        """The weights keyed by dimension."""
        return self.model_dump(by_alias=True)


class OpenYear(RequestBody):
    """Open the evaluation of a year with its weights."""

    city_code: CityCode
    year: EvaluationYear
    weights: Weights


class SetWeights(RequestBody):
    """Set the weights of the year anew."""

    weights: Weights


class AddItem(RequestBody):
    """A criterion of one dimension."""

    code: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9._-]+$", examples=["OUT-1"])
    dimension: Dimension
    title: Title
    description: Comment = ""


class DocumentEvidence(RequestBody):
    """A document by reference: its number, date, title and a link."""

    kind: Literal["document"]
    title: Title
    document_number: str = Field("", max_length=120, examples=["Perwal 12 Tahun 2023"])
    document_date: Day | None = None
    link: str = Field("", max_length=2000, pattern=OPTIONAL_LINK)


class FileEvidence(RequestBody):
    """An uploaded file, base64-encoded; the server keeps it and records its SHA-256."""

    kind: Literal["file"]
    title: Title
    filename: str = Field(min_length=1, max_length=200, pattern=r"^[^/\\\x00]+$")
    content_base64: str = Field(
        min_length=4, max_length=(MAX_EVIDENCE_BYTES * 4) // 3 + 4, pattern=BASE64_PATTERN
    )


class ScoreItem(RequestBody):
    """An assessor's score of one item (0 to 100) and the comment that explains it."""

    score: float = Field(ge=0, le=100, allow_inf_nan=False)
    comment: Reason


class EvidenceOut(BaseModel):
    """A piece of evidence as recorded."""

    evidence_id: str
    kind: str
    title: str
    document_number: str
    document_date: dt.date | None
    link: str
    sha256: str
    size: int
    filename: str
    added_by: str


class ScoreOut(BaseModel):
    """Who scored an item, how, why and when."""

    score_id: str
    assessor: str
    score: float
    comment: str
    scored_at: dt.datetime


class ItemOut(BaseModel):
    """An item with its evidence, its scores and its final score (the mean of the scores)."""

    code: str
    dimension: Dimension
    title: str
    description: str
    evidence: list[EvidenceOut]
    scores: list[ScoreOut]
    final_score: float | None


class DimensionOut(BaseModel):
    """A dimension's weight and score (mean of its scored items' final scores)."""

    dimension: Dimension
    weight: float
    items: int
    scored_items: int
    score: float | None
    contribution: float


class FigureOut(BaseModel):
    """A figure computed from the record, with the log positions it was computed from."""

    key: str
    score: float | None
    due: int
    achieved: int
    sources: list[int]


class ComputedOut(BaseModel):
    """A dimension computed from the plan's record, per aspect and per program."""

    score: float | None
    sources: list[int]
    aspects: list[FigureOut]
    programs: list[FigureOut]


class BaselineOut(BaseModel):
    """The previous year's index, and the evaluation and version it was computed from."""

    previous_index: float | None
    source_evaluation: str | None
    source_version: int | None


class CampaignImpactOut(BaseModel):
    """One survey of the year: respondents issued, responses, mean, distribution, position."""

    campaign_id: str
    campaign_code: str
    program: str
    respondents: int
    responses: int
    mean: float | None
    distribution: dict[int, int]
    position: int


class ImpactOut(BaseModel):
    """The year's surveys together; the score is the mean rating on 0-100, (mean - 1) / 4 x 100."""

    responses: int
    mean: float | None
    distribution: dict[int, int]
    score: float | None
    campaigns: list[CampaignImpactOut]


class RecordFiguresOut(BaseModel):
    """What Jejak computed from its own record for the assessors to verify."""

    baseline: BaselineOut
    outcome: ComputedOut
    quick_win: ComputedOut
    impact: ImpactOut | None = None


class EvaluationOut(BaseModel):
    """A year's evaluation package: weights, items, scores, the index and the record's figures."""

    id: str
    version: int
    city_code: str
    year: int
    weights: dict[str, float]
    items: list[ItemOut]
    dimensions: list[DimensionOut]
    index: float
    complete: bool
    computed: RecordFiguresOut


class OpenSurvey(RequestBody):
    """A citizens' survey of one program, with the number of respondent codes to issue."""

    city_code: CityCode
    campaign_code: str = Field(min_length=1, max_length=60, pattern=r"^[A-Za-z0-9._-]+$")
    year: EvaluationYear
    program: Title
    question: str = Field(min_length=1, max_length=1000, pattern=NOT_BLANK)
    respondents: Annotated[int, Field(ge=1, le=100_000), BeforeValidator(whole_number)]


class SurveyOpened(BaseModel):
    """The survey and its respondent codes: answered only now, the log keeps their SHA-256."""

    id: str
    position: int
    codes: list[str]


class SurveyAnswer(RequestBody):
    """A citizen's answer: the code received, a rating, a comment, maybe the kelurahan."""

    code: str = Field(min_length=4, max_length=64)
    rating: Annotated[int, Field(ge=1, le=5), BeforeValidator(whole_number)]
    comment: str = Field("", max_length=2000)
    kelurahan: str = Field("", max_length=100)


class SurveyCountsOut(BaseModel):
    """How many answered, the mean rating and how many gave each rating."""

    campaign_id: str
    responses: int
    mean: float | None
    distribution: dict[int, int]
