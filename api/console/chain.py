"""The hash chain as the audit page shows it: verified since the last signed checkpoint, and
the audit exports (the same files as ``/audit/export``) for a signed-in auditor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from api import policy
from api.console.routing import ConsoleRoute
from api.console.web import caller_of
from api.routes import audit as audit_routes
from infra.settings import Settings
from infra.store import EventStore
from projections.audit.checkpoints import latest_checkpoint
from projections.audit.export import ExportFormat
from projections.audit.rawlog import CheckpointRow
from projections.audit.verify import VerifyReport, verify
from workflows.approval.inputs import approval_workflow_id

router = APIRouter(route_class=ConsoleRoute)

#: The record kind whose history also lives in a Temporal workflow.
APPROVAL_KIND = "ApprovalRequest"


@dataclass(frozen=True)
class ChainStatus:
    """The chain recomputed from the last signed checkpoint (or from the start) to the head."""

    report: VerifyReport
    checkpoint: CheckpointRow | None


def chain_status(store: EventStore) -> ChainStatus:
    """Recompute the chain after the newest signed checkpoint, as the checkpointer does."""
    checkpoint = latest_checkpoint(store)
    return ChainStatus(verify(store, None, since=checkpoint), checkpoint)


def workflow_link(settings: Settings, kind: str, record: str) -> str | None:
    """The Temporal Web UI page of an approval's workflow; None without the setting."""
    if kind != APPROVAL_KIND or not settings.temporal_ui_url:
        return None
    workflow = quote(approval_workflow_id(record), safe="")
    namespace = quote(settings.temporal_namespace, safe="")
    return f"{settings.temporal_ui_url.rstrip('/')}/namespaces/{namespace}/workflows/{workflow}"


@router.get("/jejak/ekspor")
def export(
    request: Request, format: Annotated[ExportFormat, Query()] = "jsonl"
) -> StreamingResponse:
    """The whole log with its hashes and checkpoints: JSON lines, CSV or Excel."""
    caller = caller_of(request)
    policy.require(caller, "audit:read")
    return audit_routes.export(caller, request, format=format)
