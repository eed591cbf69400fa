"""Building deadlines for workflow tests: inputs, a worker, and counting what was recorded."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

from temporalio import activity
from temporalio.client import Client, WorkflowHandle
from temporalio.service import RPCError, RPCStatusCode
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from domain.calendar import WorkingCalendar
from infra.store import EventStore
from tests.workflows.workers import worker_of
from workflows.common import Alert
from workflows.deadline.activities import DeadlineActivities
from workflows.deadline.inputs import (
    DeadlineInput,
    ScheduleInput,
    SubjectDone,
    deadline_workflow_id,
)
from workflows.deadline.workflow import DeadlineWorkflow

CITY = "PEMATANGSIANTAR"


def working_day_in(days: int, today: date | None = None) -> date:
    """The first working day ``days`` calendar days from today (or ``today``)."""
    start = today or datetime.now(UTC).date()
    return WorkingCalendar().next_working_day(start + timedelta(days=days))


def deadline_input(due: date, **options: object) -> DeadlineInput:
    """A milestone of its own (a fresh subject id) due on ``due``."""
    return DeadlineInput(
        kind="milestone",
        subject_id=str(uuid.uuid4()),
        owner_opd="DINKES",
        due_date=due.isoformat(),
        city_code=CITY,
        title="Puskesmas online queue live",
        **options,  # type: ignore[arg-type]
    )


def fixed_alerts(alerts: list[Alert]) -> Callable[[ScheduleInput], list[Alert]]:
    """A ``deadline.alerts`` activity that answers ``alerts`` whatever the calendar says.

    A test registers it instead of the real one to have an escalation fire seconds after
    the start (a real deadline escalates at the end of a working day).
    """

    @activity.defn(name="deadline.alerts")
    def alerts_of(given: ScheduleInput) -> list[Alert]:
        return list(alerts)

    return alerts_of


@asynccontextmanager
async def deadline_worker(
    client: Client, store: EventStore, task_queue: str, alerts: list[Alert] | None = None
) -> AsyncIterator[Worker]:
    """A worker with the deadline workflow and the real activities over ``store``.

    With ``alerts``: the alerts activity is a fake that answers them (``fixed_alerts``).
    """
    real = DeadlineActivities.over(store)
    activities: list[Callable[..., Any]] = real.all()
    if alerts is not None:
        activities = [a for a in activities if a != real.alerts] + [fixed_alerts(alerts)]
    async with worker_of(client, task_queue, [DeadlineWorkflow], activities, 4) as worker:
        yield worker


async def start(
    client: Client, task_queue: str, given: DeadlineInput
) -> WorkflowHandle[DeadlineWorkflow, str]:
    """Start the deadline workflow of ``given``."""
    return await client.start_workflow(
        DeadlineWorkflow.run,
        given,
        id=deadline_workflow_id(given.kind, given.subject_id),
        task_queue=task_queue,
    )


def recorded(store: EventStore) -> Counter[str]:
    """How many events of each name the deadline tracks recorded."""
    names = Counter[str]()
    for n in store.recorder.select_notifications(0, 10_000):
        if n.topic.startswith("jejak.deadlines:"):
            names[n.topic.rpartition(".")[2]] += 1
    return names


def deadline_events(store: EventStore, name: str) -> list[object]:
    """The decoded deadline events named ``name``, in log order."""
    from domain.deadlines.application import DeadlinesApplication

    mapper = store.app(DeadlinesApplication).mapper
    return [
        mapper.to_domain_event(n)
        for n in store.recorder.select_notifications(0, 10_000)
        if n.topic == f"jejak.deadlines:DeadlineTrack.{name}"
    ]


async def until_status(
    env: WorkflowEnvironment, handle: WorkflowHandle[Any, Any], status: str, days: int = 400
) -> dict[str, Any]:
    """Let the test server's days pass until the deadline reaches ``status``; its state."""
    for _ in range(days):
        state: dict[str, Any] = await handle.query(DeadlineWorkflow.state)
        if state["status"] == status:
            return state
        await env.sleep(timedelta(days=1))
    raise AssertionError(f"the deadline never became {status}")


async def register_search_attributes(client: Client) -> None:
    """Declare Jejak's search attributes on a test server (the time-skipping one has none)."""
    from temporalio.api.enums.v1 import IndexedValueType
    from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest

    from workflows.search import ALL_KEYS

    wanted = {key.name: IndexedValueType.ValueType(key.indexed_value_type) for key in ALL_KEYS}
    request = AddSearchAttributesRequest(namespace=client.namespace, search_attributes=wanted)
    try:
        await client.operator_service.add_search_attributes(request)
    except RPCError as error:  # declared already, by an earlier test of the session
        if error.status != RPCStatusCode.ALREADY_EXISTS:
            raise


async def done(handle: WorkflowHandle[DeadlineWorkflow, str], position: int) -> None:
    """Tell the deadline its milestone was approved (at ``position``): the workflow ends."""
    await handle.signal(DeadlineWorkflow.done, SubjectDone("milestone approved", position))
    assert await handle.result() == "done"


async def escalated_then_done(
    env: WorkflowEnvironment, handle: WorkflowHandle[DeadlineWorkflow, str], position: int
) -> None:
    """Let the days pass until the deadline escalated, then end it (``done``)."""
    await until_status(env, handle, "escalated")
    await done(handle, position)
