"""The workflow starter: follows the event log and starts or signals workflows, exactly once.

It stores its position like a projection (the library's tracking table, name
``jejak.workflow-starter``, in the event store's database) and saves it only after every
start and signal of a batch went through. A crash in between replays the batch, which is
harmless: a start finds the workflow already there (USE_EXISTING while it runs, refused
once it completed), and every signal carries its event's log position, which the workflow
remembers and does not apply twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import structlog
from eventsourcing.persistence import Mapper, Notification, Tracking, TrackingRecorder
from temporalio import workflow
from temporalio.client import Client, WorkflowHandle
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from domain.shared import JejakApplication
from infra.background import HeartbeatWriter, LoopStatus
from infra.follower import LogFollower
from infra.leader import Lease
from infra.store import EventStore
from workflows.deadline.workflow import DeadlineWorkflow
from workflows.starter.rules import TOPICS, Command, Signal, Start, StarterRules

log = structlog.get_logger("jejak.starter")

#: The starter's name in the tracking table.
TRACKING_NAME = "jejak.workflow-starter"
#: The lease that lets one starter run at a time, and the job name its heartbeats carry.
LEASE_NAME = "workflow-starter"
#: Seconds between a follower's attempts to take the lease (and a leader's checks of it).
LEASE_RETRY_SECONDS = 1.0
#: Starts and signals in flight at once (each workflow's own commands stay in order).
IN_FLIGHT = 32
#: Called after a batch's starts and signals, before its position is saved (test hook point).
BeforeSave = Callable[[int], None]


class WorkflowStarter:
    """Starts and signals workflows for the events of the log, resuming from its position."""

    def __init__(
        self,
        store: EventStore,
        client: Client,
        task_queue: str,
        tracking: TrackingRecorder | None = None,
        poll_interval: float = 0.2,
    ) -> None:
        self.client, self.task_queue = client, task_queue
        self.rules = StarterRules.over(store)
        self.mapper: Mapper[Any] = store.app(JejakApplication).mapper
        self.follower = LogFollower(store, poll_interval)
        self.tracking = tracking or store.tracking_recorder()
        self.status = LoopStatus(LEASE_NAME)

    def position(self) -> int:
        """The last log position whose workflows were all started and signalled."""
        return self.tracking.max_tracking_id(TRACKING_NAME) or 0

    async def process_batch(
        self, notifications: Sequence[Notification], before_save: BeforeSave | None = None
    ) -> int:
        """Start and signal what the batch calls for, then save its last position."""
        commands = await asyncio.to_thread(self.commands, notifications)
        await self.send_all(commands)
        last = notifications[-1].id
        if before_save is not None:
            before_save(last)
        if last > self.position():
            await asyncio.to_thread(self.tracking.insert_tracking, Tracking(TRACKING_NAME, last))
        return last

    def commands(self, notifications: Sequence[Notification]) -> list[Command]:
        """The starts and signals a batch of the log calls for, in log order."""
        found: list[Command] = []
        for notification in notifications:
            if notification.topic in TOPICS:
                event = self.mapper.to_domain_event(notification)
                found += self.rules.commands(notification.topic, event, notification.id)
        return found

    async def send_all(self, commands: Sequence[Command]) -> None:
        """Send every command: each workflow's in log order, ``IN_FLIGHT`` at a time overall.

        Only one workflow's commands depend on each other (a deadline started, then told
        it is done): other workflows' starts go to the server side by side. Every command
        is tried; the first failure is raised after, and the batch's position is not
        saved, so the batch is sent again (each send is idempotent).
        """
        by_workflow: dict[str, list[Command]] = {}
        for command in commands:
            by_workflow.setdefault(command.workflow_id, []).append(command)
        by_workflow = {key: merged(mine) for key, mine in by_workflow.items()}
        limit = asyncio.Semaphore(IN_FLIGHT)

        async def in_order(mine: list[Command]) -> None:
            for command in mine:
                async with limit:
                    await self.send(command)

        results = await asyncio.gather(
            *(in_order(mine) for mine in by_workflow.values()), return_exceptions=True
        )
        failed = [r for r in results if isinstance(r, BaseException)]
        if failed:
            raise failed[0]

    async def send(self, command: Command) -> None:
        """One start or signal; what is already done is not an error."""
        if isinstance(command, Start):
            await self._start(command)
        else:
            await self._signal(command)

    async def _start(self, command: Start) -> None:
        # Running: keep it (a signal it carries is delivered). Completed: refuse, it did its
        # job (a returned milestone goes back to its approval by signal). Failed or
        # terminated: start afresh. A start that reopens (a deadline due again) starts a
        # completed workflow again: the signal's log position makes a replayed one harmless.
        reuse = (
            WorkflowIDReusePolicy.ALLOW_DUPLICATE
            if command.restart_completed
            else WorkflowIDReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY
        )
        signal_args = [command.signal_arg] if command.signal else []
        try:
            await self.client.start_workflow(
                command.workflow,
                command.arg,
                id=command.workflow_id,
                task_queue=self.task_queue,
                id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
                id_reuse_policy=reuse,
                start_signal=signal_name(command.signal) if command.signal else None,
                start_signal_args=signal_args,
            )
        except WorkflowAlreadyStartedError:
            log.debug("workflow already ran", workflow_id=command.workflow_id)

    async def _signal(self, command: Signal) -> None:
        handle: WorkflowHandle[Any, Any] = self.client.get_workflow_handle(command.workflow_id)
        try:
            await handle.signal(command.signal, command.arg)
        except RPCError as error:
            if error.status != RPCStatusCode.NOT_FOUND:
                raise
            # Not running (already finished, or never started): nothing is left to tell,
            # and a workflow that runs again checks its subject itself. Expected: debug.
            log.debug(
                "signal not delivered",
                workflow_id=command.workflow_id,
                signal=signal_name(command.signal),
            )

    async def catch_up(self) -> int:
        """Process everything written so far; returns the position reached."""
        position = self.position()
        while batch := await asyncio.to_thread(self.follower.read, position):
            position = await self.process_batch(batch)
            # The heartbeat shows the position batch by batch: a long catch-up shows its lag.
            self.status.tick(position=position)
        return position

    async def run(self, stop: asyncio.Event, lease: Lease | None = None) -> None:
        """Follow the log until ``stop`` is set, while holding ``lease`` (when given).

        Failures are logged and retried from the stored position with backoff; a process
        that does not hold the lease asks for it again every second.
        """
        backoff, checked = 0.0, 0.0
        while not stop.is_set():
            if lease is not None and time.monotonic() - checked >= LEASE_RETRY_SECONDS:
                checked = time.monotonic()
                leading = await asyncio.to_thread(lease.hold)
                self.status.tick("leader" if leading else "standby")
            if lease is not None and not lease.held:
                await _wait(stop, LEASE_RETRY_SECONDS)
                continue
            try:
                self.status.succeeded(await self.catch_up())
                backoff = self.follower.poll_interval
            except Exception as exc:  # Temporal or the database is away: retry from the position
                backoff = min(self.follower.max_backoff, max(backoff * 2, 0.2))
                self.status.failed(exc)
                log.error("workflow starter stalled", error=repr(exc), retry_in=backoff)
            await _wait(stop, backoff)


def merged(commands: list[Command]) -> list[Command]:
    """One workflow's commands of a batch, in order, in as few calls as say the same.

    A start and the signal right after it go as one signal-with-start: a deadline created
    and met in the same batch (most of a city's history) is one call, not two. Its reuse
    policy stays the start's: a workflow that completed is not started again and, having
    ended, misses nothing. A ``done`` right after a ``done`` (a milestone approved, then
    completed) is not sent: the deadline ends on the first, as it did when its worker ran
    between the two calls; a signal in between (a reopening) keeps the second.
    """
    found: list[Command] = []
    for command in commands:
        previous = found[-1] if found else None
        if previous is not None and is_done(previous) and is_done(command):
            continue
        if isinstance(previous, Start) and previous.signal is None and isinstance(command, Signal):
            found[-1] = replace(previous, signal=command.signal, signal_arg=command.arg)
            continue
        found.append(command)
    return found


def is_done(command: Command) -> bool:
    """True for a command that tells a deadline its subject is done."""
    return command.signal is DeadlineWorkflow.done


def signal_name(signal: Callable[..., Any]) -> str:
    """The name a signal method is registered under."""
    return workflow._SignalDefinition.must_name_from_fn_or_str(signal)


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)


async def run_starter_until(
    store: EventStore, client: Client, task_queue: str, stop: asyncio.Event, poll: float = 0.2
) -> None:
    """Run the starter in the current event loop while this process holds the starter lease."""
    starter = WorkflowStarter(store, client, task_queue, poll_interval=poll)
    lease = Lease(store, LEASE_NAME)
    heartbeat = HeartbeatWriter(store, [starter.status]).start()
    log.info("workflow starter started", position=starter.position())
    try:
        await starter.run(stop, lease)
    finally:
        await asyncio.to_thread(heartbeat.stop)
        await asyncio.to_thread(lease.release)
    log.info("workflow starter stopped")
