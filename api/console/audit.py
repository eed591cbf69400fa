"""Jejak audit: one record's plain-words timeline, its state on a day, changes between days."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api import policy
from api.console.chain import chain_status, workflow_link
from api.console.routing import ConsoleRoute
from api.console.web import caller_of, overviews, render
from api.deps import get_store
from api.problems import ProblemError
from api.schemas.audit import TimeAxis
from domain.shared import NotFoundError
from projections.audit import history as audit
from projections.audit.selection import end_of
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


def day_asked(request: Request, name: str) -> date | None:
    """A day the form asks about (YYYY-MM-DD); a clear 422 when it is not one."""
    text = request.query_params.get(name, "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ProblemError(
            422, "invalid-day", "Not a date", "Give the day as a date, e.g. 2023-10-18."
        ) from None


def axis_asked(request: Request) -> TimeAxis:
    """Recorded time (as entered) or effective time (as happened)."""
    return "effective" if request.query_params.get("waktu") == "effective" else "recorded"


@router.get("/jejak/{aggregate_id}", response_class=HTMLResponse)
def timeline_page(request: Request, aggregate_id: uuid.UUID) -> HTMLResponse:
    """The record's events, its state on a day, what changed between two days, the chain."""
    caller = caller_of(request)
    policy.require(caller, "audit:read")
    store = get_store(request)
    events = audit.history(store, aggregate_id)
    if not events:
        raise NotFoundError("Nothing was recorded under this id.")
    said = sentences(request, aggregate_id)
    lines = [line(event, said) for event in events]
    kind, record = str(events[0]["aggregate_kind"]), str(aggregate_id)
    on, start, end, time = (
        day_asked(request, "pada"), day_asked(request, "dari"), day_asked(request, "sampai"),
        axis_asked(request),
    )  # fmt: skip
    if start and end and start > end:
        raise ProblemError(
            422, "days-reversed", "Days reversed", "The first day must not be after the second."
        )
    state = audit.state_as_of(store, aggregate_id, end_of(on), time) if on else None
    changes = (
        audit.diff(store, aggregate_id, end_of(start), end_of(end), time) if start and end else None
    )
    return render(
        request, "audit.html", caller=caller, lines=lines, kind=kind, record=record,
        on=on, start=start, end=end, time=time, state=state, changes=changes,
        chain=chain_status(store),
        workflow=workflow_link(request.app.state.settings, kind, record),
    )  # fmt: skip
