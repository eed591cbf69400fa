"""GET /health: is every part of the stack up (event store, Temporal, worker, projections)."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from temporalio.api.enums.v1 import TaskQueueKind, TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client

from api.auth import Role
from infra.background_report import background_health
from infra.settings import Settings
from infra.store import EventStore
from infra.temporal import PROBE_TIMEOUT, is_reachable
from workflows import registry

router = APIRouter(tags=["health"])

Part = dict[str, Any]


async def event_store_part(store: EventStore) -> Part:
    """The store answers with its newest position."""
    try:
        position = await asyncio.to_thread(store.max_position)
    except Exception as exc:
        return {"ok": False, "error": str(exc)}
    return {"ok": True, "max_position": position}


async def has_workflow_pollers(client: Client, settings: Settings) -> bool:
    """True when some worker polls the task queue for workflow tasks."""
    answer = await client.workflow_service.describe_task_queue(
        DescribeTaskQueueRequest(
            namespace=settings.temporal_namespace,
            task_queue=TaskQueue(
                name=settings.temporal_task_queue, kind=TaskQueueKind.TASK_QUEUE_KIND_NORMAL
            ),
            task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        ),
        timeout=PROBE_TIMEOUT,
    )
    return len(answer.pollers) > 0


async def temporal_part(client: Client, settings: Settings) -> Part:
    """Temporal answers, and a worker polls (unless there is nothing to poll for yet)."""
    if not await is_reachable(client, settings.temporal_namespace):
        return {"ok": False, "reachable": False, "worker_polling": False}
    polling = await has_workflow_pollers(client, settings)
    part: Part = {"reachable": True, "worker_polling": polling}
    if not polling and not registry.workflows():
        part["note"] = "no workflows registered yet, so no worker polls"
        return {"ok": True, **part}
    return {"ok": polling, **part}


def projections_part(store: EventStore) -> Part:
    """What the projection runner says about itself, when it exists."""
    try:
        from projections.engine.runner import projection_health
    except ImportError:
        return {"ok": True, "available": False}
    answer: Part = dict(projection_health(store))
    return {"available": True, **answer, "ok": bool(answer.get("ok", True))}


def may_see_details(request: Request) -> bool:
    """Only the secretariat sees the parts' details (positions, errors of the store)."""
    principal = getattr(request.state, "principal", None)
    return principal is not None and principal.role == Role.ADMIN


@router.get("/health")
async def get_health(request: Request) -> JSONResponse:
    """Whether every part of Jejak works; 503 names the failing parts (details: admins)."""
    state = request.app.state
    parts = {
        "event_store": await event_store_part(state.store),
        "temporal": await temporal_part(state.temporal, state.settings),
        "projections": await asyncio.to_thread(projections_part, state.store),
        "background": await asyncio.to_thread(background_health, state.store),
    }
    failing = [name for name, part in parts.items() if not part["ok"]]
    body: Part = {"status": "degraded" if failing else "ok"}
    if may_see_details(request):
        body["parts"] = parts
    if failing:
        body["failing"] = failing
    return JSONResponse(body, status_code=503 if failing else 200)
