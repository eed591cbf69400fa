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
from workflows.starter.rules import TOPICS, Command, Signal, Start, StarterRules

log = structlog.get_logger("jejak.starter")

#: The starter's name in the tracking table.
TRACKING_NAME = "jejak.workflow-starter"
#: The lease that lets one starter run at a time, and the job name its heartbeats carry.
LEASE_NAME = "workflow-starter"
#: Seconds between a follower's attempts to take the lease (and a leader's checks of it).
LEASE_RETRY_SECONDS = 1.0
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
        for notification in notifications:
            if notification.topic in TOPICS:
                event = self.mapper.to_domain_event(notification)
                commands = await asyncio.to_thread(
                    self.rules.commands, notification.topic, event, notification.id
                )
                for command in commands:
                    await self.send(command)
        last = notifications[-1].id
        if before_save is not None:
            before_save(last)
        if last > self.position():
            await asyncio.to_thread(self.tracking.insert_tracking, Tracking(TRACKING_NAME, last))
        return last

    async def send(self, command: Command) -> None:
        """One start or signal; what is already done is not an error."""
        if isinstance(command, Start):
            await self._start(command)
        else:
            await self._signal(command)

    async def _start(self, command: Start) -> None:
        # Running: keep it. Completed: refuse, it did its job (a returned milestone goes
        # back to its approval by signal). Failed or terminated: start afresh. A start that
        # carries a signal (a deadline reopened) starts a completed workflow again: the
        # signal's log position makes a replayed one harmless.
        reuse = (
            WorkflowIDReusePolicy.ALLOW_DUPLICATE
            if command.signal
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
