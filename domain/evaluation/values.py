"""The values an evaluation year is made of: items, evidence and assessors' scores."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class Evidence:
    """A document (number, date, title, link) or an uploaded file (SHA-256, size, name)."""

    evidence_id: str
    kind: str
    title: str
    document_number: str = ""
    document_date: date | None = None
    link: str = ""
    sha256: str = ""
    size: int = 0
    filename: str = ""
    added_by: str = ""


@dataclass(frozen=True)
class Score:
    """One assessor's score of one item, with the comment that explains it."""

    score_id: str
    item_code: str
    assessor: str
    score: float
    comment: str
    scored_at: datetime


@dataclass
class Item:
    """A criterion of one dimension, the evidence for it and the scores it got."""

    code: str
    dimension: str
    title: str
    description: str
    evidence: list[Evidence] = field(default_factory=list)
    scores: dict[str, Score] = field(default_factory=dict)  # assessor -> score

    def final_score(self) -> float | None:
        """The mean of its assessors' scores, or None while nobody scored it."""
        values = [s.score for s in self.scores.values()]
        return sum(values) / len(values) if values else None
