"""Replaying history for auditors: events, states as of a moment, diffs, exports (read only)."""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from temporalio.service import RPCError, RPCStatusCode

from api.deps import Allow
from api.policy import Caller
from api.problems import ProblemError
from api.schemas.audit import DiffOut, EventList, StateOut, TimeAxis, WorkflowHistoryOut
from api.schemas.dates import IsoDay, Moment
from domain.shared import ValidationError
from infra.store import EventStore
from projections.audit import history as audit
from projections.audit.export import COLUMNS, exported_events, header
from workflows.approval import approval_workflow_id

router = APIRouter(prefix="/audit", tags=["audit"])

Auditor = Annotated[Caller, Allow("audit:read")]
Time = Annotated[TimeAxis, Query(description="recorded: as entered; effective: as happened")]


def temporal_down(detail: str) -> ProblemError:
    """503 with Retry-After: Temporal did not answer; the event store still does."""
    return ProblemError(
        503, "temporal-unavailable", "Temporal cannot be reached", detail, {"Retry-After": "5"}
    )


def store_of(request: Request) -> EventStore:
    """The event store."""
    store: EventStore = request.app.state.store
    return store


@router.get("/events")
def events(
    caller: Auditor,
    request: Request,
    after: Annotated[int, Query(ge=0, description="The log position to read after")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> EventList:
    """The whole log in order, a page at a time; pass ``next_cursor`` back as ``after``."""
    items = audit.events_after(store_of(request), after, limit)
    more = str(items[-1]["position"]) if len(items) == limit else None
    return EventList(items=items, next_cursor=more)


@router.get("/aggregates/{aggregate_id}/events")
def aggregate_events(aggregate_id: uuid.UUID, caller: Auditor, request: Request) -> EventList:
    """Every event of one record, oldest first, with who, when and the chain hash."""
    return EventList(items=audit.history(store_of(request), aggregate_id))


@router.get("/aggregates/{aggregate_id}/state")
def state(
    aggregate_id: uuid.UUID,
    caller: Auditor,
    request: Request,
    as_of: Annotated[Moment | None, Query(description="A moment with its time zone")] = None,
    time: Time = "recorded",
    version: Annotated[int | None, Query(ge=1)] = None,
) -> StateOut:
    """A record as it stood at a moment (``as_of``, with a time zone) or after a version."""
    store = store_of(request)
    if as_of is not None and version is not None:
        raise ValidationError("as_of", "Give either as_of (a moment) or version, not both.")
    if version is not None:
        found = audit.state_at_version(store, aggregate_id, version)
        return StateOut(aggregate_id=str(aggregate_id), as_of=None, time=None, version=version,
                        state=found)  # fmt: skip
    if as_of is None:
        raise ValidationError("as_of", "Give as_of (a moment with a time zone) or version.")
    found_as_of = audit.state_as_of(store, aggregate_id, as_of, time)
    at = found_as_of["version"] if found_as_of else None
    return StateOut(
        aggregate_id=str(aggregate_id), as_of=as_of, time=time, version=at, state=found_as_of
    )


@router.get("/aggregates/{aggregate_id}/diff")
def diff(
    aggregate_id: uuid.UUID,
    caller: Auditor,
    request: Request,
    start: Annotated[Moment, Query(alias="from")],
    end: Annotated[Moment, Query(alias="to")],
    time: Time = "recorded",
) -> DiffOut:
    """What changed in a record between two moments, field by field, and the events between."""
    found = audit.diff(store_of(request), aggregate_id, start, end, time)
    return DiffOut(aggregate_id=str(aggregate_id), time=time, **found)


def jsonl(store: EventStore, start: date | None, end: date | None) -> Iterator[str]:
    """The export as JSON lines: a header, then one event per line."""
    yield json.dumps(header(store), sort_keys=True) + "\n"
    for entry in exported_events(store, start, end):
        yield json.dumps({"record": "event", **entry}, sort_keys=True) + "\n"


def csv_lines(store: EventStore, start: date | None, end: date | None) -> Iterator[str]:
    """The export as CSV: a header row, then one event per row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(row: list[Any]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        return buffer.getvalue()

    yield line(list(COLUMNS))
    for entry in exported_events(store, start, end):
        cells = [
            json.dumps(entry[c], sort_keys=True) if c == "payload" else entry[c] for c in COLUMNS
        ]
        yield line(cells)


@router.get("/export")
def export(
    caller: Auditor,
    request: Request,
    format: Literal["jsonl", "csv"] = "jsonl",
    start: Annotated[IsoDay | None, Query(alias="from")] = None,
    end: Annotated[IsoDay | None, Query(alias="to")] = None,
) -> StreamingResponse:
    """The log with what proves it (hashes, checkpoints), streamed as JSON lines or CSV."""
    store = store_of(request)
    lines = jsonl(store, start, end) if format == "jsonl" else csv_lines(store, start, end)
    media = "application/jsonl" if format == "jsonl" else "text/csv"
    disposition = f'attachment; filename="jejak-audit.{format}"'
    return StreamingResponse(lines, media_type=media, headers={"Content-Disposition": disposition})


async def retention_words(request: Request) -> str:
    """How long the namespace keeps finished workflows, in words (best effort)."""
    from temporalio.api.workflowservice.v1 import DescribeNamespaceRequest

    namespace = request.app.state.settings.temporal_namespace
    try:
        found = await request.app.state.temporal.workflow_service.describe_namespace(
            DescribeNamespaceRequest(namespace=namespace)
        )
        days = found.config.workflow_execution_retention_ttl.ToTimedelta().days
    except Exception:  # the retention only adds to the explanation
        return f"the retention period of namespace '{namespace}'"
    return f"namespace '{namespace}' keeps finished workflows {days} day{'' if days == 1 else 's'}"


@router.get("/approvals/{request_id}/workflow-history")
async def workflow_history(
    request_id: uuid.UUID, caller: Auditor, request: Request
) -> WorkflowHistoryOut:
    """Temporal's own history of an approval's workflow, while Temporal still keeps it."""
    workflow_id = approval_workflow_id(str(request_id))
    handle = request.app.state.temporal.get_workflow_handle(workflow_id)
    try:
        history = await handle.fetch_history()
    except RPCError as error:
        if error.status != RPCStatusCode.NOT_FOUND:
            raise temporal_down("Temporal did not answer; try again shortly.") from None
        kept = await retention_words(request)
        raise ProblemError(
            404,
            "workflow-history-gone",
            "Temporal no longer has this workflow",
            f"Temporal has no history of {workflow_id} ({kept}). The event store is the"
            f" permanent record: read /api/v1/audit/aggregates/{request_id}/events.",
        ) from None
    except RuntimeError:  # the lazy client could not connect
        raise temporal_down("Temporal cannot be reached; try again shortly.") from None
    return WorkflowHistoryOut(workflow_id=workflow_id, history=history.to_json_dict())
