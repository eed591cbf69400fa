"""Commitments: who must sign, who signed (how, when), who is missing, round by round.

Signatures are kept per signing round, so a renewed commitment starts with no signatures
and the earlier rounds stay readable. Queries live in ``projections.views.commitments.queries``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import ClassVar

from projections.engine.aggregates import Commitment
from projections.engine.rows import insert, update, utc_text
from projections.engine.topics import by_topic
from projections.engine.view import Handler, Recorded, View, ViewTx

OPEN, COMPLETE, WITHDRAWN = "open", "complete", "withdrawn"

SIGNATURE_COLUMNS = (
    "commitment_id",
    "round_number",
    "nip",
    "name",
    "signed_as",
    "opd_code",
    "media",
    "signed_at",
    "recorded_at",
    "recorded_by",
    "additional",
)


def _id(recorded: Recorded) -> str:
    return str(recorded.event.originator_id)


def _created(tx: ViewTx, recorded: Recorded) -> None:
    e = recorded.event
    deadline = e.signing_deadline.isoformat() if e.signing_deadline else None
    key = {"commitment_id": _id(recorded), "city_code": e.city_code, "slug": e.slug}
    text = {"title": e.title, "place": e.place, "legal_basis": e.legal_basis}
    signing = {"signing_date": e.date.isoformat(), "signing_deadline": deadline}
    state = {"round_number": 1, "status": OPEN, "completed_at": None, "withdrawn_reason": None}
    required = {"required": json.dumps(e.required_signatories)}
    insert(tx, "commitment_list", key | text | signing | state | required)


def _signed(tx: ViewTx, recorded: Recorded) -> None:
    e = recorded.event
    key = {"commitment_id": _id(recorded), "round_number": e.round_number, "nip": e.nip}
    who = {"name": e.name, "signed_as": e.signed_as, "opd_code": e.opd_code}
    how = {"media": json.dumps(list(e.media)), "signed_at": utc_text(e.signed_at)}
    how |= {"recorded_at": utc_text(e.timestamp), "recorded_by": e.actor}
    insert(tx, "commitment_signatures", key | who | how | {"additional": int(e.additional)})


def _medium_added(tx: ViewTx, recorded: Recorded) -> None:
    e, commitment_id = recorded.event, _id(recorded)
    table = tx.table("commitment_signatures")
    ((round_number, media),) = tx.query(
        f"SELECT s.round_number, s.media FROM {table} s "
        f"JOIN {tx.table('commitment_list')} c ON c.commitment_id = s.commitment_id "
        "AND c.round_number = s.round_number WHERE s.commitment_id = ? AND s.nip = ?",
        (commitment_id, e.nip),
    )
    tx.execute(
        f"UPDATE {table} SET media = ? WHERE commitment_id = ? AND round_number = ? AND nip = ?",
        (json.dumps([*json.loads(media), e.medium]), commitment_id, round_number, e.nip),
    )


def _update(tx: ViewTx, recorded: Recorded, changes: dict[str, object]) -> None:
    update(tx, "commitment_list", {"commitment_id": _id(recorded)}, **changes)


def _completed(tx: ViewTx, recorded: Recorded) -> None:
    completed_at = utc_text(recorded.event.effective_at)
    _update(tx, recorded, {"status": COMPLETE, "completed_at": completed_at})


def _withdrawn(tx: ViewTx, recorded: Recorded) -> None:
    _update(tx, recorded, {"status": WITHDRAWN, "withdrawn_reason": recorded.event.reason})


def _renewed(tx: ViewTx, recorded: Recorded) -> None:
    e = recorded.event
    deadline = e.signing_deadline.isoformat() if e.signing_deadline else None
    changes: dict[str, object] = {"round_number": e.round_number, "status": OPEN}
    changes |= {"completed_at": None, "signing_date": e.new_date.isoformat()}
    _update(tx, recorded, {**changes, "signing_deadline": deadline})


class CommitmentsView(View):
    """Each commitment with its required signatories and the signatures of each round."""

    name: ClassVar[str] = "commitments"
    version: ClassVar[int] = 1
    tables: ClassVar[dict[str, str]] = {
        "commitment_list": (
            "commitment_id {text} PRIMARY KEY, city_code {text} NOT NULL, slug {text} NOT NULL, "
            "title {text} NOT NULL, place {text} NOT NULL, legal_basis {text} NOT NULL, "
            "signing_date {text} NOT NULL, signing_deadline {text}, round_number {int} NOT NULL, "
            "status {text} NOT NULL, completed_at {text}, withdrawn_reason {text}, "
            "required {text} NOT NULL"
        ),
        "commitment_signatures": (
            "commitment_id {text} NOT NULL, round_number {int} NOT NULL, nip {text} NOT NULL, "
            "name {text} NOT NULL, signed_as {text} NOT NULL, opd_code {text}, "
            "media {text} NOT NULL, signed_at {text} NOT NULL, recorded_at {text} NOT NULL, "
            "recorded_by {text} NOT NULL, additional {int} NOT NULL, "
            "PRIMARY KEY (commitment_id, round_number, nip)"
        ),
    }
    indexes: ClassVar[dict[str, list[str]]] = {"commitment_list": ["city_code, slug"]}
    handlers: ClassVar[Mapping[str, Handler]] = by_topic(
        {
            Commitment.Created: _created,
            Commitment.Signed: _signed,
            Commitment.MediumAdded: _medium_added,
            Commitment.Completed: _completed,
            Commitment.Withdrawn: _withdrawn,
            Commitment.Renewed: _renewed,
        }
    )
