"""Jejak audit: the plain-words timeline of one record, with each event's chain hash."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api import policy
from api.console.routing import ConsoleRoute
from api.console.web import caller_of, overviews, render
from api.deps import get_store
from domain.shared import NotFoundError
from projections.audit import history as audit
from projections.views.timeline.view import TimelineView

router = APIRouter(route_class=ConsoleRoute)


@dataclass(frozen=True)
class Line:
    """One event of the record: when, who, what in plain words, and its hash in the chain."""

    position: int
    effective_at: datetime | None
    actor: str
    capacity: str
    event_type: str
    sentence: str
    chain_hash: str | None


def sentences(request: Request, aggregate_id: uuid.UUID) -> dict[int, str]:
    """The timeline view's plain-words sentence of each event of the record, by position."""
    views = overviews(request, TimelineView.name)
    table = views.table(TimelineView.name, "timeline")
    rows = views.query(
        f"SELECT position, sentence FROM {table} WHERE aggregate_id = ? ORDER BY position",
        (str(aggregate_id),),
    )
    return {int(position): str(sentence) for position, sentence in rows}


def line(event: dict[str, Any], said: dict[int, str]) -> Line:
    """One event of ``audit.history`` as a line of the page."""
    effective = event.get("effective_at") or event.get("recorded_at")
    return Line(
        position=int(event["position"]),
        effective_at=datetime.fromisoformat(effective) if effective else None,
        actor=str(event.get("actor") or ""),
        capacity=str(event.get("capacity") or ""),
        event_type=str(event["event_type"]),
        sentence=said.get(int(event["position"]), ""),
        chain_hash=event.get("hash"),
    )


@router.get("/jejak/{aggregate_id}", response_class=HTMLResponse)
def timeline_page(request: Request, aggregate_id: uuid.UUID) -> HTMLResponse:
    """The record's events, oldest first, as ``/audit/aggregates/{id}/events`` lists them."""
    caller = caller_of(request)
    policy.require(caller, "audit:read")
    events = audit.history(get_store(request), aggregate_id)
    if not events:
        raise NotFoundError("Nothing was recorded under this id.")
    said = sentences(request, aggregate_id)
    lines = [line(event, said) for event in events]
    kind = str(events[0]["aggregate_kind"])
    return render(
        request, "audit.html", caller=caller, lines=lines, kind=kind, record=str(aggregate_id)
    )
