"""Building evaluation years for workflow tests: a year with items, a worker, what was recorded."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from temporalio.client import Client, WorkflowHandle
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from domain.evaluation import EvaluationApplication, Evidence
from domain.shared import Actor
from infra.store import EventStore
from tests.workflows.workers import worker_of
from workflows.evaluation.activities import EvaluationActivities
from workflows.evaluation.inputs import (
    Assignment,
    EvaluationInput,
    FillInput,
    HandOverInput,
    ScoreInput,
    StepInput,
    evaluation_workflow_id,
)
from workflows.evaluation.workflow import EvaluationWorkflow

CITY = "PEMATANGSIANTAR"
ADMIN = Actor("sekretariat.sc")
WEIGHTS = {"baseline": 10, "output": 20, "outcome": 30, "impact": 30, "quick-win": 10}
#: The items of the test year, by the OPD that fills them.
ITEMS = {"DINKES": ("I1", "impact"), "DISKOMINFO": ("O1", "output")}
Handle = WorkflowHandle[EvaluationWorkflow, float]


def open_year(store: EventStore, year: int) -> uuid.UUID:
    """An evaluation year of the test city with one item per OPD of ``ITEMS``."""
    app = store.app(EvaluationApplication)
    year_id, _ = app.open_year(city_code=CITY, year=year, weights=WEIGHTS, by=ADMIN)
    for code, dimension in ITEMS.values():
        app.add_item(year_id, code=code, dimension=dimension, title=f"Butir {code}", by=ADMIN)
    return year_id


def attach(store: EventStore, year_id: uuid.UUID, opd: str) -> None:
    """The OPD's evidence for its item: a decree by number."""
    code = ITEMS[opd][0]
    evidence = Evidence(f"ev-{code}", "document", f"SK {code}", document_number=f"{code}/2025")
    store.app(EvaluationApplication).attach_evidence(
        year_id, item_code=code, evidence=evidence, by=Actor(f"kepala.{opd.lower()}")
    )


@asynccontextmanager
async def evaluation_worker(
    client: Client, store: EventStore, task_queue: str,
    replace: Callable[..., Any] | None = None,
) -> AsyncIterator[Worker]:  # fmt: skip
    """A worker with the evaluation workflow and the real activities (one may be replaced)."""
    activities: list[Callable[..., Any]] = EvaluationActivities.over(store).all()
    if replace is not None:
        name = replace.__temporal_activity_definition.name  # type: ignore[attr-defined]
        activities = [
            a for a in activities
            if a.__temporal_activity_definition.name != name  # type: ignore[attr-defined]
        ] + [replace]  # fmt: skip
    async with worker_of(client, task_queue, [EvaluationWorkflow], activities, 4) as worker:
        yield worker


async def start(client: Client, task_queue: str, year_id: uuid.UUID) -> Handle:
    """Start the evaluation of the year: each OPD of ``ITEMS`` fills its item in 5 working days."""
    given = EvaluationInput(
        year_id=str(year_id),
        city_code=CITY,
        assignments=[Assignment(opd, [code]) for opd, (code, _) in ITEMS.items()],
        fill_days=5,
        opened_by=ADMIN.actor_id,
    )
    return await client.start_workflow(
        EvaluationWorkflow.run, given, id=evaluation_workflow_id(str(year_id)),
        task_queue=task_queue,
    )  # fmt: skip


async def fill(handle: Handle, opd: str) -> None:
    """The OPD's head declares its items filled."""
    await handle.execute_update(
        EvaluationWorkflow.fill, FillInput(opd, f"kepala.{opd.lower()}", "head")
    )


async def through_to_assessors(handle: Handle) -> None:
    """Compile, the Sekda's approval, and the hand-over to one assessor."""
    await handle.execute_update(EvaluationWorkflow.compile, StepInput(ADMIN.actor_id, "staff"))
    await handle.execute_update(EvaluationWorkflow.approve, StepInput("sekda", "sekda"))
    hand_over = HandOverInput(["asesor.a"], ADMIN.actor_id, "staff")
    await handle.execute_update(EvaluationWorkflow.hand_over, hand_over)


async def score_all(handle: Handle, score: float = 80) -> None:
    """The assessor scores every item, each under its own score id."""
    for code, _ in ITEMS.values():
        given = ScoreInput(f"score-{code}", code, score, "Bukti lengkap", "asesor.a")
        await handle.execute_update(EvaluationWorkflow.score, given, id=given.score_id)


async def publish(handle: Handle) -> float:
    """Publish the index; the workflow's result."""
    await handle.execute_update(EvaluationWorkflow.publish, StepInput(ADMIN.actor_id, "staff"))
    return await handle.result()


async def until_handled(
    env: WorkflowEnvironment, handle: Handle, alert: str, days: int = 60
) -> list[str]:
    """Let the test server's days pass until ``alert`` (``<OPD>/<label>``) was handled."""
    for _ in range(days):
        handled: list[str] = await handle.query(EvaluationWorkflow.alerts_handled)
        if alert in handled:
            return handled
        await env.sleep(timedelta(days=1))
    raise AssertionError(f"{alert} was never handled")


def recorded(store: EventStore, prefix: str) -> Counter[str]:
    """How many events of each name were recorded under topics starting with ``prefix``."""
    names = Counter[str]()
    for n in store.recorder.select_notifications(0, 10_000):
        if n.topic.startswith(prefix):
            names[n.topic.rpartition(".")[2]] += 1
    return names


def decoded(store: EventStore, topic: str) -> list[Any]:
    """The events stored under ``topic``, decoded, in log order."""
    mapper = store.app(EvaluationApplication).mapper
    return [
        mapper.to_domain_event(n)
        for n in store.recorder.select_notifications(0, 10_000)
        if n.topic == topic
    ]
