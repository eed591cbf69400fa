"""Commitments: who must sign, who signed (how, when), who is missing, round by round.

Signatures are kept per signing round, so a renewed commitment starts with no signatures
and the earlier rounds stay readable. Queries live in ``projections.views.commitments.queries``.
"""

from __future__ import annotations

import json

from projections.engine.aggregates import Commitment
from projections.engine.rows import insert, update, utc_text
from projections.engine.schema import Table
from projections.engine.topics import by_topic
from projections.engine.view import Recorded, View, ViewTx

OPEN, COMPLETE, WITHDRAWN = "open", "complete", "withdrawn"

COMMITMENTS = Table(
    "commitment_list",
    "commitment_id text, city_code text, slug text, title text, place text, legal_basis text, "
    "signing_date text, signing_deadline text?, round_number int, status text, "
    "completed_at text?, withdrawn_reason text?, required text",
    key="commitment_id",
    indexes=("city_code, slug",),
)
SIGNATURES = Table(
    "commitment_signatures",
    "commitment_id text, round_number int, nip text, name text, signed_as text, opd_code text?, "
    "media text, signed_at text, recorded_at text, recorded_by text, additional int",
    key="commitment_id, round_number, nip",
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
    insert(tx, COMMITMENTS, key | text | signing | state | required)


def _signed(tx: ViewTx, recorded: Recorded) -> None:
    e = recorded.event
    key = {"commitment_id": _id(recorded), "round_number": e.round_number, "nip": e.nip}
    who = {"name": e.name, "signed_as": e.signed_as, "opd_code": e.opd_code}
    how = {"media": json.dumps(list(e.media)), "signed_at": utc_text(e.signed_at)}
    how |= {"recorded_at": utc_text(e.timestamp), "recorded_by": e.actor}
    insert(tx, SIGNATURES, key | who | how | {"additional": int(e.additional)})


def _medium_added(tx: ViewTx, recorded: Recorded) -> None:
    e, commitment_id = recorded.event, _id(recorded)
    table = tx.table(SIGNATURES)
    ((round_number, media),) = tx.query(
        f"SELECT s.round_number, s.media FROM {table} s "
        f"JOIN {tx.table(COMMITMENTS)} c ON c.commitment_id = s.commitment_id "
        "AND c.round_number = s.round_number WHERE s.commitment_id = ? AND s.nip = ?",
        (commitment_id, e.nip),
    )
    tx.execute(
        f"UPDATE {table} SET media = ? WHERE commitment_id = ? AND round_number = ? AND nip = ?",
        (json.dumps([*json.loads(media), e.medium]), commitment_id, round_number, e.nip),
    )


def _update(tx: ViewTx, recorded: Recorded, changes: dict[str, object]) -> None:
    update(tx, COMMITMENTS, {"commitment_id": _id(recorded)}, **changes)


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


class CommitmentsView(View, name="commitments", version=1, tables=(COMMITMENTS, SIGNATURES)):
    """Each commitment with its required signatories and the signatures of each round."""

    handlers = by_topic(
        {
            Commitment.Created: _created,
            Commitment.Signed: _signed,
            Commitment.MediumAdded: _medium_added,
            Commitment.Completed: _completed,
            Commitment.Withdrawn: _withdrawn,
            Commitment.Renewed: _renewed,
        }
    )
