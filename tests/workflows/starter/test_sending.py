"""How the starter sends a batch: workflows side by side, each workflow's calls in order."""

from __future__ import annotations

import asyncio

import pytest
from temporalio.client import Client

from infra.store import EventStore
from tests.workflows.starter.scenario import city
from workflows.deadline.inputs import DueDateChanged, SubjectDone, SubjectReopened
from workflows.deadline.workflow import DeadlineWorkflow
from workflows.starter.loop import IN_FLIGHT, WorkflowStarter, merged
from workflows.starter.rules import Command, Signal, Start


def start(workflow_id: str) -> Start:
    return Start(DeadlineWorkflow.run, workflow_id, None)


def done(workflow_id: str, position: int) -> Signal:
    return Signal(workflow_id, DeadlineWorkflow.done, SubjectDone("approved", position))


def moved(workflow_id: str, position: int) -> Signal:
    change = DueDateChanged("2030-01-01", position)
    return Signal(workflow_id, DeadlineWorkflow.due_date_changed, change)


def test_a_start_and_the_signal_after_it_are_one_signal_with_start() -> None:
    (one,) = merged([start("d/1"), done("d/1", 7)])
    assert isinstance(one, Start)
    assert (one.signal, one.signal_arg) == (DeadlineWorkflow.done, SubjectDone("approved", 7))
    # The start's own reuse policy: a completed deadline is not started again.
    assert not one.restart_completed


def test_a_done_right_after_a_done_is_not_sent_but_one_after_a_reopening_is() -> None:
    assert len(merged([start("d/1"), done("d/1", 7), done("d/1", 8)])) == 1
    reopen = SubjectReopened("2030-01-01", "returned", 9)
    again = Start(DeadlineWorkflow.run, "d/1", None, DeadlineWorkflow.reopened, reopen, True)
    kept = merged([done("d/1", 7), again, done("d/1", 10)])
    assert kept == [done("d/1", 7), again, done("d/1", 10)]


def test_other_signals_are_kept_in_their_order() -> None:
    calls = [moved("d/1", 3), moved("d/1", 4), done("d/1", 5)]
    assert merged(calls) == calls


class RecordingStarter(WorkflowStarter):
    """The starter with a server that answers each call after a pause, and may fail one."""

    def __init__(self, store: EventStore, failing: str = "") -> None:
        super().__init__(store, Client.__new__(Client), "queue")
        self.sent: list[Command] = []
        #: The position the heartbeat showed when each call went out.
        self.shown: list[int] = []
        self.in_flight = self.most_in_flight = 0
        self.failing = failing

    async def send(self, command: Command) -> None:
        self.shown.append(self.status.position)
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        await asyncio.sleep(0.001)
        self.in_flight -= 1
        if command.workflow_id == self.failing:
            raise ConnectionError("the server went away")
        self.sent.append(command)


def batch(workflows: int) -> list[Command]:
    """Per workflow: a start, its due date moved twice, then done (interleaved in the log)."""
    ids = [f"deadline/{n}" for n in range(workflows)]
    commands: list[Command] = [start(i) for i in ids]
    commands += [moved(i, 10) for i in ids] + [moved(i, 20) for i in ids]
    return commands + [done(i, 30) for i in ids]


async def test_workflows_are_sent_side_by_side_each_in_log_order(
    memory_store: EventStore,
) -> None:
    starter = RecordingStarter(memory_store)
    await starter.send_all(batch(3 * IN_FLIGHT))
    assert starter.most_in_flight == IN_FLIGHT
    for n in range(3 * IN_FLIGHT):
        mine = [c for c in starter.sent if c.workflow_id == f"deadline/{n}"]
        assert [type(c).__name__ for c in mine] == ["Start", "Signal", "Signal"]
        assert [c.signal_arg.position for c in mine[:1]] == [10]
        assert [c.arg.position for c in mine[1:] if isinstance(c, Signal)] == [20, 30]


async def test_a_failed_call_is_raised_after_the_other_workflows_were_sent(
    memory_store: EventStore,
) -> None:
    starter = RecordingStarter(memory_store, failing="deadline/1")
    with pytest.raises(ConnectionError):
        await starter.send_all(batch(4))
    assert {c.workflow_id for c in starter.sent} == {"deadline/0", "deadline/2", "deadline/3"}


async def test_a_catch_up_reports_its_position_batch_by_batch(memory_store: EventStore) -> None:
    city(memory_store)
    starter = RecordingStarter(memory_store)
    starter.follower.batch_size = 5
    reached = await starter.catch_up()
    assert reached == memory_store.max_position() == starter.status.position
    # While later batches were sent, the heartbeat already showed the earlier ones done.
    assert starter.shown == sorted(starter.shown)
    assert 0 < max(starter.shown) < reached
