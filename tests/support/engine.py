"""The whole engine for API tests: the app over the reference scenario, a real Temporal dev
server with a worker in this process, and the projection runner following the log."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from temporalio.client import WorkflowHandle
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from api.app import create_app
from api.auth import Role, dev_tokens, sign_dev_token
from domain.approvals.ladder import milestone_report_route
from domain.approvals.request import ApprovalRequest
from domain.organisation.application import OrganisationApplication
from domain.plan import Milestone
from infra.scenario import ScenarioApps, load_reference_scenario
from infra.temporal import temporal_plugins
from projections.engine.registry import all_views
from projections.engine.runner import ProjectionRunner
from tests.support.app import settings_for
from tests.support.city import City
from tests.support.polling import eventually
from tests.support.serving import served
from workflows import registry
from workflows.approval.inputs import ApprovalInput, approval_workflow_id
from workflows.approval.workflow import ApprovalWorkflow

V1 = "/api/v1"
E = TypeVar("E", bound="Engine")

__all__ = [
    "V1",
    "Engine",
    "approval_of",
    "board",
    "engine",
    "eventually",
    "head_of",
    "inbox_of",
    "open_step",
    "running",
    "started",
]


class Engine(City):
    """The reference city served over HTTP, with approvals running on Temporal."""

    temporal: WorkflowEnvironment
    task_queue: str
    started: list[WorkflowHandle[Any, Any]]

    def token_of(self, nip: str) -> dict[str, str]:
        """The Authorization header of the OPD head with ``nip``."""
        return {"Authorization": f"Bearer {sign_dev_token(self.settings, nip, Role.OPD_HEAD)}"}

    def last_position(self) -> int:
        """The newest position in the log."""
        return int(self.app.state.store.max_position())

    async def start_approval(self, milestone: Milestone) -> str:
        """Start the approval of a submitted milestone as the workflow starter does; its id."""
        request_id = str(ApprovalRequest.create_id("milestone-report", str(milestone.id)))
        route = milestone_report_route(has_budget=False, quick_win=False)
        approval = ApprovalInput(
            request_id=request_id,
            subject_kind="milestone-report",
            subject_id=str(milestone.id),
            title=milestone.title,
            owner_opd=milestone.owner_opd,
            submitted_by=milestone.submitted_by or "",
            route=[step.as_dict() for step in route],
            city_code=self.plan().get_plan(self.summary.plan_id).city_code,
        )
        handle = await self.temporal.client.start_workflow(
            ApprovalWorkflow.run,
            approval,
            id=approval_workflow_id(request_id),
            task_queue=self.task_queue,
        )
        self.started.append(handle)
        return request_id

    async def stop_approvals(self) -> None:
        """End the workflows this test started: the next test's store reuses their ids."""
        for handle in self.started:
            with contextlib.suppress(RPCError):
                await handle.terminate("test over")


async def approval_of(city: Engine, request_id: str) -> dict[str, Any]:
    """GET the approval as the secretariat ({} while the workflow has not yet created it)."""
    answer = await city.client.get(f"{V1}/approvals/{request_id}", headers=city.auth(Role.ADMIN))
    assert answer.status_code in (200, 404), answer.text
    body: dict[str, Any] = answer.json() if answer.status_code == 200 else {}
    return body


async def inbox_of(city: Engine, headers: dict[str, str], position: int) -> list[dict[str, Any]]:
    """The caller's inbox, once it includes ``position``."""
    answer = await city.client.get(f"{V1}/me/inbox?after_position={position}", headers=headers)
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


async def board(city: Engine, state: str, position: int) -> list[dict[str, Any]]:
    """The inspectorate's deadline board in ``state``, once it includes ``position``."""
    answer = await city.client.get(
        f"{V1}/deadlines?state={state}&within=10&after_position={position}",
        headers=city.auth(Role.INSPECTORATE),
    )
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


async def started(city: Engine) -> str:
    """Send the first submitted milestone for approval; its request id once step 1 is open."""
    milestone = city.plan().get_milestone(city.submitted_milestones()[0])
    request_id = await city.start_approval(milestone)
    await eventually(lambda: approval_of(city, request_id), lambda a: bool(a) and open_step(a) == 0)
    return request_id


def head_of(city: City, opd: str) -> str:
    """The NIP of the head of ``opd`` today."""
    term = city.app.state.store.app(OrganisationApplication).head_on(opd, date.today())
    assert term is not None
    return str(term.nip)


def open_step(approval: dict[str, Any]) -> int | None:
    """The index of the step open for decisions, if any."""
    current = approval["current_step"]
    return current if current is not None and approval["steps"][current]["is_open"] else None


@contextlib.asynccontextmanager
async def running(
    kind: type[E], tmp_path: Path, dev_env: WorkflowEnvironment, port: int | None = None
) -> AsyncIterator[E]:
    """The reference city's app, a worker polling its own task queue, and the read models
    following the log; served on ``port`` too when given (for a browser)."""
    task_queue = f"jejak-{uuid.uuid4().hex[:8]}"
    target = dev_env.client.service_client.config.target_host
    settings = settings_for(tmp_path, temporal_address=target, temporal_task_queue=task_queue)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        store = app.state.store
        summary = load_reference_scenario(ScenarioApps.of(store.app))
        runner = ProjectionRunner(store, all_views(), poll_interval=0.05)
        runner.prepare()
        runner.catch_up()
        runner.start()
        transport = httpx.ASGITransport(app=app)
        try:
            with ThreadPoolExecutor(8) as executor:
                worker = Worker(
                    dev_env.client,
                    task_queue=task_queue,
                    workflows=registry.workflows(),
                    activities=registry.activities(store),
                    activity_executor=executor,
                    # A worker built on a traced client inherits this; the shared one is not.
                    plugins=temporal_plugins(),
                )
                async with (
                    served(app, port) if port else contextlib.nullcontext(),
                    worker,
                    httpx.AsyncClient(transport=transport, base_url="http://jejak.test") as client,
                ):
                    found = kind(app, client, settings, dev_tokens(settings))
                    found.summary, found.temporal, found.task_queue = summary, dev_env, task_queue
                    found.started = []
                    try:
                        yield found
                    finally:
                        await found.stop_approvals()
        finally:
            runner.stop()


@pytest.fixture
async def engine(tmp_path: Path, dev_env: WorkflowEnvironment) -> AsyncIterator[Engine]:
    """The whole engine over the reference city, for one test."""
    async with running(Engine, tmp_path, dev_env) as found:
        yield found
