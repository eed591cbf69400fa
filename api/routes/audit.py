"""Replaying history for auditors: events, states as of a moment, diffs, exports (read only)."""

from __future__ import annotations

import base64
import tempfile
import uuid
from collections.abc import Iterator
from datetime import UTC
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from temporalio.service import RPCError, RPCStatusCode

from api.deps import Allow
from api.policy import Caller
from api.problems import ProblemError
from api.schemas.audit import (
    MAX_POSITION,
    DayOrMoment,
    DiffOut,
    EventList,
    StateOut,
    TimeAxis,
    WorkflowHistoryOut,
)
from domain.shared import ValidationError
from infra.store import EventStore
from projections.audit import history as audit
from projections.audit.export import (
    MEDIA_TYPES,
    ExportFormat,
    csv_lines,
    exported_events,
    header,
    jsonl_lines,
    write,
)
from projections.audit.selection import Selection, end_of, start_of
from workflows.approval.inputs import approval_workflow_id

router = APIRouter(prefix="/audit", tags=["audit"])

Auditor = Annotated[Caller, Allow("audit:read")]
Time = Annotated[TimeAxis, Query(description="recorded: as entered; effective: as happened")]
FROM = "From this moment, or the start of this day (WIB)"
TO = "Until this moment, or the end of this day (WIB)"


def temporal_down(detail: str) -> ProblemError:
    """503 with Retry-After: Temporal did not answer; the event store still does."""
    return ProblemError(
        503, "temporal-unavailable", "Temporal cannot be reached", detail, {"Retry-After": "5"}
    )


def store_of(request: Request) -> EventStore:
    """The event store."""
    store: EventStore = request.app.state.store
    return store


def position_of(cursor: str) -> int:
    """The log position a cursor of this list points after; a broken cursor is a 422."""
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (ValueError, UnicodeDecodeError):
        text = ""
    if not text.isdigit() or len(text) > 19 or int(text) > MAX_POSITION:
        raise ProblemError(
            422, "invalid-cursor", "Not a valid cursor", "Start again from the first page."
        )
    return int(text)


def cursor_of(position: int) -> str:
    """The opaque cursor after ``position``."""
    return base64.urlsafe_b64encode(str(position).encode()).decode()


@router.get("/events")
def events(
    caller: Auditor,
    request: Request,
    cursor: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=40,
            pattern=r"^[A-Za-z0-9_-]+={0,2}$",
            description="The `next_cursor` of the page before; leave out for the first page",
        ),
    ] = None,
    after: Annotated[
        int | None,
        Query(
            ge=0,
            le=MAX_POSITION,
            deprecated=True,
            description="Deprecated: the log position to read after; use `cursor`",
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> EventList:
    """The whole log in order, a page at a time; pass ``next_cursor`` back as ``cursor``."""
    if cursor is not None and after is not None:
        raise ValidationError("cursor", "Give cursor or the older after, not both.")
    start = position_of(cursor) if cursor is not None else after or 0
    items = audit.events_after(store_of(request), start, limit)
    more = cursor_of(items[-1]["position"]) if len(items) == limit else None
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
    as_of: Annotated[
        DayOrMoment | None,
        Query(description="A moment with its time zone, or a day: the end of that day in WIB"),
    ] = None,
    time: Time = "recorded",
    version: Annotated[int | None, Query(ge=1, le=MAX_POSITION)] = None,
) -> StateOut:
    """A record as it stood at a moment (``as_of``: a moment, or a day's end) or after a version."""
    store = store_of(request)
    if as_of is not None and version is not None:
        raise ValidationError("as_of", "Give either as_of (a moment) or version, not both.")
    if version is not None:
        found = audit.state_at_version(store, aggregate_id, version)
        return StateOut(aggregate_id=str(aggregate_id), as_of=None, time=None, version=version,
                        state=found)  # fmt: skip
    if as_of is None:
        raise ValidationError("as_of", "Give as_of (a moment with a time zone) or version.")
    moment = end_of(as_of)
    found_as_of = audit.state_as_of(store, aggregate_id, moment, time)
    at = found_as_of["version"] if found_as_of else None
    return StateOut(
        aggregate_id=str(aggregate_id), as_of=moment.astimezone(UTC), time=time, version=at,
        state=found_as_of,
    )  # fmt: skip


@router.get("/aggregates/{aggregate_id}/diff")
def diff(
    aggregate_id: uuid.UUID,
    caller: Auditor,
    request: Request,
    start: Annotated[DayOrMoment, Query(alias="from", description=FROM)],
    end: Annotated[DayOrMoment, Query(alias="to", description=TO)],
    time: Time = "recorded",
) -> DiffOut:
    """What changed in a record between two moments, field by field, and the events between."""
    found = audit.diff(store_of(request), aggregate_id, start_of(start), end_of(end), time)
    return DiffOut(aggregate_id=str(aggregate_id), time=time, **found)


def xlsx_chunks(store: EventStore, selection: Selection) -> Iterator[bytes]:
    """The Excel export, written to a temporary file (memory first), then read out in chunks."""
    with tempfile.SpooledTemporaryFile(max_size=8 << 20) as spool:
        write(store, spool, "xlsx", selection)  # type: ignore[arg-type]
        spool.seek(0)
        while chunk := spool.read(1 << 16):
            yield chunk


@router.get("/export")
def export(
    caller: Auditor,
    request: Request,
    format: Annotated[ExportFormat, Query(description="jsonl, csv or xlsx")] = "jsonl",
    start: Annotated[DayOrMoment | None, Query(alias="from", description=FROM)] = None,
    end: Annotated[DayOrMoment | None, Query(alias="to", description=TO)] = None,
    recorded_from: Annotated[
        DayOrMoment | None, Query(description="Recorded from this day (WIB) or moment")
    ] = None,
    recorded_to: Annotated[
        DayOrMoment | None, Query(description="Recorded until this day (WIB) or moment")
    ] = None,
) -> StreamingResponse:
    """The log with what proves it (hashes, checkpoints): JSON lines, CSV or Excel.

    ``from``/``to`` select by effective time (when it happened), ``recorded_from``/
    ``recorded_to`` by recorded time; a day is the city's day (WIB). The file is the one
    ``jejak audit export`` writes, and the standalone verifier checks it.
    """
    store = store_of(request)
    selection = Selection.of(start, end, recorded_from, recorded_to)
    if format == "xlsx":
        body: Iterator[str] | Iterator[bytes] = xlsx_chunks(store, selection)
    else:
        lines = jsonl_lines if format == "jsonl" else csv_lines
        body = lines(header(store, selection), exported_events(store, selection))
    disposition = f'attachment; filename="jejak-audit.{format}"'
    return StreamingResponse(
        body, media_type=MEDIA_TYPES[format], headers={"Content-Disposition": disposition}
    )


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
