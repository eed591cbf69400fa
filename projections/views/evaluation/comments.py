"""What citizens wrote, and whether the secretariat let it be shown.

Feedback on a program (rating and comment) and the comments of survey answers land here as
``pending``; a moderation event makes them ``approved`` or ``rejected``. The queries show
approved ones only; the secretariat's queue lists the pending ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from projections.engine.aggregates import Feedback, SurveyResponse
from projections.engine.rows import insert, update, utc_text
from projections.engine.schema import Table
from projections.engine.topics import by_topic
from projections.engine.view import Recorded, View, ViewTx
from projections.engine.viewstore import ViewStore


def _row(recorded: Recorded, kind: str, subject_id: str, subject_code: str) -> dict[str, object]:
    e = recorded.event
    about = {"comment_id": str(e.originator_id), "kind": kind, "subject_id": subject_id}
    said = {"subject_code": subject_code, "rating": int(e.rating), "comment": e.comment}
    when = {"kelurahan": e.kelurahan, "submitted_at": utc_text(e.effective_at)}
    return about | said | when | {"status": "pending"}


def _feedback_given(tx: ViewTx, recorded: Recorded) -> None:
    e = recorded.event
    row = _row(recorded, "feedback", str(e.program_id), e.program_code)
    insert(tx, COMMENTS, row, unless="comment_id")


def _answered(tx: ViewTx, recorded: Recorded) -> None:
    if not recorded.event.comment:
        return  # nothing written, nothing to moderate
    row = _row(recorded, "survey", str(recorded.event.campaign_id), "")
    insert(tx, COMMENTS, row, unless="comment_id")


def _moderated(tx: ViewTx, recorded: Recorded) -> None:
    e = recorded.event
    update(tx, COMMENTS, {"comment_id": str(e.originator_id)}, status=e.decision)


COMMENTS = Table(
    "citizen_comments",
    "comment_id text, kind text, subject_id text, subject_code text, rating int, comment text, "
    "kelurahan text, status text, submitted_at text",
    key="comment_id",
    indexes=("subject_id", "status"),
)


class CommentsView(View, name="evaluation_comments", version=1, tables=(COMMENTS,)):
    """Citizens' feedback and survey comments with their moderation."""

    handlers = by_topic(
        {
            Feedback.Created: _feedback_given,
            Feedback.Moderated: _moderated,
            SurveyResponse.Created: _answered,
            SurveyResponse.CommentModerated: _moderated,
        }
    )


@dataclass(frozen=True)
class Comment:
    """One citizen's comment (with the rating given beside it)."""

    comment_id: str
    kind: str
    subject_id: str
    subject_code: str
    rating: int
    comment: str
    kelurahan: str
    status: str
    submitted_at: str


@dataclass(frozen=True)
class Ratings:
    """Approved ratings of a subject: how many, their mean and how many gave each rating."""

    count: int
    mean: float | None
    distribution: dict[int, int]


_COLUMNS = (
    "comment_id, kind, subject_id, subject_code, rating, comment, kelurahan, status, submitted_at"
)


def _comments(viewstore: ViewStore, where: str, params: list[object], limit: int) -> list[Comment]:
    table = viewstore.table(CommentsView.name, COMMENTS.name)
    rows = viewstore.query(
        f"SELECT {_COLUMNS} FROM {table} WHERE {where} ORDER BY submitted_at, comment_id LIMIT ?",
        [*params, limit],
    )
    return [
        Comment(str(r[0]), str(r[1]), str(r[2]), str(r[3]), int(r[4]), str(r[5]), str(r[6]),
                str(r[7]), str(r[8]))
        for r in rows
    ]  # fmt: skip


def shown(viewstore: ViewStore, subject_id: str, limit: int = 200) -> list[Comment]:
    """The approved comments of a program or a survey, oldest first."""
    return _comments(viewstore, "subject_id = ? AND status = 'approved'", [subject_id], limit)


def pending(viewstore: ViewStore, limit: int = 200) -> list[Comment]:
    """What awaits the secretariat's moderation, oldest first."""
    return _comments(viewstore, "status = 'pending'", [], limit)


def approved_ratings(viewstore: ViewStore, subject_id: str) -> Ratings:
    """The approved feedback's ratings of a program: count, mean, distribution."""
    table = viewstore.table(CommentsView.name, COMMENTS.name)
    rows = viewstore.query(
        f"SELECT rating, COUNT(*) FROM {table} WHERE subject_id = ? AND status = 'approved' "
        "AND kind = 'feedback' GROUP BY rating ORDER BY rating",
        (subject_id,),
    )
    distribution = {int(r): int(n) for r, n in rows}
    count = sum(distribution.values())
    mean = sum(r * n for r, n in distribution.items()) / count if count else None
    return Ratings(count, mean, distribution)
